import type { ErrorCode, ProblemLocation } from '../../protocol/messages';

/**
 * An error the learner or instructor can act on: a reason code for callers, a message that says what to
 * do next, and, when the cause is in a file, where in it.
 */
export class LabError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly location?: ProblemLocation,
  ) {
    super(message);
    this.name = 'LabError';
  }

  static is(err: unknown, code?: ErrorCode): err is LabError {
    return err instanceof LabError && (code === undefined || err.code === code);
  }
}

/**
 * A write refused for want of space (ENOSPC, or a quota's EDQUOT) as a `disk-full` LabError naming `file`
 * (default: the path the system call names); undefined for any other error. The caller says what it kept.
 */
export function diskFullError(err: unknown, file?: string): LabError | undefined {
  const { code, path } = (err ?? {}) as NodeJS.ErrnoException;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return undefined;
  return new LabError(
    'disk-full',
    `${file ?? path ?? 'a file'}: the disk is full (${code}), so it was not written; files written before it are unchanged. ` +
      'Free some space (or point the lab at a larger disk) and run again.',
  );
}
