/** Why a lab operation failed, so callers can branch on a reason instead of parsing a message. */
export type LabErrorReason = 'template-missing' | 'bad-quiz';

/** An error whose message says what to do next. */
export class LabError extends Error {
  constructor(
    readonly reason: LabErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'LabError';
  }

  static is(err: unknown, reason?: LabErrorReason): err is LabError {
    return err instanceof LabError && (reason === undefined || err.reason === reason);
  }
}
