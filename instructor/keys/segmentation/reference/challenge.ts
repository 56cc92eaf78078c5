// Reference solution for the Segmentation challenge (instructor only; never shipped in the .vsix).
import * as tf from '@tensorflow/tfjs';

export function pixelClassWeights(maskCounts: number[]): number[] {
  const total = maskCounts.reduce((a, b) => a + b, 0);
  const present = maskCounts.filter((n) => n > 0).map((n) => n / total).sort((a, b) => a - b);
  const mid = Math.floor(present.length / 2);
  const median = present.length % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
  // A class with no pixels can weight no pixel; 0 keeps it out of every sum instead of 1 ÷ 0.
  return maskCounts.map((n) => (n > 0 ? median / (n / total) : 0));
}

export function weightedPixelCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, weights: number[]): tf.Scalar {
  return tf.tidy(() => {
    const classes = tf.cast(labels, 'int32');
    // Classes are the last axis: [N, H, W, C], as the U-Net outputs them.
    const pixelLoss = tf.neg(tf.sum(tf.mul(tf.oneHot(classes, logits.shape[3]), tf.logSoftmax(logits)), -1));
    const pixelWeight = tf.gather(tf.tensor1d(weights), classes);
    return tf.div(tf.sum(tf.mul(pixelLoss, pixelWeight)), tf.sum(pixelWeight)) as tf.Scalar;
  });
}
