/**
 * Runs `biomed-lab grade … --json` as a child process of the extension host and follows its events. A
 * process rather than an import: grading starts sandboxes and trains networks for minutes, which must not
 * block or crash the extension host, and instructors get exactly what the CLI (and CI) produce.
 */
import { spawn } from 'node:child_process';
import { decodeGradeEvent, type GradeEvent } from '../../protocol/grading';
import { LineFramer } from '../trainer/lineFramer';

export interface GradeProcessOptions {
  nodePath: string;
  cliScript: string;
  args: readonly string[];
  onEvent(event: GradeEvent): void;
  onStderr(line: string): void;
  cancel?: { onCancellationRequested(listener: () => void): unknown };
  /** How long a cancelled grader gets to stop on its own. */
  killAfterMs?: number;
}

const KILL_AFTER_MS = 15_000;

/** Resolves to the CLI's exit code (130 when cancelled). */
export function runGradeProcess(options: GradeProcessOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.nodePath, [options.cliScript, 'grade', ...options.args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = new LineFramer();
    const err = new LineFramer();
    const onLine = (line: string): void => {
      const event = decodeGradeEvent(line);
      if (event) options.onEvent(event);
    };
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk).forEach(onLine));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk).forEach(options.onStderr));
    // SIGTERM lets the grader kill its sandboxes (each in its own process group) and write what it has;
    // a grader that does not end in time is killed outright.
    let forceKill: NodeJS.Timeout | undefined;
    options.cancel?.onCancellationRequested(() => {
      child.kill('SIGTERM');
      forceKill ??= setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? KILL_AFTER_MS);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(forceKill);
      out.flush().forEach(onLine);
      err.flush().forEach(options.onStderr);
      resolve(code ?? 130);
    });
  });
}
