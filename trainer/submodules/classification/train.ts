/**
 * One experiment's training loop: SGD with momentum on cross-entropy, batches in a seeded order, validation
 * after every epoch. Written out rather than model.fit so that the batch order is the lab's, a frozen
 * backbone can be run in inference mode, and cancellation is checked between batches.
 */
import type * as TF from '@tensorflow/tfjs';
import type { AccAuc } from '../../../protocol/messages';
import { tf } from '../../backend/tf';
import { LabError } from '../../core/labError';
import { SeededRandom, childSeed } from '../../core/random';
import type { MedmnistDataset } from '../../data/medmnist/load';
import { chunks, imageBatch, oneHotBatch } from './batches';
import { evaluate } from './evaluate';
import { trainingMode, type ExperimentSpec } from './experiments';
import { TRAINING } from './profiles';
import { scoreSplit } from './scoring';

export interface TrainInput {
  readonly model: TF.LayersModel;
  readonly spec: ExperimentSpec;
  readonly data: MedmnistDataset;
  readonly classes: number;
  /** Training rows (a subset of the training split); every experiment gets the same rows in the same order. */
  readonly trainRows: readonly number[];
  readonly epochs: number;
  /** Seeds the batch order: epoch e shuffles with childSeed(seed, e). */
  readonly seed: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  val: AccAuc;
}

export interface TrainHooks {
  /** After each training batch (numbering from 0). */
  onBatch?(epoch: number, batch: number, batches: number): void;
  /** After each scoring batch of the validation split, with its number of images. */
  onScoreBatch?(rows: number): void;
  onEpoch?(record: EpochRecord): void;
  isCancelled(): boolean;
}

export async function trainExperiment(input: TrainInput, hooks: TrainHooks): Promise<EpochRecord[]> {
  const { model, spec, data, classes, trainRows } = input;
  const training = trainingMode(spec);
  // Exactly the weights the spec trains; left out, tfjs would take every trainable variable alive in the engine.
  const variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
  const optimizer = tf.train.momentum(TRAINING.learningRate, TRAINING.momentum);
  const records: EpochRecord[] = [];
  try {
    for (let epoch = 0; epoch < input.epochs; epoch++) {
      const order = new SeededRandom(childSeed(input.seed, epoch)).permutation(trainRows.length).map((k) => trainRows[k]!);
      const batches = chunks(order, TRAINING.batchSize);
      // Summed on the backend and read once per epoch, weighted by batch size so a short last batch counts less.
      let lossSum: TF.Scalar = tf.scalar(0);
      for (const [b, rows] of batches.entries()) {
        throwIfCancelled(hooks);
        const next = tf.tidy(() => {
          const x = imageBatch(data.splits.train, rows);
          const y = oneHotBatch(data.splits.train, rows, classes);
          const loss = optimizer.minimize(
            () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training }) as TF.Tensor) as TF.Scalar,
            true,
            variables,
          )!;
          return tf.add(lossSum, tf.mul(loss, rows.length)) as TF.Scalar;
        });
        lossSum.dispose();
        lossSum = next;
        hooks.onBatch?.(epoch, b, batches.length);
        // Lets a cancel request (stdin in the trainer process, SIGINT in the CLI) be read between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const trainLoss = (await lossSum.data())[0]! / trainRows.length;
      lossSum.dispose();
      const val = await validate(model, data, classes, hooks);
      const record = { epoch: epoch + 1, trainLoss, val };
      records.push(record);
      hooks.onEpoch?.(record);
    }
    return records;
  } finally {
    optimizer.dispose();
  }
}

async function validate(model: TF.LayersModel, data: MedmnistDataset, classes: number, hooks: TrainHooks): Promise<AccAuc> {
  const split = data.splits.val;
  const scores = await scoreSplit(model, split, classes, (rows) => {
    throwIfCancelled(hooks);
    hooks.onScoreBatch?.(rows);
  });
  return evaluate({ task: data.task, labels: split.labels, scores, count: split.count, columns: classes });
}

export function throwIfCancelled(hooks: Pick<TrainHooks, 'isCancelled'>): void {
  if (hooks.isCancelled()) throw new LabError('cancelled', 'Run cancelled; nothing was written.');
}
