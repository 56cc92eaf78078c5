/**
 * The input pipeline: images stay uint8 in memory (PathMNIST's training split is 212 MB as bytes, four times
 * that as float32) and become network input one batch at a time, with the course's preprocessing.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import type { MedmnistSplitData } from '../../data/medmnist/load';

/** The course's normalisation after scaling to [0, 1]: mean 0.5 and std 0.5 for every channel. */
const MEAN = 0.5;
const STD = 0.5;

/**
 * The rows `indices` of a split as an N×H×W×C float tensor: x/255, then (x − 0.5)/0.5, in float32 on the
 * backend as torchvision's ToTensor and Normalize compute it. Call inside tf.tidy.
 */
export function imageBatch(split: MedmnistSplitData, indices: readonly number[]): TF.Tensor4D {
  const pixels = split.height * split.width * split.channels;
  const bytes = new Uint8Array(indices.length * pixels);
  indices.forEach((row, k) => bytes.set(split.images.subarray(row * pixels, (row + 1) * pixels), k * pixels));
  const x = tf.tensor4d(bytes, [indices.length, split.height, split.width, split.channels], 'float32');
  return tf.div(tf.sub(tf.div(x, 255), MEAN), STD);
}

/** One-hot targets of single-label rows, for the cross-entropy. Call inside tf.tidy. */
export function oneHotBatch(split: MedmnistSplitData, indices: readonly number[], classes: number): TF.Tensor2D {
  return tf.oneHot(tf.tensor1d(indices.map((i) => split.labels[i]!), 'int32'), classes) as TF.Tensor2D;
}

/** Consecutive runs of at most `size` from `rows`; the last may be shorter (PyTorch's drop_last=False). */
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += size) out.push(rows.slice(start, start + size));
  return out;
}
