import { childSeed, withSeededMathRandom } from '../../core/random';
import { meanAbsoluteError, rootMeanSquaredError } from '../../core/regressionMetrics';
import { MinMaxScaler } from '../../core/minMaxScaler';
import type { Split } from '../../core/splits';
import type { RegressionExercise } from '../../learner/regressionExercise';
import type { BaselineSpec } from './baselines';
import { FEATURE_SETS, selectColumns, targetValues, type FeatureSet, type RegressionTable } from './dataset';
import { fScore, mutualInformation } from './featureRanking';
import { trainNetwork } from './network';

/** Everything one split needs, built once per worker. */
export interface SplitEnvironment {
  table: RegressionTable;
  exercise: RegressionExercise;
  baselines: readonly BaselineSpec[];
  seed: number;
}

export interface ModelError {
  model: string;
  mae: number;
  rmse: number;
}

export interface SplitOutcome {
  index: number;
  errors: ModelError[];
  networkInitialWeights: Record<string, number[][]>;
  curve: { model: string; epoch: number; loss: number }[];
  /** Univariate scores of every feature of the full set, on this split's training rows. */
  ranking: { feature: string; fScore: number; mutualInformation: number }[];
}

export interface SplitHooks {
  onModel(error: ModelError): void;
  onEpoch(model: string, epoch: number): void;
  throwIfCancelled(): void;
}

/** Models per feature set: the forest is left out where it would only repeat the tree's lesson at 10× the cost. */
export function modelsFor(set: FeatureSet, baselines: readonly BaselineSpec[]): BaselineSpec[] {
  return set.name === 'all' ? [...baselines] : baselines.filter((b) => b.name !== 'forest');
}

export function modelName(base: string, featureSet: string): string {
  return featureSet === 'all' ? base : `${base}-${featureSet}`;
}

/**
 * One train/test split, start to finish: scalers fitted on its training rows, every baseline, the network,
 * and the feature scores. A pure function of the split and the seed, so splits can run in any worker.
 */
export async function runSplit(env: SplitEnvironment, index: number, split: Split, hooks: SplitHooks): Promise<SplitOutcome> {
  const { table, exercise, seed } = env;
  const yTrain = targetValues(table, split.train);
  const yTest = targetValues(table, split.test);
  const yScaler = MinMaxScaler.fit(yTrain.map((v) => [v]));
  const yTrainScaled = yScaler.transform(yTrain.map((v) => [v])).map((r) => r[0]!);
  const outcome: SplitOutcome = { index, errors: [], networkInitialWeights: {}, curve: [], ranking: [] };
  const score = (model: string, predicted: number[]): void => {
    const error = { model, mae: meanAbsoluteError(yTest, predicted), rmse: rootMeanSquaredError(yTest, predicted) };
    outcome.errors.push(error);
    hooks.onModel(error);
  };

  for (const [k, set] of FEATURE_SETS.entries()) {
    const xTrainRaw = selectColumns(table, set.features, split.train);
    const xScaler = MinMaxScaler.fit(xTrainRaw);
    const xTrain = xScaler.transform(xTrainRaw);
    const xTest = xScaler.transform(selectColumns(table, set.features, split.test));

    for (const baseline of modelsFor(set, env.baselines)) {
      hooks.throwIfCancelled();
      const fitted = baseline.fit(xTrain, yTrain, childSeed(seed, index, 1000 + k));
      score(modelName(baseline.name, set.name), fitted.predict(xTest));
    }

    const name = modelName('network', set.name);
    const model = withSeededMathRandom(childSeed(seed, index, 3000 + k), () => exercise.buildNetwork(set.features.length));
    try {
      const fit = await trainNetwork({
        model,
        settings: exercise.training,
        xTrain,
        yTrain: yTrainScaled,
        xTest,
        seed: childSeed(seed, index, 2000 + k),
        checkCancelled: hooks.throwIfCancelled,
        onEpoch: (epoch, loss) => {
          if (index === 0) outcome.curve.push({ model: name, epoch, loss });
          hooks.onEpoch(name, epoch);
        },
      });
      outcome.networkInitialWeights[name] = fit.initialWeights;
      score(name, yScaler.inverseColumn(fit.testPredictions));
    } finally {
      model.dispose();
    }
  }

  const full = FEATURE_SETS[0]!;
  const xRank = selectColumns(table, full.features, split.train);
  outcome.ranking = full.features.map((feature, j) => {
    const column = xRank.map((r) => r[j]!);
    return { feature, fScore: fScore(column, yTrain), mutualInformation: mutualInformation(column, yTrain) };
  });
  return outcome;
}
