/**
 * The one message protocol spoken between the extension host, the trainer child process, the CLI's
 * `--json` output and the webviews. Every message is declared here once, as a zod schema next to its
 * params, so each end validates what it receives at run time and no message can drift between ends.
 *
 * Envelope: `{ v, method, params }`, framed as one JSON object per line on the trainer's stdio.
 * Method names read `scope/noun/verb`.
 */
import { z } from 'zod';
import { PROTOCOL_VERSION, decodeMessage as decodeTable, envelopeOf, type DecodedMessage, type EnvelopeOf } from './envelope';
import { ClassificationMetricsSchema } from './metrics/classification';
import { finite, nonNegInt } from './metrics/numbers';
import { RegressionMetricsSchema } from './metrics/regression';
import { BACKENDS, BACKEND_CHOICES, PROFILES, SUBMODULES } from './vocabulary';

export { PROTOCOL_VERSION };
export * from './metrics/classification';
export * from './metrics/regression';
export * from './metrics/summary';
export * from './vocabulary';

// ---------------------------------------------------------------------------------------------
// Results: one schema per submodule, in protocol/metrics/, told apart by `submodule`.

export const SubmoduleMetricsSchema = z.discriminatedUnion('submodule', [RegressionMetricsSchema, ClassificationMetricsSchema]);
export type SubmoduleMetrics = z.infer<typeof SubmoduleMetricsSchema>;

export const ProblemLocationSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().nonnegative(),
});
export type ProblemLocation = z.infer<typeof ProblemLocationSchema>;

export const ERROR_CODES = [
  'bad-request',
  'bad-data',
  'learner-compile',
  'learner-runtime',
  'backend-unavailable',
  /** A download could not reach its server: offline, or the server is down. */
  'offline',
  /** A write failed for want of space; what was written before is intact. */
  'disk-full',
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Host → trainer

export const StartRunParamsSchema = z.object({
  runId: z.string().min(1),
  submodule: z.enum(SUBMODULES),
  profile: z.enum(PROFILES),
  seed: z.number().int(),
  backend: z.enum(BACKEND_CHOICES),
  outDir: z.string().min(1),
  /** Where datasets are read from or cached. */
  dataDir: z.string().optional(),
  /** The learner's exercise file that builds the network; absent means the course's reference network. */
  learnerFile: z.string().optional(),
  /** Which dataset of the submodule's family to use (e.g. a MedMNIST flag such as `breastmnist`). */
  dataset: z.string().min(1).optional(),
  /** A local weights file (e.g. torchvision-layout ImageNet weights as .safetensors) instead of the download. */
  weightsFile: z.string().min(1).optional(),
  /** Overrides the profile's number of training epochs (a quick look, or a test). */
  epochs: z.number().int().positive().optional(),
  /** Overrides the profile's number of random splits (a quick look, or a test). */
  splits: z.number().int().positive().optional(),
  /** Worker threads for work that splits cleanly (e.g. regression splits); absent means one per core. */
  workers: z.number().int().positive().optional(),
  /** Compute threads of the wasm backend (convolutions and matrix products); absent means one per core. */
  threads: z.number().int().positive().optional(),
  /** Names of the experiments to run; absent means all of the submodule's default ones. */
  experiments: z.array(z.string()).optional(),
  /** Continue an interrupted run from the checkpoints in `outDir` (Classification); refused if they were made with other settings. */
  resume: z.boolean().optional(),
});
export type StartRunParams = z.infer<typeof StartRunParamsSchema>;

export const CancelRunParamsSchema = z.object({ runId: z.string().min(1) });
export type CancelRunParams = z.infer<typeof CancelRunParamsSchema>;

// ---------------------------------------------------------------------------------------------
// Trainer → host

export const BackendRungSchema = z.object({
  backend: z.enum(BACKENDS),
  status: z.enum(['selected', 'skipped', 'not-tried']),
  reason: z.string(),
});
export type BackendRung = z.infer<typeof BackendRungSchema>;

export const DidBecomeReadyParamsSchema = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  pid: z.number().int(),
  nodeVersion: z.string(),
});
export type DidBecomeReadyParams = z.infer<typeof DidBecomeReadyParamsSchema>;

export const DidSelectBackendParamsSchema = z.object({
  runId: z.string(),
  backend: z.enum(BACKENDS),
  version: z.string(),
  /** Threads the backend computes with; null when a native build sizes its own pool. */
  threads: z.number().int().positive().nullable().optional(),
  ladder: z.array(BackendRungSchema),
});
export type DidSelectBackendParams = z.infer<typeof DidSelectBackendParamsSchema>;

