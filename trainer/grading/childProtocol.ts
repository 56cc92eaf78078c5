/**
 * What the grader (parent) and its sandboxed harness (child) say to each other over the private channel
 * (fd 3). The parent sends one request; the child answers with lines that each start with the run's nonce.
 * Requests name measurements by an opaque ref (m0, m1, ...), never by test id, title or threshold: the
 * child measures, the parent judges, so nothing from the key but the measuring parameters enters the
 * process that runs learner code.
 */
import { z } from 'zod';
import { CHALLENGE_SUBMODULES } from './testSpec';

export const MeasurementRequestSchema = z.discriminatedUnion('kind', [
  z.object({ ref: z.string(), kind: z.literal('exports') }),
  z.object({ ref: z.string(), kind: z.literal('architecture'), inputFeatures: z.number().int().positive() }),
  z.object({ ref: z.string(), kind: z.literal('training'), trainFraction: z.number() }),
  z.object({
    ref: z.string(),
    kind: z.literal('outcome'),
    seed: z.number().int(),
    splits: z.number().int().positive(),
    featureSet: z.enum(['all', 'no-size']),
    trainFraction: z.number(),
  }),
  z.object({ ref: z.string(), kind: z.literal('class_weights'), cases: z.array(z.array(z.number())) }),
  z.object({
    ref: z.string(),
    kind: z.literal('weighted_loss'),
    cases: z.array(z.object({ logits: z.array(z.array(z.number())), labels: z.array(z.number().int()), weights: z.array(z.number()) })),
  }),
  z.object({
    ref: z.string(),
    kind: z.literal('classifier_outcome'),
    seed: z.number().int(),
    trainImages: z.number().int().positive(),
    evalSplit: z.enum(['val', 'test']),
    maxSteps: z.number().int().positive(),
  }),
  z.object({ ref: z.string(), kind: z.literal('pixel_weights'), cases: z.array(z.array(z.number())) }),
  z.object({
    ref: z.string(),
    kind: z.literal('pixel_loss'),
    cases: z.array(z.object({ logits: z.array(z.array(z.array(z.array(z.number())))), labels: z.array(z.array(z.array(z.number().int()))), weights: z.array(z.number()) })),
  }),
  z.object({ ref: z.string(), kind: z.literal('augment_transform'), imageSeed: z.number().int(), seeds: z.array(z.number().int()), maxShift: z.number().int() }),
  z.object({
    ref: z.string(),
    kind: z.literal('mixed_epoch'),
    imageSeed: z.number().int(),
    images: z.number().int().positive(),
    seeds: z.array(z.number().int()),
    maxShift: z.number().int(),
  }),
  z.object({
    ref: z.string(),
    kind: z.literal('augment_outcome'),
    seed: z.number().int(),
    trainImages: z.number().int().positive(),
    epochs: z.number().int().positive(),
    evalSplit: z.enum(['val', 'test']),
  }),
]);
export type MeasurementRequest = z.infer<typeof MeasurementRequestSchema>;

export const HarnessRequestSchema = z.object({
  nonce: z.string().min(32),
  /** The learner's entry file as the child sees it (inside the staged copy), for error locations. */
  entryFile: z.string(),
  /** Which challenge: the harness reads that submodule's data (a CSV table, or a MedMNIST .npz). */
  submodule: z.enum(CHALLENGE_SUBMODULES),
  bundle: z.object({ code: z.string(), map: z.string().optional() }),
  /** Absent for a challenge whose checks need no data file. */
  dataFile: z.string().optional(),
  measurements: z.array(MeasurementRequestSchema),
});
export type HarnessRequest = z.infer<typeof HarnessRequestSchema>;

const LocationSchema = z.object({ file: z.string(), line: z.number().int().positive(), column: z.number().int().nonnegative() });

/** Why learner code failed, as far as the child can tell; the parent turns it into advice. */
export const FAILURE_CAUSES = ['threw', 'access-denied', 'tampered', 'invalid'] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** A shift (crop of the zero-padded image) and an optional left-right mirror; all zero and false is the image itself. */
const ShiftFlipSchema = z.object({ dy: z.number().int(), dx: z.number().int(), flip: z.boolean() });

const LayerSchema = z.object({ className: z.string(), units: z.number().nullable(), activation: z.string().nullable() });

