/**
 * The measurements the harness takes of an Augmentation challenge file: what augment and mixedEpoch do to
 * probe images (shape, range, repeatability, and which shift and flip each output is), and how the course's
 * small network does on BreastMNIST when its training images go through the learner's mixedEpoch. Raw facts
 * only; the parent, which holds the key, decides what they are worth.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import { SeededRandom, childSeed } from '../../core/random';
import type { MedmnistDataset } from '../../data/medmnist/load';
import type { LearnerModule } from '../../learner/evaluateLearnerBundle';
import { identifyShiftFlip, probeImages } from '../../submodules/augmentation/shiftFlip';
import { chunks, imageBatch, oneHotBatch } from '../../submodules/classification/batches';
import { balancedWeights, classCounts, stratifiedSubset } from '../../submodules/classification/dataset';
import type { MeasurementRequest, MeasurementValue } from '../childProtocol';
import { describeValue, exportedFunction } from './learnerValues';
import type { RandomSource } from './harden';
import { InvalidSubmission } from './measure';
import { recalls } from './measureClassification';


export interface AugmentationMeasureContext {
  mod: LearnerModule;
  dataset: MedmnistDataset;
  random: RandomSource;
  learner<T>(fn: () => T): T;
}

type Request<K extends MeasurementRequest['kind']> = Extract<MeasurementRequest, { kind: K }>;
type AugmentFn = (image: TF.Tensor3D, seed: number) => unknown;
type MixedEpochFn = (images: TF.Tensor4D, seed: number) => unknown;

/** BreastMNIST's side; the probes have it too, so the learner's code sees one size whatever it is given. */
const SIZE = 28;
/** The grader's network trains on what mixedEpoch returns; its settings are fixed so only the data varies. */
const TRAINING = { learningRate: 0.003, batchSize: 32 };
const SEED_SUBSET = 1;
const SEED_BUILD = 2;
const SEED_ORDER = 3;
const SEED_EPOCH = 4;

export async function measureAugmentation(ctx: AugmentationMeasureContext, m: MeasurementRequest): Promise<MeasurementValue> {
  switch (m.kind) {
    case 'augment_transform':
      return measureTransform(ctx, m);
    case 'mixed_epoch':
      return measureMixedEpoch(ctx, m);
    case 'augment_outcome':
      return measureOutcome(ctx, m);
    default:
      throw new Error(`a ${m.kind} measurement belongs to another submodule's challenge`);
  }
}

/** The learner's output as numbers, or a sentence saying what came back instead. Disposes the tensor. */
function read(out: unknown, name: string): { shape: number[]; values: Float32Array } | string {
  if (!(out instanceof tf.Tensor)) return `${name} must return a tensor; it returned ${describeValue(out)}.`;
  const result = { shape: [...out.shape], values: Float32Array.from(out.dataSync()) };
  out.dispose();
  return result;
}

function same(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i] || (Number.isNaN(v) && Number.isNaN(b[i]!)));
}

function range(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    // NaN fails every comparison: report it as out of any range.
    if (Number.isNaN(v)) return { min: -Number.MAX_VALUE, max: Number.MAX_VALUE };
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min: Math.max(min, -Number.MAX_VALUE), max: Math.min(max, Number.MAX_VALUE) };
}

function measureTransform(ctx: AugmentationMeasureContext, m: Request<'augment_transform'>): MeasurementValue {
  const augment = exportedFunction<AugmentFn>(ctx.mod, 'augment', '(image, seed)');
  const [probe] = probeImages(m.imageSeed, 1, SIZE);
  // A fresh input per call: a learner who disposes or edits the image cannot change the next call.
  const once = (seed: number): ReturnType<typeof read> => {
    const image = tf.tensor3d(probe!, [SIZE, SIZE, 1]);
    try {
      return read(ctx.learner(() => ctx.mod.call('augment', () => augment(image, seed))), 'augment');
    } finally {
      image.dispose();
    }
  };
  const results = m.seeds.map((seed) => {
    const first = once(seed);
    if (typeof first === 'string') return { problem: first };
    const second = once(seed);
    const repeatable = typeof second !== 'string' && same(first.values, second.values);
    return { shape: first.shape, ...range(first.values), repeatable, match: identifyShiftFlip(probe!, first.values, SIZE, m.maxShift) };
  });
  return { kind: 'augment_transform', results };
}

