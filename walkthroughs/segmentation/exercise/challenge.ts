// Segmentation challenge: make the thin hairs count.
//
// In the skin images, hair covers about 3 % of the pixels. A U-Net trained with the plain per-pixel
// cross-entropy can get 97 % of the pixels right by never drawing hair at all. Weight each pixel's loss by
// its true class, so a missed hair pixel costs more than a missed background pixel.
//
// Export:
//   pixelClassWeights(maskCounts)            one weight per class from the training masks' pixel counts:
//                                            median frequency ÷ the class's frequency (frequency = count ÷ all
//                                            pixels, median over the classes that have pixels); 0 for a class
//                                            with no pixels
//   weightedPixelCrossEntropy(logits, labels, weights)
//                                            logits [N, H, W, C] raw scores (no softmax yet), labels [N, H, W]
//                                            int32 class per pixel; Σ w[y_p]·CE_p ÷ Σ w[y_p] over every pixel p
//                                            of the batch, a scalar tensor
//
// Check your work with "Biomedical Deep Learning Lab: Segmentation: Check My Challenge".
import * as tf from '@tensorflow/tfjs';

export function pixelClassWeights(maskCounts: number[]): number[] {
  // TODO: rarer classes get larger weights. Every class weighs the same for now.
  return maskCounts.map(() => 1);
}

export function weightedPixelCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, weights: number[]): tf.Scalar {
  // TODO: use the weights. This is the plain mean over pixels, where every pixel counts the same.
  void weights;
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[3]);
    return tf.mean(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}
