/**
 * What the grader (parent) and its sandboxed harness (child) say to each other over the private channel
 * (fd 3). The parent sends one request; the child answers with lines that each start with the run's nonce.
 * Requests name measurements by an opaque ref (m0, m1, ...), never by test id, title or threshold: the
 * child measures, the parent judges, so nothing from the key but the measuring parameters enters the
 * process that runs learner code.
 */
import { z } from 'zod';

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
]);
export type MeasurementRequest = z.infer<typeof MeasurementRequestSchema>;

export const HarnessRequestSchema = z.object({
  nonce: z.string().min(32),
  /** The learner's entry file as the child sees it (inside the staged copy), for error locations. */
  entryFile: z.string(),
  bundle: z.object({ code: z.string(), map: z.string().optional() }),
  dataFile: z.string(),
  measurements: z.array(MeasurementRequestSchema),
});
export type HarnessRequest = z.infer<typeof HarnessRequestSchema>;

const LocationSchema = z.object({ file: z.string(), line: z.number().int().positive(), column: z.number().int().nonnegative() });

/** Why learner code failed, as far as the child can tell; the parent turns it into advice. */
export const FAILURE_CAUSES = ['threw', 'access-denied', 'tampered', 'invalid'] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

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
