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
