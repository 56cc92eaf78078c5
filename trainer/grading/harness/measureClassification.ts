/**
 * The measurements the harness takes of a Classification challenge file: what classWeights and
 * weightedCrossEntropy return on given inputs, and how the learner's classifier does on BreastMNIST when it
 * is trained with them. Raw facts only; the parent, which holds the key, decides what they are worth.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import { SeededRandom, childSeed } from '../../core/random';
import type { MedmnistDataset, MedmnistSplitData } from '../../data/medmnist/load';
import type { LearnerModule } from '../../learner/evaluateLearnerBundle';
import { chunks, imageBatch, oneHotBatch } from '../../submodules/classification/batches';
import { classCounts, stratifiedSubset } from '../../submodules/classification/dataset';
import type { MeasurementRequest, MeasurementValue } from '../childProtocol';
import type { RandomSource } from './harden';
import { describeValue, exportedFunction } from './learnerValues';
import { InvalidSubmission } from './measure';

export interface ClassificationMeasureContext {
  mod: LearnerModule;
  dataset: MedmnistDataset;
  random: RandomSource;
  learner<T>(fn: () => T): T;
}

type Request<K extends MeasurementRequest['kind']> = Extract<MeasurementRequest, { kind: K }>;

/** Seed purposes, so the subset, the initial weights and the batch order never share a stream. */
const SEED_SUBSET = 1;
const SEED_BUILD = 2;
const SEED_ORDER = 3;
/** Images scored per forward pass; bounds memory whatever the split's size. */
const SCORE_BATCH = 256;

export async function measureClassification(ctx: ClassificationMeasureContext, m: MeasurementRequest): Promise<MeasurementValue> {
  switch (m.kind) {
    case 'class_weights':
      return measureClassWeights(ctx, m);
    case 'weighted_loss':
      return measureLoss(ctx, m);
    case 'classifier_outcome':
      return measureOutcome(ctx, m);
    default:
      throw new Error(`a ${m.kind} measurement belongs to another submodule's challenge`);
  }
}

type ClassWeightsFn = (counts: number[]) => unknown;
type LossFn = (labels: TF.Tensor2D, logits: TF.Tensor2D, weights: number[]) => unknown;
type BuildFn = (imageSize: number, channels: number, classes: number) => unknown;

function measureClassWeights(ctx: ClassificationMeasureContext, m: Request<'class_weights'>): MeasurementValue {
  const classWeights = exportedFunction<ClassWeightsFn>(ctx.mod, 'classWeights', '(counts)');
  const results = m.cases.map((counts) => {
    // A copy, so a learner who sorts or edits the array in place cannot change the next case.
    const out = ctx.learner(() => ctx.mod.call('classWeights', () => classWeights([...counts])));
    return numbersOf(out, 'classWeights');
  });
  return { kind: 'class_weights', results: results.map((r) => (typeof r === 'string' ? { problem: r } : { weights: r })) };
}

function measureLoss(ctx: ClassificationMeasureContext, m: Request<'weighted_loss'>): MeasurementValue {
  const loss = exportedFunction<LossFn>(ctx.mod, 'weightedCrossEntropy', '(labels, logits, weights)');
  const results = m.cases.map((c) => {
    const classes = c.weights.length;
    return tf.tidy(() => {
      const labels = tf.oneHot(tf.tensor1d(c.labels, 'int32'), classes).toFloat() as TF.Tensor2D;
      const logits = tf.tensor2d(c.logits);
      const out = ctx.learner(() => ctx.mod.call('weightedCrossEntropy', () => loss(labels, logits, [...c.weights])));
      const value = scalarOf(out);
      return typeof value === 'string' ? { problem: value } : { value };
    });
  });
  return { kind: 'weighted_loss', results };
}

/**
 * Trains the learner's classifier with their own class weights and loss (Adam, their settings), in a seeded
 * batch order, then scores the evaluation split. Measures the recall of each class, so the parent can judge
 * balanced accuracy: on BreastMNIST a network that always answers the larger class already has 73 % accuracy.
 */