export const MeasurementValueSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exports'), buildNetwork: z.boolean(), trainingProblem: z.string().nullable() }),
  z.object({
    kind: z.literal('architecture'),
    inputShape: z.array(z.number().nullable()),
    outputShape: z.array(z.number().nullable()),
    layers: z.array(LayerSchema),
  }),
  z.object({
    kind: z.literal('training'),
    learningRate: z.number(),
    epochs: z.number(),
    batchSize: z.number(),
    trainRows: z.number().int(),
  }),
  /** null where the network's error is not a finite number (training diverged). */
  z.object({ kind: z.literal('outcome'), maes: z.array(z.number().nullable()) }),
  /** Per case: what the learner's function returned, or why it could not be read as numbers. */
  z.object({ kind: z.literal('class_weights'), results: z.array(z.union([z.object({ weights: z.array(z.number()) }), z.object({ problem: z.string() })])) }),
  z.object({ kind: z.literal('weighted_loss'), results: z.array(z.union([z.object({ value: z.number() }), z.object({ problem: z.string() })])) }),
  z.object({
    kind: z.literal('classifier_outcome'),
    /** Recall of each class on the evaluation split; null when the network's scores were not finite. */
    recalls: z.array(z.number()).nullable(),
    accuracy: z.number().nullable(),
    steps: z.number().int(),
    /** The mean training loss of each epoch; null where it was not a finite number. */
    epochLosses: z.array(z.number().nullable()),
  }),
  z.object({ kind: z.literal('pixel_weights'), results: z.array(z.union([z.object({ weights: z.array(z.number().nullable()) }), z.object({ problem: z.string() })])) }),
  z.object({ kind: z.literal('pixel_loss'), results: z.array(z.union([z.object({ value: z.number() }), z.object({ problem: z.string() })])) }),
  /** Per seed: the output's shape and range, whether the same seed gave the same output, and which shift and flip of the probe it is. */
  z.object({
    kind: z.literal('augment_transform'),
    results: z.array(
      z.union([
        z.object({ shape: z.array(z.number()), min: z.number(), max: z.number(), repeatable: z.boolean(), match: ShiftFlipSchema.nullable() }),
        z.object({ problem: z.string() }),
      ]),
    ),
  }),
  /** Per seed: how many images came back and, when as many as went in, which shift and flip of its own input each one is. */
  z.object({
    kind: z.literal('mixed_epoch'),
    images: z.number().int(),
    results: z.array(
      z.union([
        z.object({ count: z.number().int(), imageShape: z.array(z.number()), repeatable: z.boolean(), matches: z.array(ShiftFlipSchema.nullable()).nullable() }),
        z.object({ problem: z.string() }),
      ]),
    ),
  }),
  z.object({
    kind: z.literal('augment_outcome'),
    recalls: z.array(z.number()).nullable(),
    accuracy: z.number().nullable(),
    steps: z.number().int(),
    epochLosses: z.array(z.number().nullable()),
  }),
]);
export type MeasurementValue = z.infer<typeof MeasurementValueSchema>;

export const LearnerFailureSchema = z.object({
  cause: z.enum(FAILURE_CAUSES),
  message: z.string(),
  location: LocationSchema.optional(),
});
export type LearnerFailure = z.infer<typeof LearnerFailureSchema>;

export const HarnessReportSchema = z.discriminatedUnion('t', [
  /** The harness is up (backend chosen, data read); learner code has not run yet. */
  z.object({ t: z.literal('ready') }),
  /** About to evaluate the learner's file: the load time limit starts. */
  z.object({ t: z.literal('load') }),
  z.object({ t: z.literal('loaded') }),
  z.object({ t: z.literal('load-failed'), failure: LearnerFailureSchema }),
  z.object({ t: z.literal('start'), ref: z.string() }),
  /** Entering and leaving one call into learner code: the learner-call time limit runs in between. */
  z.object({ t: z.literal('call'), ref: z.string() }),
  z.object({ t: z.literal('return'), ref: z.string() }),
  z.object({ t: z.literal('result'), ref: z.string(), value: MeasurementValueSchema }),
  z.object({ t: z.literal('failed'), ref: z.string(), failure: LearnerFailureSchema }),
  z.object({ t: z.literal('done') }),
]);
export type HarnessReport = z.infer<typeof HarnessReportSchema>;
