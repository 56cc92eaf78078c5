/**
 * What the integration tests share: the extension under test, the workspace VS Code has open, bounded waits
 * on real states (a file written, a diagnostic set), and the child processes of this extension host.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'biomed-dl-lab.biomed-dl-lab';

export function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  if (!found) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  return found;
}

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need a workspace folder open');
  return folder.uri.fsPath;
}

/**
 * Files the tests leave for the Playwright side (test/e2e/integration.e2e.ts): the report and the trainer
 * pids, which it checks after the extension host has stopped.
 */
export function handOverFile(name: string): string {
  const dir = join(workspaceFolder(), '.biomed-integration');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Polls `probe` until it returns a value; the polling is on a real state, bounded by `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await delay(200);
  }
}

/** `promise`, or a rejection naming `what` when it has not settled within `ms`. */
export async function within<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A lab run from its command. The command settles only once its closing message (finished, failed) is
 * closed, so `settle` closes notifications until it has; call it once the run's outcome is on disk or shown.
 */
export function startRun(id: string, ...args: unknown[]): { settle(): Promise<void> } {
  let settled = false;
  const running = vscode.commands.executeCommand(id, ...args).then(() => (settled = true));
  return {
    settle: async () => {
      await waitFor(`${id} to settle`, 30_000, async () => {
        if (settled) return true;
        await vscode.commands.executeCommand('notifications.clearAll');
        return undefined;
      });
      await running;
    },
  };
}

/** The Regression run folders under the workspace's results, newest last (run ids are ISO times). */
export function regressionRuns(): string[] {
  const dir = join(workspaceFolder(), 'biomed-lab', 'results', 'regression');
  return existsSync(dir) ? readdirSync(dir).sort().map((name) => join(dir, name)) : [];
}

/** Waits for a run folder not in `before` with its report, the last file a run writes. */
export async function waitForNewRun(before: string[], timeoutMs: number): Promise<string> {
  return waitFor('a new Regression run folder with report.html', timeoutMs, () =>
    regressionRuns().find((dir) => !before.includes(dir) && existsSync(join(dir, 'report.html'))),
  );
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Live child processes of this extension host whose command line contains `script` (Linux /proc). */
export function childProcesses(script: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in `stat` is in parentheses and may hold spaces: fields after it start at ") ".
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith(script))) pids.push(Number(entry));
    } catch {
      // The process ended while it was being read.
    }
  }
  return pids;
}
