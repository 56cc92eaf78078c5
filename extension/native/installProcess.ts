/**
 * Runs `biomed-lab install-backend … --json` as a child process of the extension host and follows its
 * events. A process rather than an import: npm runs for minutes and the load check loads libtensorflow,
 * neither of which may block or crash the extension host; and VS Code gets exactly what the CLI does.
 * No `vscode` import, so it is unit-tested with the real CLI.
 */
import { decodeInstallEvent, type InstallEvent, type InstallFlavour } from '../../protocol/install';
import { runCliProcess } from '../cliProcess';

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
  return runCliProcess({
    ...options,
    args,
    env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' },
    decode: decodeInstallEvent,
  });
}
