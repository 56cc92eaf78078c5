/**
 * What `biomed-lab install-backend --json` prints, one envelope per line, for the VS Code command that runs
 * it as a child process. Pure zod, no Node imports: the extension validates these lines with the same schemas.
 */
import { z } from 'zod';
import { decodeEventLine, envelopeOf, type EnvelopeOf } from './envelope';

export const INSTALL_FLAVOURS = ['gpu', 'cpu'] as const;
export type InstallFlavour = (typeof INSTALL_FLAVOURS)[number];

export const INSTALL_STAGES = ['probe', 'download', 'check', 'activate'] as const;
export type InstallStage = (typeof INSTALL_STAGES)[number];

export const INSTALL_FAILURE_REASONS = [
  'npm-missing',
  'offline',
  'registry-unreachable',
  'libtensorflow-download',
  'disk-full',
  'permission',
  'version-not-found',
  'cuda-mismatch',
  'load-failed',
  'cancelled',
  'unknown',
] as const;
export type InstallFailureReason = (typeof INSTALL_FAILURE_REASONS)[number];

export const INSTALL_EVENTS = {
  /** What the GPU probe found, before anything is downloaded. */
  'install/gpu/verdict': z.object({
    status: z.enum(['no-gpu', 'driver-too-old', 'no-cuda', 'cuda-mismatch', 'no-cudnn', 'cudnn-mismatch', 'ready']),
    recommended: z.enum(INSTALL_FLAVOURS),
    summary: z.string(),
    advice: z.array(z.string()),
  }),
  'install/stage': z.object({ stage: z.enum(INSTALL_STAGES), message: z.string() }),
  /** One line npm (or the package's install script) printed. */
  'install/output': z.object({ line: z.string() }),
  'install/finish': z.object({
    package: z.string(),
    version: z.string(),
    /** The tfjs backend the load check got ("tensorflow" for a native build). */
    backend: z.string(),
    /** Where libtensorflow computes: the GPU build without CUDA 11.2 + cuDNN 8.1 silently uses the CPU. */
    device: z.enum(['gpu', 'cpu']),
    /** The folder whose node_modules now holds the package: the one the trainer searches. */
    location: z.string(),
    /** A caveat in plain words, e.g. the GPU build loaded but could not find CUDA. */
    note: z.string().optional(),
  }),
  'install/fail': z.object({ reason: z.enum(INSTALL_FAILURE_REASONS), message: z.string() }),
} as const;

export type InstallEventMethod = keyof typeof INSTALL_EVENTS;
export type InstallEventParams<M extends InstallEventMethod> = z.infer<(typeof INSTALL_EVENTS)[M]>;
export type InstallEvent = EnvelopeOf<typeof INSTALL_EVENTS>;

export function installEvent<M extends InstallEventMethod>(method: M, params: InstallEventParams<M>): EnvelopeOf<typeof INSTALL_EVENTS, M> {
  return envelopeOf<typeof INSTALL_EVENTS, M>(method, params);
}

/** Parses one line of `--json` output; anything else (a stray log line) is undefined. */
export function decodeInstallEvent(line: string): InstallEvent | undefined {
  return decodeEventLine(INSTALL_EVENTS, line);
}