async function measureOutcome(ctx: ClassificationMeasureContext, m: Request<'classifier_outcome'>): Promise<MeasurementValue> {
  const classWeights = exportedFunction<ClassWeightsFn>(ctx.mod, 'classWeights', '(counts)');
  const loss = exportedFunction<LossFn>(ctx.mod, 'weightedCrossEntropy', '(labels, logits, weights)');
  const build = exportedFunction<BuildFn>(ctx.mod, 'buildClassifier', '(imageSize, channels, classes)');
  const { splits, labelNames } = ctx.dataset;
  const classes = labelNames.length;
  const train = splits.train;
  const rows = stratifiedSubset(train.labels, classes, m.trainImages, childSeed(m.seed, SEED_SUBSET));
  const settings = readTraining(ctx.learner(() => ctx.mod.exports['training']));
  const batches = Math.ceil(rows.length / settings.batchSize);
  const steps = settings.epochs * batches;
  if (steps > m.maxSteps) {
    throw new InvalidSubmission(`training would take ${settings.epochs} epochs × ${batches} batches = ${steps} gradient steps; the challenge allows ${m.maxSteps}: lower epochs or raise batchSize.`);
  }

  const counts = classCounts(train, classes, rows);
  const weightsOut = numbersOf(ctx.learner(() => ctx.mod.call('classWeights', () => classWeights([...counts]))), 'classWeights');
  if (typeof weightsOut === 'string') throw new InvalidSubmission(weightsOut);
  if (weightsOut.length !== classes || weightsOut.some((w) => !(w >= 0))) {
    throw new InvalidSubmission(`classWeights(${JSON.stringify(counts)}) must return ${classes} weights, none negative; it returned ${JSON.stringify(weightsOut)}.`);
  }

  const rng = new SeededRandom(childSeed(m.seed, SEED_BUILD));
  const model = ctx.learner(() => ctx.random.withSeed(() => rng.next(), () => ctx.mod.call('buildClassifier', () => build(train.height, train.channels, classes))));
  if (!(model instanceof tf.LayersModel)) throw new InvalidSubmission('buildClassifier must return a tf.LayersModel, e.g. tf.sequential({ layers: [...] }).');
  const optimizer = tf.train.adam(settings.learningRate);
  try {
    checkShapes(model, train, classes);
    const epochLosses: (number | null)[] = [];
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = new SeededRandom(childSeed(m.seed, SEED_ORDER, epoch)).permutation(rows.length).map((k) => rows[k]!);
      let sum = 0;
      for (const batch of chunks(order, settings.batchSize)) {
        const cost = tf.tidy(() => {
          const x = imageBatch(train, batch);
          const y = oneHotBatch(train, batch, classes);
          const value = optimizer.minimize(() => {
            const out = ctx.mod.call('weightedCrossEntropy', () => loss(y, model.apply(x, { training: true }) as TF.Tensor2D, weightsOut));
            if (!(out instanceof tf.Tensor) || out.rank !== 0) throw new InvalidSubmission('weightedCrossEntropy must return a scalar tensor (one number for the batch).');
            return out as TF.Scalar;
          }, true);
          return value!;
        });
        sum += (await cost.data())[0]! * batch.length;
        cost.dispose();
      }
      const mean = sum / rows.length;
      epochLosses.push(Number.isFinite(mean) ? mean : null);
    }
    const scored = await recalls(model, splits[m.evalSplit], classes);
    return { kind: 'classifier_outcome', ...scored, steps, epochLosses };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

function checkShapes(model: TF.LayersModel, split: MedmnistSplitData, classes: number): void {
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  const want = [null, split.height, split.width, split.channels];
  if (model.inputs.length !== 1 || JSON.stringify(input) !== JSON.stringify(want)) {
    throw new InvalidSubmission(`buildClassifier's input is ${JSON.stringify(input)}; images arrive as ${JSON.stringify(want)} (use inputShape: [imageSize, imageSize, channels]).`);
  }
  if (model.outputs.length !== 1 || JSON.stringify(output) !== JSON.stringify([null, classes])) {
    throw new InvalidSubmission(`buildClassifier's output is ${JSON.stringify(output)}; end with a dense layer of ${classes} units and no activation.`);
  }
}

export async function recalls(model: TF.LayersModel, split: MedmnistSplitData, classes: number): Promise<{ recalls: number[] | null; accuracy: number | null }> {
  const hits = new Array<number>(classes).fill(0);
  const totals = new Array<number>(classes).fill(0);
  const all = Array.from({ length: split.count }, (_, i) => i);
  for (const batch of chunks(all, SCORE_BATCH)) {
    const scores = tf.tidy(() => model.predict(imageBatch(split, batch)) as TF.Tensor2D);
    const values = await scores.data();
    scores.dispose();
    if (values.some((v) => !Number.isFinite(v))) return { recalls: null, accuracy: null };
    batch.forEach((row, i) => {
      const s = values.subarray(i * classes, (i + 1) * classes);
      const predicted = s.indexOf(Math.max(...s));
      const truth = split.labels[row]!;
      totals[truth]!++;
      if (predicted === truth) hits[truth]!++;
    });
  }
  return {
    recalls: hits.map((h, c) => (totals[c] ? h / totals[c]! : 0)),
    accuracy: hits.reduce((a, b) => a + b, 0) / split.count,
  };
}

interface Training {
  learningRate: number;
  epochs: number;
  batchSize: number;
}

function readTraining(value: unknown): Training {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const field = (name: keyof Training, integer: boolean): number => {
    const x = v[name];
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x))) {
      throw new InvalidSubmission(`export training = { learningRate, epochs, batchSize }: training.${name} is ${JSON.stringify(x)}; it must be a positive ${integer ? 'whole number' : 'number'}.`);
    }
    return x;
  };
  return { learningRate: field('learningRate', false), epochs: field('epochs', true), batchSize: field('batchSize', true) };
}

/** An array (or 1-D tensor) of finite numbers, or a sentence saying what came back instead. */
function numbersOf(out: unknown, name: string): number[] | string {
  const values = out instanceof tf.Tensor ? (out.rank === 1 ? Array.from(out.dataSync()) : undefined) : Array.isArray(out) ? out : undefined;
  if (out instanceof tf.Tensor) out.dispose();
  if (!values) return `${name} must return an array of numbers, one per class; it returned ${describeValue(out)}.`;
  if (!values.every((x) => typeof x === 'number' && Number.isFinite(x))) return `${name} returned ${JSON.stringify(values)}; every weight must be a finite number.`;
  return values as number[];
}

/** The number inside a scalar tensor, or a sentence saying what came back instead. */
function scalarOf(out: unknown): number | string {
  if (!(out instanceof tf.Tensor)) return `weightedCrossEntropy must return a scalar tensor; it returned ${describeValue(out)}.`;
  if (out.size !== 1) return `weightedCrossEntropy must return one number for the whole batch (a scalar), not a tensor of shape [${out.shape.join(', ')}]: average over the batch.`;
  const value = out.dataSync()[0]!;
  return Number.isFinite(value) ? value : `weightedCrossEntropy returned ${value}.`;
}
