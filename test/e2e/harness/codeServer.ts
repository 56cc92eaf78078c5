/**
 * code-server, a real VS Code served over HTTP: installs the packaged extension into a sandbox, starts it in
 * its own process group on a free loopback port, and stops the whole group (extension host, trainer and all)
 * however the test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Sandbox } from './sandbox';

export interface CodeServer {
  /** The workbench URL with the sandbox's workspace folder open. */
  url: string;
  /** Stops code-server and every process it started. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Installs the .vsix into the sandbox's extensions folder. `--install-extension` takes half a minute on a
 * busy machine, so it runs once per .vsix file (a folder next to it, named after its modification time) and
 * each sandbox gets a copy, with the absolute paths in extensions.json moved to the sandbox.
 */
export async function installExtension(codeServer: string, vsix: string, sandbox: Sandbox): Promise<void> {
  const installed = join(dirname(vsix), `.${basename(vsix)}-${statSync(vsix).mtimeMs}.installed`);
  if (!existsSync(installed)) {
    const staging = mkdtempSync(`${installed}-`);
    const { code, output } = await run(codeServer, ['--extensions-dir', staging, '--user-data-dir', sandbox.userDataDir, '--install-extension', vsix], sandbox);
    if (code !== 0) throw new Error(`installing ${vsix} failed (exit ${code}):\n${output}`);
    movePaths(staging, staging, installed);
    // Whole or not at all: an interrupted install is never taken for a finished one.
    renameSync(staging, installed);
  }
  cpSync(installed, sandbox.extensionsDir, { recursive: true });
  movePaths(sandbox.extensionsDir, installed, sandbox.extensionsDir);
}

/** extensions.json names each extension's folder by absolute path. */
function movePaths(extensionsDir: string, from: string, to: string): void {
  const index = join(extensionsDir, 'extensions.json');
  if (existsSync(index)) writeFileSync(index, readFileSync(index, 'utf8').replaceAll(from, to));
}

export async function startCodeServer(codeServer: string, sandbox: Sandbox, logFile: string): Promise<CodeServer> {
  const port = await freePort();
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', sandbox.userDataDir,
    '--extensions-dir', sandbox.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    sandbox.workspace,
  ];
  const log = createWriteStream(logFile);
  // detached: its own process group, so one signal reaches the extension host and the trainer too.
  const child = spawn(codeServer, args, { cwd: sandbox.workspace, env: sandbox.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  // 'close' comes once every process holding the output pipes is gone, not just the leader.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // If the test process itself ends first, it must not leave a VS Code behind. The group is detached, so a
  // Ctrl-C in the terminal does not reach it: signals are passed on, then take their default course.
  const killOnExit = (): void => killGroup(child, 'SIGKILL');
  const passOn = (signal: NodeJS.Signals): void => {
    killGroup(child, 'SIGKILL');
    process.kill(process.pid, signal);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', passOn);
  process.once('SIGTERM', passOn);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    process.removeListener('SIGINT', passOn);
    process.removeListener('SIGTERM', passOn);
    killGroup(child, 'SIGTERM');
    if (!(await settlesWithin(closed, 5_000))) killGroup(child, 'SIGKILL');
    // The leader may be gone while children linger: the group is killed regardless.
    killGroup(child, 'SIGKILL');
    await settlesWithin(closed, 5_000);
    if (!log.writableEnded) log.end();
  };

  try {
    await waitUntilServing(port, child, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(sandbox.workspace)}`, stop };
}

/** Polls code-server's health endpoint until it answers; readiness, not a guess at how long start-up takes. */
async function waitUntilServing(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before serving; see ${logFile}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`code-server did not answer on port ${port} within 60 s; see ${logFile}`);
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), delay(ms).then(() => false)]);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read a free port');
  return address.port;
}

function run(command: string, args: string[], sandbox: Sandbox): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: sandbox.root, env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