export const DidProgressParamsSchema = z.object({
  runId: z.string(),
  /** What is running now, e.g. "network on split 12/100". */
  stage: z.string(),
  /** Overall completion of the run, 0..1. */
  fraction: z.number().min(0).max(1),
  split: z.object({ index: nonNegInt, count: nonNegInt }).optional(),
  epoch: z.object({ index: nonNegInt, count: nonNegInt }).optional(),
  batch: z.object({ index: nonNegInt, count: nonNegInt }).optional(),
});
export type DidProgressParams = z.infer<typeof DidProgressParamsSchema>;

export const DidRecordMetricParamsSchema = z.object({
  runId: z.string(),
  model: z.string(),
  name: z.string(),
  value: finite,
  split: nonNegInt.optional(),
  epoch: nonNegInt.optional(),
});
export type DidRecordMetricParams = z.infer<typeof DidRecordMetricParamsSchema>;

export const DidLogParamsSchema = z.object({
  runId: z.string().optional(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
});
export type DidLogParams = z.infer<typeof DidLogParamsSchema>;

export const DidWriteArtifactParamsSchema = z.object({
  runId: z.string(),
  /** `thumbnails` is a folder (the misclassified test images); `checkpoint` is training state saved after an epoch, which `resume` continues from; every other kind is one file. */
  kind: z.enum(['metrics', 'report', 'record', 'trace', 'thumbnails', 'checkpoint']),
  path: z.string(),
});
export type DidWriteArtifactParams = z.infer<typeof DidWriteArtifactParamsSchema>;

export const DidFinishRunParamsSchema = z.object({
  runId: z.string(),
  outDir: z.string(),
  metricsPath: z.string(),
  reportPath: z.string(),
  metrics: SubmoduleMetricsSchema,
});
export type DidFinishRunParams = z.infer<typeof DidFinishRunParamsSchema>;

export const DidFailParamsSchema = z.object({
  runId: z.string().optional(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Where the learner should look, when the problem is in their code or their data file. */
  location: ProblemLocationSchema.optional(),
});
export type DidFailParams = z.infer<typeof DidFailParamsSchema>;

// ---------------------------------------------------------------------------------------------
// The method table: one line per message. Adding a message means adding a line here.

export const trainerMethods = {
  'run/start': StartRunParamsSchema,
  'run/cancel': CancelRunParamsSchema,
  'trainer/ready': DidBecomeReadyParamsSchema,
  'run/backend/select': DidSelectBackendParamsSchema,
  'run/progress': DidProgressParamsSchema,
  'run/metric': DidRecordMetricParamsSchema,
  'run/log': DidLogParamsSchema,
  'run/artifact': DidWriteArtifactParamsSchema,
  'run/result': DidFinishRunParamsSchema,
  'run/error': DidFailParamsSchema,
} as const;

export type TrainerMethod = keyof typeof trainerMethods;
export type ParamsOf<M extends TrainerMethod> = z.infer<(typeof trainerMethods)[M]>;

/** Messages the host sends to the trainer. */
export type HostToTrainerMethod = 'run/start' | 'run/cancel';
/** Messages the trainer (or the CLI in `--json` mode) emits. */
export type TrainerToHostMethod = Exclude<TrainerMethod, HostToTrainerMethod>;

export type Envelope<M extends TrainerMethod = TrainerMethod> = EnvelopeOf<typeof trainerMethods, M>;

export type TrainerMessage = Envelope<TrainerToHostMethod>;
export type HostMessage = Envelope<HostToTrainerMethod>;

export function envelope<M extends TrainerMethod>(method: M, params: ParamsOf<M>): Envelope<M> {
  return envelopeOf<typeof trainerMethods, M>(method, params);
}

export type Decoded<M extends TrainerMethod> = DecodedMessage<typeof trainerMethods, M>;

/**
 * Parses and validates one line. The reason names the field that was wrong so that a log line is enough
 * to find the bug on whichever end sent it.
 */
export function decodeLine<M extends TrainerMethod>(line: string, allowed: readonly M[]): Decoded<M> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `not JSON (${(err as Error).message}): ${preview(line)}` };
  }
  return decodeMessage(raw, allowed);
}

export function decodeMessage<M extends TrainerMethod>(raw: unknown, allowed: readonly M[]): Decoded<M> {
  return decodeTable(trainerMethods, raw, allowed);
}

export const HOST_TO_TRAINER: readonly HostToTrainerMethod[] = ['run/start', 'run/cancel'];
export const TRAINER_TO_HOST: readonly TrainerToHostMethod[] = [
  'trainer/ready',
  'run/backend/select',
  'run/progress',
  'run/metric',
  'run/log',
  'run/artifact',
  'run/result',
  'run/error',
];

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
