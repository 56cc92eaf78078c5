/**
 * The challenge test manifest: the public tests shipped with the extension and the instructor's hidden key
 * share one format, so an instructor can move a test between them by flipping `hidden`. A manifest is data
 * only: the measuring code is the grader's, so a key never contains code that would have to run beside
 * the learner's.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LabError } from '../core/labError';

const seconds = z.number().positive().max(3600);

export const CHALLENGE_SUBMODULES = ['regression', 'classification', 'augmentation', 'segmentation'] as const;
export type ChallengeSubmodule = (typeof CHALLENGE_SUBMODULES)[number];

const TestBase = z.object({
  /** Stable id: the gradebook column. Never shown to the learner when the test is hidden. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
  title: z.string().min(1),
  max_score: z.number().positive(),
  hidden: z.boolean(),
  /** Shown to the learner instead of any detail when a hidden test is not fully passed. */
  learner_hint: z.string().min(1).optional(),
  time_limit_s: seconds,
});

export const ExportsTestSchema = TestBase.extend({ kind: z.literal('exports') });

export const ArchitectureTestSchema = TestBase.extend({
  kind: z.literal('architecture'),
  input_features: z.number().int().positive(),
  min_hidden_dense: z.number().int().nonnegative(),
});

export const StepBudgetTestSchema = TestBase.extend({
  kind: z.literal('step_budget'),
  max_steps: z.number().int().positive(),
  train_fraction: z.number().gt(0).lt(1),
});

export const OutcomeTestSchema = TestBase.extend({
  kind: z.literal('outcome'),
  seed: z.number().int(),
  splits: z.number().int().positive().max(100),
  feature_set: z.enum(['all', 'no-size']),
  train_fraction: z.number().gt(0).lt(1),
  /** Mean absolute error (radius units) at or below which the test earns full marks. */
  full_credit_mae: z.number().positive(),
  /** At or above this, no marks; in between, the score falls linearly. */
  zero_credit_mae: z.number().positive(),
});

/** Classification: `classWeights(counts)` on each list of class counts, against N ÷ (K × count). */
export const ClassWeightsTestSchema = TestBase.extend({
  kind: z.literal('class_weights'),
  cases: z.array(z.array(z.number().int().positive()).min(2)).min(1),
  /** Relative tolerance per weight. */
  tolerance: z.number().positive().max(0.5),
});

const LossCaseSchema = z
  .object({
    logits: z.array(z.array(z.number()).min(2)).min(1),
    labels: z.array(z.number().int().nonnegative()).min(1),
    weights: z.array(z.number().positive()).min(2),
  })
  .refine((c) => c.labels.length === c.logits.length && c.logits.every((row) => row.length === c.weights.length) && c.labels.every((y) => y < c.weights.length), {
    message: 'one label per row of logits, one weight per column, labels below the number of classes',
  });
export type LossCase = z.infer<typeof LossCaseSchema>;

/** Classification: `weightedCrossEntropy(oneHot, logits, weights)` on each case, against the weighted mean. */
export const WeightedLossTestSchema = TestBase.extend({
  kind: z.literal('weighted_loss'),
  cases: z.array(LossCaseSchema).min(1),
  /** Absolute tolerance on the loss value. */
  tolerance: z.number().positive().max(0.5),
});

/** Classification: the learner's classifier, trained with their loss and weights on BreastMNIST, scored by balanced accuracy. */
export const ClassifierOutcomeTestSchema = TestBase.extend({
  kind: z.literal('classifier_outcome'),
  seed: z.number().int(),
  /** A class-stratified subset of BreastMNIST's training split (the whole split when larger). */
  train_images: z.number().int().positive(),
  eval_split: z.enum(['val', 'test']),
  /** The gradient-step budget the challenge states; a submission over it is not trained. */
  max_steps: z.number().int().positive(),
  /** Mean per-class recall at or above which the test earns full marks. */
  full_credit_balanced_accuracy: z.number().gt(0).lte(1),
  /** At or below this, no marks; in between, linear. */
  zero_credit_balanced_accuracy: z.number().gte(0).lt(1),
});

