// Reference solution for the Augmentation challenge (instructor only; never shipped in the .vsix).
import * as tf from '@tensorflow/tfjs';

export const PAD = 4;

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
  const random = seededRandom(seed);
  const top = Math.floor(random() * (2 * PAD + 1));
  const left = Math.floor(random() * (2 * PAD + 1));
  const flip = random() < 0.5;
  return tf.tidy(() => {
    const [height, width, channels] = image.shape;
    // Cropping the padded image back to the input's size keeps 28 × 28 and brings in zeros, never new values.
    const padded = tf.pad(image, [[PAD, PAD], [PAD, PAD], [0, 0]]);
    const crop = tf.slice(padded, [top, left, 0], [height, width, channels]);
    return flip ? tf.reverse(crop, 1) : crop;
  });
}

export function mixedEpoch(images: tf.Tensor4D, seed: number): tf.Tensor4D {
  const random = seededRandom(seed);
  return tf.tidy(() => {
    // Replacing, not appending: an epoch keeps its N images, its gradient steps and its labels' order.
    const mixed = tf.unstack(images).map((image) => (random() < 0.5 ? augment(image as tf.Tensor3D, Math.floor(random() * 2 ** 32)) : image));
    return tf.stack(mixed) as tf.Tensor4D;
  });
}
