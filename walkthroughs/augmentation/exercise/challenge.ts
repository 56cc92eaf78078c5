// Augmentation challenge: a training-time transform that does not change the task.
//
// BreastMNIST's training set has 546 images. Showing the network a slightly shifted or mirrored version of
// an image is a cheap way to show it "new" ones, but only if the augmented images look like the test
// images (same 28 × 28 size, same [0, 1] range) and an epoch stays an epoch.
//
// The functions below work but repeat two defects: augment enlarges every image to 224 × 224 (the test
// images stay 28 × 28) and draws from Math.random (a rerun sees other images), and mixedEpoch returns each
// image twice, as it is and augmented, which doubles the gradient steps of every epoch.
//
// Export:
//   augment(image, seed)      image [28, 28, 1] in [0, 1] → [28, 28, 1]: pad PAD zero pixels on every side,
//                             crop a 28 × 28 window at a random offset, and mirror it left-right with
//                             probability 1/2; every random choice comes from `seed`
//   mixedEpoch(images, seed)  images [N, 28, 28, 1] → [N, 28, 28, 1]: each image, in its place, replaced by
//                             an augmented version with probability 1/2, the choices drawn from `seed`
//
// Check your work with "Biomedical Deep Learning Lab: Augmentation: Check My Challenge".
import * as tf from '@tensorflow/tfjs';

/** How far, in pixels, a crop may shift the image in each direction. */
export const PAD = 4;

/** A small seeded generator (mulberry32): the same seed gives the same numbers in [0, 1), every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function augment(image: tf.Tensor3D, seed: number): tf.Tensor3D {
  // TODO: crop a shifted 28 × 28 window of the zero-padded image and flip it, both decided by `seed`.
  void seed;
  return tf.tidy(() => {
    const flipped = Math.random() < 0.5 ? tf.reverse(image, 1) : image;
    return tf.image.resizeBilinear(flipped, [224, 224]);
  });
}

export function mixedEpoch(images: tf.Tensor4D, seed: number): tf.Tensor4D {
  // TODO: as many images as were given, each in its place, about half of them augmented.
  return tf.tidy(() => {
    const augmented = tf.unstack(images).map((image, i) => augment(image as tf.Tensor3D, seed + i));
    return tf.concat([images, tf.stack(augmented) as tf.Tensor4D]);
  });
}