/** Segmentation: `pixelClassWeights(maskCounts)` on each list of per-class pixel counts, against median-frequency weights. */
export const PixelWeightsTestSchema = TestBase.extend({
  kind: z.literal('pixel_weights'),
  cases: z.array(z.array(z.number().int().nonnegative()).min(2).refine((c) => c.some((n) => n > 0), 'at least one class has pixels')).min(1),
  /** Relative tolerance per weight. */
  tolerance: z.number().positive().max(0.5),
});

const PixelLossCaseSchema = z
  .object({
    /** [N][H][W][C] raw scores, channels last as TensorFlow.js lays out images. */
    logits: z.array(z.array(z.array(z.array(z.number()).min(2)).min(1)).min(1)).min(1),
    /** [N][H][W] true class of each pixel. */
    labels: z.array(z.array(z.array(z.number().int().nonnegative()).min(1)).min(1)).min(1),
    weights: z.array(z.number().nonnegative()).min(2),
  })
  .refine(
    (c) => {
      const [h, w] = [c.logits[0]!.length, c.logits[0]![0]!.length];
      const classes = c.weights.length;
      return (
        c.labels.length === c.logits.length &&
        c.logits.every((img) => img.length === h && img.every((row) => row.length === w && row.every((px) => px.length === classes))) &&
        c.labels.every((img) => img.length === h && img.every((row) => row.length === w && row.every((y) => y < classes))) &&
        c.labels.flat(2).some((y) => c.weights[y]! > 0)
      );
    },
    { message: 'logits [N][H][W][C] and labels [N][H][W] of one shape, one weight per class, labels below the number of classes, some pixel with a positive weight' },
  );
export type PixelLossCase = z.infer<typeof PixelLossCaseSchema>;

/** Segmentation: `weightedPixelCrossEntropy(logits, labels, weights)` on each case, against the weighted mean over pixels. */
export const PixelLossTestSchema = TestBase.extend({
  kind: z.literal('pixel_loss'),
  cases: z.array(PixelLossCaseSchema).min(1),
  /** Absolute tolerance on the loss value. */
  tolerance: z.number().positive().max(0.5),
});

/** Augmentation: `augment(image, seed)` on a probe image for each seed: shape, range, determinism, shift and flip. */
export const AugmentTransformTestSchema = TestBase.extend({
  kind: z.literal('augment_transform'),
  /** Seeds the probe image is built from (trainer/submodules/augmentation/probeImages.ts). */
  image_seed: z.number().int(),
  seeds: z.array(z.number().int()).min(4),
  /** The largest shift, in pixels, the challenge allows (its padding). */
  max_shift: z.number().int().nonnegative().max(8),
});

/** Augmentation: `mixedEpoch(images, seed)` on probe images: as many images as it got, in order, some augmented. */
export const MixedEpochTestSchema = TestBase.extend({
  kind: z.literal('mixed_epoch'),
  image_seed: z.number().int(),
  images: z.number().int().min(4).max(256),
  seeds: z.array(z.number().int()).min(2),
  max_shift: z.number().int().nonnegative().max(8),
  /** The share of augmented images must fall in [min, max] over all seeds. */
  min_augmented: z.number().gte(0).lt(1),
  max_augmented: z.number().gt(0).lte(1),
});

/** Augmentation: the course's small network, trained on BreastMNIST images that went through the learner's mixedEpoch. */
export const AugmentOutcomeTestSchema = TestBase.extend({
  kind: z.literal('augment_outcome'),
  seed: z.number().int(),
  train_images: z.number().int().positive(),
  epochs: z.number().int().positive().max(50),
  eval_split: z.enum(['val', 'test']),
  full_credit_balanced_accuracy: z.number().gt(0).lte(1),
  zero_credit_balanced_accuracy: z.number().gte(0).lt(1),
});

