/** Class probabilities for a whole split, a bounded batch at a time, so PathMNIST's 10,004 validation images never sit on the backend at once. */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import type { MedmnistSplitData } from '../../data/medmnist/load';
import { yieldToEvents } from '../../core/yieldToEvents';
import { chunks, imageBatch } from './batches';

/** Images per forward pass when scoring: 256 × 28×28×64 activations stay in the tens of megabytes. */
const SCORE_BATCH = 256;

/** Softmax scores, row-major count×classes, with the network in inference mode. */
export async function scoreSplit(
  model: TF.LayersModel,
  split: MedmnistSplitData,
  classes: number,
  onBatch: (rows: number) => void,
): Promise<Float32Array> {
  const scores = new Float32Array(split.count * classes);
  const rows = Array.from({ length: split.count }, (_, i) => i);
  for (const batch of chunks(rows, SCORE_BATCH)) {
    const probabilities = tf.tidy(() => tf.softmax(model.apply(imageBatch(split, batch), { training: false }) as TF.Tensor2D));
    scores.set(await probabilities.data(), batch[0]! * classes);
    probabilities.dispose();
    onBatch(batch.length);
    await yieldToEvents();
  }
  return scores;
}
