/**
 * Runs one `biomed-lab … --json` verb as a child process of the extension host and follows its JSON-line
 * events: the grader and the native installer. Cancel sends SIGTERM, so the CLI can stop what it started
 * (sandboxes, npm's process group) and clean up; one that does not end in time is killed outright.
 * No `vscode` import, so the callers are unit-tested with the real CLI.
 */
import { spawn } from 'node:child_process';
import { LineFramer } from './trainer/lineFramer';

export interface CliProcessOptions<E> {
  nodePath: string;
  /** The arguments after the Node executable: the CLI script, its verb and flags. */
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** One stdout line as an event of this verb, or undefined for any other line. */
  decode(line: string): E | undefined;
  onEvent(event: E): void;
  /** stderr lines, and stdout lines that are not events. */
  onStderr(line: string): void;
  cancel?: { onCancellationRequested(listener: () => void): unknown };
  /** How long a cancelled CLI gets to stop on its own. */
  killAfterMs?: number;
}

const KILL_AFTER_MS = 15_000;

/** Resolves to the CLI's exit code (130 when it was killed). */
export function runCliProcess<E>(options: CliProcessOptions<E>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.nodePath, options.args, {
      ...(options.env ? { env: options.env } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out = new LineFramer();
    const err = new LineFramer();
    const onLine = (line: string): void => {
      const event = options.decode(line);
      if (event) options.onEvent(event);
      else options.onStderr(line);
    };
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk).forEach(onLine));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk).forEach(options.onStderr));
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
