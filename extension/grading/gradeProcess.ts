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
}

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
    // SIGTERM lets the grader kill its sandboxes and write what it has.
    options.cancel?.onCancellationRequested(() => child.kill('SIGTERM'));
    child.on('error', reject);
    child.on('close', (code) => {
      out.flush().forEach(onLine);
      err.flush().forEach(options.onStderr);
      resolve(code ?? 130);
    });
  });
}
