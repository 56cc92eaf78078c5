/**
 * One experiment's training loop: SGD with momentum on cross-entropy, batches in a seeded order, validation
 * after every epoch. Written out rather than model.fit so that the batch order is the lab's, a frozen
 * backbone can be run in inference mode, cancellation is checked between batches, and the loop can hand out
 * its whole state after an epoch and start again from it.
 */
import type * as TF from '@tensorflow/tfjs';
import type { AccAuc } from '../../../protocol/messages';
import { tf } from '../../backend/tf';
import { LabError } from '../../core/labError';
import { SeededRandom, childSeed } from '../../core/random';
import { yieldToEvents } from '../../core/yieldToEvents';
import type { MedmnistDataset } from '../../data/medmnist/load';
import { chunks, imageBatch, oneHotBatch } from './batches';
import { evaluate } from './evaluate';
import { trainingMode, type ExperimentSpec } from './experiments';
import { TRAINING } from './profiles';
import { scoreSplit } from './scoring';
import { captureTensorState, restoreTensorState, type TrainingSnapshot } from './trainingState';

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
  /** A checkpoint of this experiment to continue from instead of the model's current weights. */
  readonly resume?: TrainingSnapshot;
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
  /** After each epoch's onEpoch, with everything needed to continue from here; training waits for it. */
  onCheckpoint?(snapshot: TrainingSnapshot): void;
  isCancelled(): boolean;
}

export interface TrainedEpochs {
  readonly records: readonly EpochRecord[];
  readonly epochSeconds: readonly number[];
}

export async function trainExperiment(input: TrainInput, hooks: TrainHooks): Promise<TrainedEpochs> {
  const { model, spec, data, classes, trainRows, resume } = input;
  const training = trainingMode(spec);
  // Exactly the weights the spec trains; left out, tfjs would take every trainable variable alive in the engine.
  const variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
  const optimizer = tf.train.momentum(TRAINING.learningRate, TRAINING.momentum);
  const records: EpochRecord[] = [...(resume?.records ?? [])];
  const epochSeconds: number[] = [...(resume?.epochSeconds ?? [])];
  try {
    if (resume) await restoreTensorState(model, optimizer, variables.length, resume);
    for (let epoch = resume?.completedEpochs ?? 0; epoch < input.epochs; epoch++) {
      const started = performance.now();
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
        await yieldToEvents();
      }
      const trainLoss = (await lossSum.data())[0]! / trainRows.length;
      lossSum.dispose();
      const val = await validate(model, data, classes, hooks);
      const record = { epoch: epoch + 1, trainLoss, val };
      records.push(record);
      epochSeconds.push((performance.now() - started) / 1000);
      hooks.onEpoch?.(record);
      if (hooks.onCheckpoint) {
        hooks.onCheckpoint({ completedEpochs: epoch + 1, records, epochSeconds, ...(await captureTensorState(model, optimizer)) });
      }
    }
    return { records, epochSeconds };
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

/** The caller knows what was kept (checkpoints) and words the final message; this only stops the work. */
export function throwIfCancelled(hooks: Pick<TrainHooks, 'isCancelled'>): void {
  if (hooks.isCancelled()) throw new LabError('cancelled', 'Run cancelled.');
}