export const ChallengeTestSchema = z.discriminatedUnion('kind', [
  ExportsTestSchema,
  ArchitectureTestSchema,
  StepBudgetTestSchema,
  OutcomeTestSchema,
  ClassWeightsTestSchema,
  WeightedLossTestSchema,
  ClassifierOutcomeTestSchema,
  PixelWeightsTestSchema,
  PixelLossTestSchema,
  AugmentTransformTestSchema,
  MixedEpochTestSchema,
  AugmentOutcomeTestSchema,
]);
export type ChallengeTest = z.infer<typeof ChallengeTestSchema>;

/** Which submodule's challenge each kind measures: the harness loads that submodule's data and exports. */
export const KIND_SUBMODULE: Readonly<Record<ChallengeTest['kind'], ChallengeSubmodule>> = {
  exports: 'regression',
  architecture: 'regression',
  step_budget: 'regression',
  outcome: 'regression',
  class_weights: 'classification',
  weighted_loss: 'classification',
  classifier_outcome: 'classification',
  pixel_weights: 'segmentation',
  pixel_loss: 'segmentation',
  augment_transform: 'augmentation',
  mixed_epoch: 'augmentation',
  augment_outcome: 'augmentation',
};

export const TestManifestSchema = z
  .object({
    format: z.literal(1),
    submodule: z.enum(CHALLENGE_SUBMODULES),
    /** The learner's file inside each submission folder. */
    entry: z.string().regex(/^[\w.-]+\.ts$/),
    limits: z.object({
      /** Evaluating the learner's file (its top-level code). */
      load_time_limit_s: seconds,
      /** One call into the learner's code (buildNetwork, reading `training`), separate from training time. */
      learner_call_time_limit_s: seconds,
    }),
    tests: z.array(ChallengeTestSchema).min(1),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.tests.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tests', i, 'id'], message: `duplicate test id "${t.id}"` });
      seen.add(t.id);
      if (t.hidden && !t.learner_hint) {
        ctx.addIssue({ code: 'custom', path: ['tests', i, 'learner_hint'], message: 'a hidden test needs a learner_hint: it is all the learner sees' });
      }
      if (t.kind === 'outcome' && !(t.full_credit_mae < t.zero_credit_mae)) {
        ctx.addIssue({ code: 'custom', path: ['tests', i], message: 'full_credit_mae must be below zero_credit_mae' });
      }
      if ((t.kind === 'classifier_outcome' || t.kind === 'augment_outcome') && !(t.zero_credit_balanced_accuracy < t.full_credit_balanced_accuracy)) {
        ctx.addIssue({ code: 'custom', path: ['tests', i], message: 'zero_credit_balanced_accuracy must be below full_credit_balanced_accuracy' });
      }
      if (t.kind === 'mixed_epoch' && !(t.min_augmented < t.max_augmented)) {
        ctx.addIssue({ code: 'custom', path: ['tests', i], message: 'min_augmented must be below max_augmented' });
      }
      if (KIND_SUBMODULE[t.kind] !== m.submodule) {
        ctx.addIssue({ code: 'custom', path: ['tests', i, 'kind'], message: `a ${t.kind} test belongs to a ${KIND_SUBMODULE[t.kind]} key, not a ${m.submodule} one` });
      }
    });
  });
export type TestManifest = z.infer<typeof TestManifestSchema>;

export const MANIFEST_FILE = 'manifest.json';

export function loadTestManifest(file: string): TestManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new LabError('bad-request', `${file}: cannot read the test manifest (${(err as Error).message}).`);
  }
  const parsed = TestManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LabError('bad-request', `${file}: ${issue.path.join('.') || 'manifest'}: ${issue.message}. See docs/grading.md for the format.`);
  }
  return parsed.data;
}