function measureMixedEpoch(ctx: AugmentationMeasureContext, m: Request<'mixed_epoch'>): MeasurementValue {
  const mixedEpoch = exportedFunction<MixedEpochFn>(ctx.mod, 'mixedEpoch', '(images, seed)');
  const probes = probeImages(m.imageSeed, m.images, SIZE);
  const flat = new Float32Array(m.images * SIZE * SIZE);
  probes.forEach((p, i) => flat.set(p, i * SIZE * SIZE));
  const once = (seed: number): ReturnType<typeof read> => {
    const images = tf.tensor4d(flat, [m.images, SIZE, SIZE, 1]);
    try {
      return read(ctx.learner(() => ctx.mod.call('mixedEpoch', () => mixedEpoch(images, seed))), 'mixedEpoch');
    } finally {
      images.dispose();
    }
  };
  const results = m.seeds.map((seed) => {
    const first = once(seed);
    if (typeof first === 'string') return { problem: first };
    const second = once(seed);
    const repeatable = typeof second !== 'string' && same(first.values, second.values);
    const [count = 0, ...imageShape] = first.shape;
    const pixels = SIZE * SIZE;
    const inOrder = count === m.images && JSON.stringify(imageShape) === JSON.stringify([SIZE, SIZE, 1]);
    const matches = inOrder ? probes.map((p, i) => identifyShiftFlip(p, first.values.subarray(i * pixels, (i + 1) * pixels), SIZE, m.maxShift)) : null;
    return { count, imageShape, repeatable, matches };
  });
  return { kind: 'mixed_epoch', images: m.images, results };
}

/**
 * Trains a fixed small network, with a class-weighted loss, on a stratified subset of BreastMNIST's training
 * split whose images go through the learner's mixedEpoch every epoch (in [0, 1], before the course's
 * normalisation), then measures each class's recall on the evaluation split.
 */
async function measureOutcome(ctx: AugmentationMeasureContext, m: Request<'augment_outcome'>): Promise<MeasurementValue> {
  const mixedEpoch = exportedFunction<MixedEpochFn>(ctx.mod, 'mixedEpoch', '(images, seed)');
  const { splits, labelNames } = ctx.dataset;
  const classes = labelNames.length;
  const train = splits.train;
  const rows = stratifiedSubset(train.labels, classes, m.trainImages, childSeed(m.seed, SEED_SUBSET));
  const weights = tf.tensor1d(balancedWeights(classCounts(train, classes, rows)));
  const unit = tf.tidy(() => tf.add(tf.mul(imageBatch(train, rows), 0.5), 0.5) as TF.Tensor4D);
  const labels = tf.tidy(() => oneHotBatch(train, rows, classes));
  const rng = new SeededRandom(childSeed(m.seed, SEED_BUILD));
  const model = ctx.random.withSeed(() => rng.next(), () => smallNetwork(train.height, classes));
  const optimizer = tf.train.adam(TRAINING.learningRate);
  try {
    const epochLosses: (number | null)[] = [];
    let steps = 0;
    for (let epoch = 0; epoch < m.epochs; epoch++) {
      // A copy per epoch: the learner's code may dispose or return its input, and the next epoch needs it again.
      const input = unit.clone();
      const out = ctx.learner(() => ctx.mod.call('mixedEpoch', () => mixedEpoch(input, childSeed(m.seed, SEED_EPOCH, epoch))));
      if (!(out instanceof tf.Tensor)) {
        input.dispose();
        throw new InvalidSubmission(`mixedEpoch must return a tensor; it returned ${describeValue(out)}.`);
      }
      if (JSON.stringify(out.shape) !== JSON.stringify(unit.shape)) {
        const shape = JSON.stringify(out.shape);
        tf.dispose([input, out]);
        throw new InvalidSubmission(`mixedEpoch returned images of shape ${shape} for input ${JSON.stringify(unit.shape)}: the network and the labels expect exactly the images it was given, in order.`);
      }
      const epochImages = tf.tidy(() => tf.div(tf.sub(out, 0.5), 0.5) as TF.Tensor4D);
      tf.dispose([input, out]);
      const order = new SeededRandom(childSeed(m.seed, SEED_ORDER, epoch)).permutation(rows.length);
      let sum = 0;
      for (const batch of chunks(order, TRAINING.batchSize)) {
        const cost = tf.tidy(() => {
          const index = tf.tensor1d(batch, 'int32');
          const x = tf.gather(epochImages, index);
          const y = tf.gather(labels, index);
          return optimizer.minimize(() => {
            const logits = model.apply(x, { training: true }) as TF.Tensor2D;
            const rowWeight = tf.sum(tf.mul(y, weights), -1);
            const rowLoss = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1));
            return tf.div(tf.sum(tf.mul(rowLoss, rowWeight)), tf.sum(rowWeight)) as TF.Scalar;
          }, true)!;
        });
        sum += (await cost.data())[0]! * batch.length;
        cost.dispose();
        steps++;
      }
      epochImages.dispose();
      const mean = sum / rows.length;
      epochLosses.push(Number.isFinite(mean) ? mean : null);
    }
    const scored = await recalls(model, splits[m.evalSplit], classes);
    return { kind: 'augment_outcome', ...scored, steps, epochLosses };
  } finally {
    optimizer.dispose();
    model.dispose();
    weights.dispose();
    unit.dispose();
    labels.dispose();
  }
}

/**
 * Pooling and two dense layers: well under a second per epoch on the plain-JavaScript backend, where a
 * convolution's gradient would take several (grading keeps each test to seconds on a small machine).
 */
function smallNetwork(size: number, classes: number): TF.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ inputShape: [size, size, 1], poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: classes }),
    ],
  });
}
