/**
 * Runs `biomed-lab grade … --json` as a child process of the extension host and follows its events. A
 * process rather than an import: grading starts sandboxes and trains networks for minutes, which must not
 * block or crash the extension host, and instructors get exactly what the CLI (and CI) produce.
 */
import { decodeGradeEvent, type GradeEvent } from '../../protocol/grading';
import { runCliProcess } from '../cliProcess';

export interface GradeProcessOptions {
  nodePath: string;
  cliScript: string;
  args: readonly string[];
  onEvent(event: GradeEvent): void;
  onStderr(line: string): void;
  cancel?: { onCancellationRequested(listener: () => void): unknown };
  /** How long a cancelled grader gets to kill its sandboxes and write what it has. */
  killAfterMs?: number;
}

/** Resolves to the CLI's exit code (130 when cancelled). */
export function runGradeProcess(options: GradeProcessOptions): Promise<number> {
  return runCliProcess({ ...options, args: [options.cliScript, 'grade', ...options.args, '--json'], decode: decodeGradeEvent });
}
