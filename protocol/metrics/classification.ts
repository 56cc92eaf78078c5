import { z } from 'zod';
import { PROTOCOL_VERSION } from '../envelope';
import { BACKENDS, PROFILES } from '../vocabulary';
import { finite, nonNegInt, unitInterval } from './numbers';

/** ACC and AUC as MedMNIST's evaluator defines them (AUC: one-vs-rest mean for multi-class). */
export const AccAucSchema = z.object({ acc: unitInterval, auc: unitInterval });
export type AccAuc = z.infer<typeof AccAucSchema>;

export const EXPERIMENT_NAMES = ['A', 'B', 'C'] as const;
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number];

/**
 * A few test images of one off-diagonal confusion cell. The indices point into the `test_images` array of
 * the run's dataset file (`dataset.file`), row order as stored; the trainer writes one thumbnail per index
 * into THUMBNAIL_FOLDER, so the metrics never carry pixels.
 */
/** The run folder's subfolder of misclassified test images' thumbnails, one PNG per index listed in `misclassified`. */
export const THUMBNAIL_FOLDER = 'thumbnails';

export function thumbnailFileName(testIndex: number): string {
  return `test-${testIndex}.png`;
}

export const MisclassifiedSchema = z.object({ trueClass: nonNegInt, predicted: nonNegInt, count: nonNegInt, testIndices: z.array(nonNegInt) });
export type Misclassified = z.infer<typeof MisclassifiedSchema>;

export const ExperimentResultSchema = z.object({
  name: z.enum(EXPERIMENT_NAMES),
  label: z.string(),
  /** What the network started from and what the optimiser changed. */
  start: z.enum(['random', 'imagenet']),
  trains: z.enum(['all', 'head']),
  epochs: z.array(z.object({ epoch: nonNegInt, trainLoss: finite, val: AccAucSchema })),
  test: AccAucSchema,
  /** confusion[true][predicted] on the test split. */
  confusion: z.array(z.array(nonNegInt)),
  misclassified: z.array(MisclassifiedSchema),
  wallSeconds: finite,
});
export type ExperimentResult = z.infer<typeof ExperimentResultSchema>;

export const ClassificationMetricsSchema = z.object({
  submodule: z.literal('classification'),
  protocolVersion: z.literal(PROTOCOL_VERSION),
  seed: z.number().int(),
  backend: z.enum(BACKENDS),
  profile: z.enum(PROFILES),
  /** The MedMNIST flag, e.g. pathmnist. */
  dataset: z.string(),
  /** MedMNIST's task type, which chose the ACC/AUC rules. */
  task: z.string(),
  classes: z.array(z.string()),
  image: z.object({ size: nonNegInt, channels: nonNegInt }),
  /** The file the run read (test indices point into it) and how many images of each split were used. */
  data: z.object({
    file: z.string(),
    /** Images per class per split; `train` counts the rows trained on (a stratified subset in the quick profile). */
    classCounts: z.object({ train: z.array(nonNegInt), val: z.array(nonNegInt), test: z.array(nonNegInt) }),
    trainAvailable: nonNegInt,
  }),
  training: z.object({ optimizer: z.string(), learningRate: finite, momentum: finite, batchSize: nonNegInt, epochs: nonNegInt }),
  /** The pretrained weights B and C started from; null when neither ran. */
  weights: z
    .object({
      origin: z.enum(['local-file', 'download']),
      file: z.string(),
      sha256: z.string(),
      verification: z.enum(['pinned-sha256', 'hub-sha256', 'unverified-download', 'local-file']),
    })
    .nullable(),
  experiments: z.array(ExperimentResultSchema),
  wallSeconds: finite,
});
export type ClassificationMetrics = z.infer<typeof ClassificationMetricsSchema>;
