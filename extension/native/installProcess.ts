/**
 * Runs `biomed-lab install-backend … --json` as a child process of the extension host and follows its
 * events. A process rather than an import: npm runs for minutes and the load check loads libtensorflow,
 * neither of which may block or crash the extension host; and VS Code gets exactly what the CLI does.
 * No `vscode` import, so it is unit-tested with the real CLI.
 */
import { spawn } from 'node:child_process';
import { decodeInstallEvent, type InstallEvent, type InstallFlavour } from '../../protocol/install';
import { LineFramer } from '../trainer/lineFramer';

export interface InstallProcessOptions {
  /** The Node executable; in desktop VS Code this is Electron, hence ELECTRON_RUN_AS_NODE. */
  nodePath: string;
  cliScript: string;
  /** Undefined: only probe the GPU and recommend a build (`--probe-only`). */
  flavour: InstallFlavour | undefined;
  into: string;
  /** Extra arguments (tests: `--from` a local tarball). */
  extraArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  onEvent(event: InstallEvent): void;
  onStderr(line: string): void;
  cancel?: { onCancellationRequested(listener: () => void): unknown };
  /** How long a cancelled installer gets to kill npm and clean up before it is killed outright. */
  killAfterMs?: number;
}

const KILL_AFTER_MS = 15_000;

/** Resolves to the CLI's exit code: 0 installed, 1 failed (an `install/fail` event says why), 130 cancelled. */
export function runInstallProcess(options: InstallProcessOptions): Promise<number> {
  const args = [
    options.cliScript,
    'install-backend',
    ...(options.flavour ? [`--${options.flavour}`] : ['--probe-only']),
    '--into',
    options.into,
    ...(options.extraArgs ?? []),
    '--json',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(options.nodePath, args, {
      env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out = new LineFramer();
    const err = new LineFramer();
    const onLine = (line: string): void => {
      const event = decodeInstallEvent(line);
      if (event) options.onEvent(event);
      else options.onStderr(line);
    };
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk).forEach(onLine));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk).forEach(options.onStderr));
    // SIGTERM lets the CLI kill npm's process group and remove its staging folder; one that does not end in
    // time is killed outright (its staging folder is off the resolve path and removed by the next install).
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
