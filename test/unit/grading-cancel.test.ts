/**
 * Cancel in VS Code's progress notification, as `runGradeProcess` does it: the real CLI (dist/cli.js) grades
 * a submission stuck in an endless loop; once its sandboxed harness is running, cancelling ends the grader
 * with exit code 130 and a cancelled run, and leaves no harness process behind.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runGradeProcess } from '../../extension/grading/gradeProcess';
import type { GradeEvent } from '../../protocol/grading';

const repo = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'grading-cancel-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Processes whose command line names `marker` (the staged submission's folder is in the harness's). */
function processesNaming(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // The process ended while it was being read.
    }
  }
  return pids;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('cancelling kills the running sandbox and ends the grader with a cancelled run', { timeout: 120_000 }, async () => {
  const name = `endless-${process.pid}-${Date.now()}`;
  const submissions = join(work, 'submissions');
  mkdirSync(join(submissions, name), { recursive: true });
  writeFileSync(join(submissions, name, 'challenge.ts'), 'export const training = {};\nwhile (true) {}\n');

  const events: GradeEvent[] = [];
  let cancel: (() => void) | undefined;
  const done = runGradeProcess({
    nodePath: process.execPath,
    cliScript: join(repo, 'dist', 'cli.js'),
    args: [submissions, '--key', join(repo, 'instructor', 'keys', 'regression'), '--out', join(work, 'out'), '--jobs', '1'],
    cancel: { onCancellationRequested: (listener) => (cancel = listener) },
    onEvent: (e) => events.push(e),
    onStderr: () => undefined,
  });

  // The load limit is 15 s: cancel well inside it, while the learner's loop is running in the sandbox.
  await until(() => processesNaming(name).length > 0, 60_000, 'the sandboxed harness to start');
  const started = Date.now();
  cancel?.();
  const code = await done;

  assert.equal(code, 130);
  assert.ok(Date.now() - started < 10_000, `the grader took ${Date.now() - started} ms to stop`);
  assert.deepEqual(processesNaming(name), [], 'no process of the cancelled submission is left');
  const finish = events.find((e) => e.method === 'grade/run/finish');
  assert.ok(finish && finish.method === 'grade/run/finish' && finish.params.cancelled, 'the run reports itself cancelled');
});
