import type * as TF from '@tensorflow/tfjs';
import { tf } from '../backend/tf';

/**
 * The segmentation loss: mean over every pixel of −log p(true class), from the U-Net's softmax output
 * (N×H×W×K) and one-hot targets of the same shape. The clip keeps log finite for a confidently wrong pixel;
 * the PyTorch reference clips at the same 1e-7.
 */
export function pixelCrossEntropy(oneHot: TF.Tensor, probabilities: TF.Tensor): TF.Scalar {
  return tf.tidy(() => {
    const logP = tf.log(tf.clipByValue(probabilities, 1e-7, 1));
    const perPixel = tf.neg(tf.sum(tf.mul(oneHot, logP), -1));
    return tf.mean(perPixel) as TF.Scalar;
  });
}
