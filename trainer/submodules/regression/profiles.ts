import type { Profile } from '../../../protocol/messages';
import type { ForestSettings } from './baselines';

export interface RegressionProfile {
  splits: number;
  trainFraction: number;
  forest: ForestSettings;
}

/**
 * `full` mirrors scikit-learn's defaults (100 trees, every column available to every tree). `quick` keeps
 * the 100 splits, which is what makes the spread of errors meaningful, and shrinks only the forest, the one
 * model whose cost grows with its size: ml.js trees are far slower than scikit-learn's.
 */
export const REGRESSION_PROFILES: Record<Profile, RegressionProfile> = {
  quick: { splits: 100, trainFraction: 2 / 3, forest: { trees: 10, featureFraction: 1 / 3 } },
  full: { splits: 100, trainFraction: 2 / 3, forest: { trees: 100, featureFraction: 1 } },
};
