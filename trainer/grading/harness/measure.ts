/**
 * The measurements the harness takes of a learner's challenge file. Each returns raw facts (layer list,
 * settings, errors per split); whether they are good enough is decided by the parent, which holds the key.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import { MinMaxScaler } from '../../core/minMaxScaler';
import { SeededRandom, childSeed } from '../../core/random';
import { meanAbsoluteError } from '../../core/regressionMetrics';
import { randomSplits } from '../../core/splits';
import type { LearnerModule } from '../../learner/evaluateLearnerBundle';
import { FEATURE_SETS, selectColumns, targetValues, type RegressionTable } from '../../submodules/regression/dataset';
import { exerciseFromModule } from '../../submodules/regression/exercise';
import { trainNetwork } from '../../submodules/regression/network';
import type { MeasurementRequest, MeasurementValue } from '../childProtocol';
import type { RandomSource } from './harden';

export interface MeasureContext {
  mod: LearnerModule;
  table: RegressionTable;
  random: RandomSource;
  /** Brackets every call into learner code, so the parent can apply the learner-call time limit. */
  learner<T>(fn: () => T): T;
}

/** Thrown for a result that is not the learner's code misbehaving but not what the challenge asks either. */
export class InvalidSubmission extends Error {}

export async function measure(ctx: MeasureContext, m: MeasurementRequest): Promise<MeasurementValue> {
  switch (m.kind) {
    case 'exports':
      return measureExports(ctx);
    case 'architecture':
      return measureArchitecture(ctx, m.inputFeatures);
    case 'training': {
      const { training } = ctx.learner(() => exerciseFromModule(ctx.mod));
      return { kind: 'training', ...training, trainRows: Math.round(ctx.table.values.length * m.trainFraction) };
    }
    case 'outcome':
      return { kind: 'outcome', maes: (await measureOutcome(ctx, m)).map((v) => (Number.isFinite(v) ? v : null)) };
    default:
      throw new Error(`a ${m.kind} measurement belongs to another submodule's challenge`);
  }
}

function measureExports(ctx: MeasureContext): MeasurementValue {
  const exports = ctx.mod.exports;
  const buildNetwork = ctx.learner(() => typeof exports['buildNetwork'] === 'function');
  let trainingProblem: string | null = null;
  try {
    // Only `training` is checked here; a stand-in buildNetwork keeps exerciseFromModule from failing on it first.
    const training = ctx.learner(() => exports['training']);
    exerciseFromModule({ ...ctx.mod, exports: { buildNetwork: () => undefined, training } });
  } catch (err) {
    trainingProblem = (err as Error).message;
  }
  return { kind: 'exports', buildNetwork, trainingProblem };
}

function measureArchitecture(ctx: MeasureContext, inputFeatures: number): MeasurementValue {
  const build = ctx.mod.exports['buildNetwork'];
  if (typeof build !== 'function') throw new InvalidSubmission('export a function named buildNetwork(inputFeatures).');
  const model = ctx.learner(() => ctx.mod.call('buildNetwork', () => (build as (n: number) => unknown)(inputFeatures)));
  if (!(model instanceof tf.LayersModel)) throw new InvalidSubmission('buildNetwork must return a tf.LayersModel, e.g. tf.sequential({ layers: [...] }).');
  try {
    // Layer configs may come from the learner's own layer classes, so reading them is learner code too.
    return ctx.learner(() =>
      ctx.mod.call('describing the network', () => ({
        kind: 'architecture' as const,
        inputShape: [...(model.inputs[0]?.shape ?? [])],
        outputShape: [...(model.outputs[0]?.shape ?? [])],
        layers: model.layers.map((layer) => describeLayer(layer)),
      })),
    );
  } finally {
    model.dispose();
  }
}

function describeLayer(layer: TF.layers.Layer): { className: string; units: number | null; activation: string | null } {
  const config = layer.getConfig() as { units?: unknown; activation?: unknown };
  return {
    className: layer.getClassName(),
    units: typeof config.units === 'number' ? config.units : null,
    activation: typeof config.activation === 'string' ? config.activation : null,
  };
}

/**
 * Trains the learner's network on the requested splits with the same seeds `biomed-lab run regression`
 * uses for its network (see splitJob.ts), so an instructor can reproduce a grade with the CLI.
 */
async function measureOutcome(ctx: MeasureContext, m: Extract<MeasurementRequest, { kind: 'outcome' }>): Promise<number[]> {
  const exercise = ctx.learner(() => exerciseFromModule(ctx.mod));
  const k = FEATURE_SETS.findIndex((s) => s.name === m.featureSet);
  const set = FEATURE_SETS[k]!;
  const { table } = ctx;
  const maes: number[] = [];
  for (const [index, split] of randomSplits(table.values.length, m.splits, m.trainFraction, m.seed).entries()) {
    const yTrain = targetValues(table, split.train);
    const yTest = targetValues(table, split.test);
    const yScaler = MinMaxScaler.fit(yTrain.map((v) => [v]));
    const xTrainRaw = selectColumns(table, set.features, split.train);
    const xScaler = MinMaxScaler.fit(xTrainRaw);
    const rng = new SeededRandom(childSeed(m.seed, index, 3000 + k));
    const model = ctx.learner(() => ctx.random.withSeed(() => rng.next(), () => exercise.buildNetwork(set.features.length)));
    try {
      const fit = await trainNetwork({
        model,
        settings: exercise.training,
        xTrain: xScaler.transform(xTrainRaw),
        yTrain: yScaler.transform(yTrain.map((v) => [v])).map((r) => r[0]!),
        xTest: xScaler.transform(selectColumns(table, set.features, split.test)),
        seed: childSeed(m.seed, index, 2000 + k),
      });
      maes.push(meanAbsoluteError(yTest, yScaler.inverseColumn(fit.testPredictions)));
    } finally {
      model.dispose();
    }
  }
  return maes;
}
