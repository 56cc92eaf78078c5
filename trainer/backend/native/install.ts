/**
 * Installs a native TensorFlow.js build into a folder the backend ladder searches. npm installs into a
 * staging folder beside the target; only after the package loads in a child process is its node_modules
 * renamed into place. A cancelled, failed or killed install therefore never leaves a half-installed
 * module where the trainer would find it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { InstallEvent } from '../../../protocol/install';
import { installEvent } from '../../../protocol/install';
import { explainNpmFailure, type InstallFailure } from './installFailure';
import { checkNativeLoads } from './loadCheck';
import { NATIVE_PACKAGE, NATIVE_VERSION, type NativeFlavour } from './requirements';

export interface InstallOptions {
  flavour: NativeFlavour;
  /** The folder whose node_modules the ladder searches (the extension's storage, or `--into`). */
  into: string;
  /** What npm installs; the matching release by default. Tests pass a local tarball so nothing is downloaded. */
  spec?: string;
  /** The npm executable (`npm`, found on PATH, by default). */
  npmCommand?: string;
  /** Node for the load check; inside VS Code the extension host's own executable. */
  nodePath?: string;
  /** Extra environment for npm (registry, proxy, cache, offline). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onEvent(event: InstallEvent): void;
}

export type InstallOutcome =
  | { ok: true; package: string; version: string; backend: string; device: 'gpu' | 'cpu'; location: string; note: string | undefined }
  | { ok: false; cancelled: boolean; failure: InstallFailure };

const STAGING_PREFIX = '.staging-';
const PREVIOUS_PREFIX = '.previous-';
/** How long npm gets to stop after SIGTERM before its whole process group is killed. */
const KILL_AFTER_MS = 3_000;

export function defaultSpec(flavour: NativeFlavour): string {
  return `${NATIVE_PACKAGE[flavour]}@${NATIVE_VERSION}`;
}

export async function installNativeBackend(options: InstallOptions): Promise<InstallOutcome> {
  const { flavour, into, onEvent } = options;
  const name = NATIVE_PACKAGE[flavour];
  await mkdir(into, { recursive: true });
  // A killed earlier install leaves its staging folder; nothing in it is on the resolve path, so it goes.
  await removeLeftovers(into);
  const staging = await mkdtemp(join(into, STAGING_PREFIX));
  try {
    await writeFile(join(staging, 'package.json'), `${JSON.stringify({ name: 'biomed-lab-native-backend', private: true }, null, 2)}\n`);
    onEvent(installEvent('install/stage', { stage: 'download', message: `Installing ${name} with npm (it downloads libtensorflow during its install script)` }));
    const npm = await runNpm(staging, options);
    if (npm.cancelled) return cancelled();
    if (npm.failure) return { ok: false, cancelled: false, failure: npm.failure };

    onEvent(installEvent('install/stage', { stage: 'check', message: `Checking that ${name} loads` }));
    const check = await checkNativeLoads({ dir: staging, flavour, nodePath: options.nodePath ?? process.execPath });
    for (const line of check.stderr.split('\n').filter(Boolean)) onEvent(installEvent('install/output', { line }));
    if (options.signal?.aborted) return cancelled();
    if (!check.ok) return { ok: false, cancelled: false, failure: check.failure };

    onEvent(installEvent('install/stage', { stage: 'activate', message: `Moving ${name} into ${into}` }));
    await activate(staging, into);
    return { ok: true, package: name, version: check.version, backend: check.backend, device: check.device, location: into, note: check.note };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function cancelled(): InstallOutcome {
  return { ok: false, cancelled: true, failure: { reason: 'cancelled', message: 'Install cancelled; nothing was changed.' } };
}

interface NpmResult {
  cancelled: boolean;
  failure: InstallFailure | undefined;
}

function runNpm(staging: string, options: InstallOptions): Promise<NpmResult> {
  const spec = options.spec ?? defaultSpec(options.flavour);
  const args = [
    'install',
    spec,
    '--prefix',
    staging,
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    // The install script's own progress (the libtensorflow download) is streamed, not buffered by npm.
    '--foreground-scripts',
    // One "npm http fetch" line per request: progress while packages download.
    '--loglevel=http',
  ];
  const windows = process.platform === 'win32';
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(options.npmCommand ?? (windows ? 'npm.cmd' : 'npm'), args, {
        cwd: staging,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so cancel reaches the install script and its downloads too.
        detached: !windows,
        shell: windows,
        windowsHide: true,
      });
    } catch (err) {
      resolve({ cancelled: false, failure: npmMissing((err as Error).message) });
      return;
    }
    let output = '';
    const onLine = (line: string): void => {
      if (line.trim() === '') return;
      // Only the tail matters for the explanation; a long install must not grow memory without bound.
      output = (output + line + '\n').slice(-200_000);
      options.onEvent(installEvent('install/output', { line }));
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);

    let aborted = false;
    let forceKill: NodeJS.Timeout | undefined;
    const abort = (): void => {
      aborted = true;
      killTree(child, 'SIGTERM');
      forceKill ??= setTimeout(() => killTree(child, 'SIGKILL'), KILL_AFTER_MS);
    };
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort, { once: true });

    let startError: Error | undefined;
    child.on('error', (err) => (startError = err));
    child.on('close', (code) => {
      clearTimeout(forceKill);
      options.signal?.removeEventListener('abort', abort);
      if (aborted) {
        // npm's children may outlive it (a script's download): the staging folder goes only once they are gone.
        killTree(child, 'SIGKILL');
        void groupGone(child).then(() => resolve({ cancelled: true, failure: undefined }));
        return;
      }
      if (startError) return resolve({ cancelled: false, failure: npmMissing(startError.message) });
      if (code === 0) return resolve({ cancelled: false, failure: undefined });
      resolve({ cancelled: false, failure: explainNpmFailure(output, options.flavour) });
    });
  });
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Waits (briefly) until no process of the child's group is left, so nothing writes into a removed folder. */
async function groupGone(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || process.platform === 'win32') return;
  const deadline = Date.now() + KILL_AFTER_MS;
  while (Date.now() < deadline) {
    try {
      process.kill(-child.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function npmMissing(detail: string): InstallFailure {
  return {
    reason: 'npm-missing',
    message: `npm could not be started (${detail}). The installer needs npm, which comes with Node.js: install Node.js 20 or later from nodejs.org or your package manager, and make sure npm is on the PATH of the process that starts VS Code.`,
  };
}

/**
 * Swaps the staged node_modules in with two renames on the same file system; between them the folder is
 * briefly absent (the ladder then skips the rung), never half-written.
 */
async function activate(staging: string, into: string): Promise<void> {
  const target = join(into, 'node_modules');
  const previous = join(into, `${PREVIOUS_PREFIX}${process.pid}-${Date.now()}`);
  const hadPrevious = existsSync(target);
  if (hadPrevious) await rename(target, previous);
  try {
    await rename(join(staging, 'node_modules'), target);
  } catch (err) {
    if (hadPrevious) await rename(previous, target);
    throw err;
  }
  await rename(join(staging, 'package.json'), join(into, 'package.json'));
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}

async function removeLeftovers(into: string): Promise<void> {
  const names = await readdir(into).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.startsWith(STAGING_PREFIX) || n.startsWith(PREVIOUS_PREFIX)).map((n) => rm(join(into, n), { recursive: true, force: true })),
  );
}
