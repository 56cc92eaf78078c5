import { DecisionTreeRegression } from 'ml-cart';
import { RandomForestRegression } from 'ml-random-forest';
import MultivariateLinearRegression from 'ml-regression-multivariate-linear';

/** A fitted model that predicts one number per row. */
export interface Regressor {
  predict(rows: readonly (readonly number[])[]): number[];
}

export interface BaselineSpec {
  name: 'linear' | 'tree' | 'forest';
  label: string;
  fit(x: readonly (readonly number[])[], y: readonly number[], seed: number): Regressor;
}

export interface ForestSettings {
  trees: number;
  /** Fraction of the columns each tree may use (ml-random-forest draws one column subset per tree). */
  featureFraction: number;
}

// Baselines come from the ml.js libraries on purpose: the lesson is to compare against standard tools,
// not to hand-write learners.
export function baselineModels(forest: ForestSettings): BaselineSpec[] {
  return [
    {
      name: 'linear',
      label: 'Linear regression',
      fit(x, y) {
        const model = new MultivariateLinearRegression(
          x.map((r) => [...r]),
          y.map((v) => [v]),
        );
        return { predict: (rows) => model.predict(rows.map((r) => [...r])).map((p) => p[0]!) };
      },
    },
    {
      name: 'tree',
      label: 'Decision tree',
      fit(x, y) {
        const model = new DecisionTreeRegression();
        model.train(
          x.map((r) => [...r]),
          [...y],
        );
        return { predict: (rows) => model.predict(rows.map((r) => [...r])) };
      },
    },
    {
      name: 'forest',
      label: `Random forest (${forest.trees} trees)`,
      fit(x, y, seed) {
        const columns = x[0]!.length;
        const model = new RandomForestRegression({
          nEstimators: forest.trees,
          // An integer: ml-random-forest reads 1.0 as "one column".
          maxFeatures: Math.max(1, Math.round(columns * forest.featureFraction)),
          replacement: false,
          useSampleBagging: true,
          noOOB: true,
          seed,
        });
        model.train(
          x.map((r) => [...r]),
          [...y],
        );
        return { predict: (rows) => model.predict(rows.map((r) => [...r])) };
      },
    },
  ];
}
