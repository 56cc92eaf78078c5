import { LabError } from '../core/labError';

/**
 * What a checkpoint must agree on with the run resuming it, keyed by the name a learner knows the setting by
 * (e.g. "seed", "dataset sha256"), so a refusal can say exactly which one differs.
 */
export type Fingerprint = Readonly<Record<string, string | number | null>>;

/** Throws a `bad-request` naming the first field whose value differs between the checkpoint and this run. */
export function assertSameFingerprint(saved: Fingerprint, current: Fingerprint, checkpoint: string): void {
  for (const [field, value] of Object.entries(current)) {
    const before = saved[field] ?? null;
    if (before === value) continue;
    throw new LabError(
      'bad-request',
      `Cannot resume: the checkpoint ${checkpoint} was made with ${field} ${show(before)}, but this run has ${field} ${show(value)}. ` +
        `Resume with the same settings, or run without --resume to start over.`,
    );
  }
}

function show(value: string | number | null): string {
  return value === null ? 'none' : typeof value === 'string' ? `"${value}"` : String(value);
}
