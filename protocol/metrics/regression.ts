import { z } from 'zod';
import { PROTOCOL_VERSION } from '../envelope';
import { BACKENDS, PROFILES } from '../vocabulary';
import { finite, nonNegInt } from './numbers';

export const SummarySchema = z.object({ mean: finite, sd: finite });
export type Summary = z.infer<typeof SummarySchema>;

export const ModelResultSchema = z.object({
  name: z.string().min(1),
  /** Human-readable label for plots and tables. */
  label: z.string().min(1),
  /** Which feature set the model was trained on (see the submodule's feature sets). */
  featureSet: z.string().min(1),
  mae: SummarySchema,
  rmse: SummarySchema,
  /** Per-split errors in the target's own units, in split order. */
  perSplit: z.object({ mae: z.array(finite), rmse: z.array(finite) }),
});
export type ModelResult = z.infer<typeof ModelResultSchema>;

export const FeatureScoreSchema = z.object({ feature: z.string(), fScore: finite, mutualInformation: finite });
export type FeatureScore = z.infer<typeof FeatureScoreSchema>;

export const RegressionMetricsSchema = z.object({
  submodule: z.literal('regression'),
  protocolVersion: z.literal(PROTOCOL_VERSION),
  seed: z.number().int(),
  backend: z.enum(BACKENDS),
  profile: z.enum(PROFILES),
  target: z.string(),
  units: z.string(),
  splits: z.object({ count: nonNegInt, trainRows: nonNegInt, testRows: nonNegInt }),
  featureSets: z.array(z.object({ name: z.string(), label: z.string(), features: z.array(z.string()) })),
  models: z.array(ModelResultSchema),
  /** Univariate rankings averaged over the training rows of every split (never the test rows). */
  featureRanking: z.array(FeatureScoreSchema),
  correlation: z.object({ features: z.array(z.string()), matrix: z.array(z.array(finite)) }),
  /** How the network was trained (the course's settings or the learner's). */
  training: z.object({ learningRate: finite, epochs: nonNegInt, batchSize: nonNegInt }),
  /** The network's mean training loss per epoch on the first split, for the learning curve. */
  networkCurve: z.array(z.object({ model: z.string(), epoch: nonNegInt, loss: finite })),
  wallSeconds: finite,
});
export type RegressionMetrics = z.infer<typeof RegressionMetricsSchema>;
