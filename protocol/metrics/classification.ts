import { z } from 'zod';
import { PROTOCOL_VERSION } from '../envelope';
import { BACKENDS, PROFILES } from '../vocabulary';
import { finite, nonNegInt, unitInterval } from './numbers';

/** ACC and AUC as MedMNIST's evaluator defines them (AUC: one-vs-rest mean for multi-class). */
export const AccAucSchema = z.object({ acc: unitInterval, auc: unitInterval });
export type AccAuc = z.infer<typeof AccAucSchema>;

export const EXPERIMENT_NAMES = ['A', 'B', 'C'] as const;
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number];

export const ExperimentResultSchema = z.object({
  name: z.enum(EXPERIMENT_NAMES),
  label: z.string(),
  epochs: z.array(z.object({ epoch: nonNegInt, trainLoss: finite, val: AccAucSchema })),
  test: AccAucSchema,
  /** confusion[true][predicted] on the test split. */
  confusion: z.array(z.array(nonNegInt)),
  wallSeconds: finite,
});
export type ExperimentResult = z.infer<typeof ExperimentResultSchema>;

export const ClassificationMetricsSchema = z.object({
  submodule: z.literal('classification'),
  protocolVersion: z.literal(PROTOCOL_VERSION),
  seed: z.number().int(),
  backend: z.enum(BACKENDS),
  profile: z.enum(PROFILES),
  dataset: z.string(),
  classes: z.array(z.string()),
  experiments: z.array(ExperimentResultSchema),
  wallSeconds: finite,
});
export type ClassificationMetrics = z.infer<typeof ClassificationMetricsSchema>;
