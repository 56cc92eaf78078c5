/**
 * A window reload during a grading run kills the grader with the extension host, without a word. The real
 * CLI (dist/cli.js) grades a class of three into a folder an earlier run left its files in, and is killed
 * with SIGKILL once it has finished the first submission and is stuck in the second. The gradebook read
 * back from that folder, as a restored panel reads it, shows the run as interrupted: the first submission
 * graded in this run, the other two "not graded (interrupted)", and nothing of the earlier run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { loadSavedGradebook } from '../../extension/grading/savedGradebook';
import { LineFramer } from '../../extension/trainer/lineFramer';
import { formatGradebookCsv, parseGradebookCsv } from '../../protocol/gradebookCsv';
import { decodeGradeEvent, type GradeEvent } from '../../protocol/grading';

const repo = join(import.meta.dirname, '..', '..');
const KEY = join(repo, 'instructor', 'keys', 'regression');
const work = mkdtempSync(join(tmpdir(), 'grading-interrupted-'));
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

/** Polls a condition the grader's processes make true; the grader has no event for "its sandbox is up". */
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('a grader killed mid-run leaves a gradebook that shows the run as interrupted, not the earlier run', { timeout: 120_000 }, async () => {
  const submissions = join(work, 'submissions');
  const out = join(work, 'submissions-graded');
  // Graded one at a time in name order: `a-…` has no challenge file (graded at once, no sandbox), `b-…` never
  // finishes loading, `c-…` would come after it.
  const [graded, stuck, later] = ['a-missing', `b-endless-${process.pid}-${Date.now()}`, 'c-later'] as const;
  for (const n of [graded, stuck, later]) mkdirSync(join(submissions, n), { recursive: true });
  writeFileSync(join(submissions, stuck, 'challenge.ts'), 'export const training = {};\nwhile (true) {}\n');
  writeFileSync(join(submissions, later, 'challenge.ts'), 'export const training = {};\n');

  // An earlier, finished run into the same folder, which graded the stuck submission with full marks.
  mkdirSync(join(out, 'feedback'), { recursive: true });
  writeFileSync(join(out, 'gradebook.csv'), formatGradebookCsv([], [{ name: stuck, status: 'graded', scores: [], total: 16, maxTotal: 16 }]));
  writeFileSync(join(out, 'feedback', `${stuck}.json`), '{"score": 16}\n');

  const grader = spawn(process.execPath, [join(repo, 'dist', 'cli.js'), 'grade', submissions, '--key', KEY, '--out', out, '--jobs', '1', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  grader.stderr.resume();
  const exited = new Promise<NodeJS.Signals | null>((resolve) => grader.on('close', (_code, signal) => resolve(signal)));
  const events: GradeEvent[] = [];
  const framer = new LineFramer();
  let onEvent = (): void => undefined;
  grader.stdout.on('data', (chunk: Buffer) => {
    for (const line of framer.push(chunk)) {
      const event = decodeGradeEvent(line);
      if (event) events.push(event);
    }
    onEvent();
  });
  const startedStuck = (): boolean => events.some((e) => e.method === 'grade/submission/start' && e.params.name === stuck);
  // The grader's own events say when the first submission is done and the stuck one has begun.
  await new Promise<void>((resolve, reject) => {
    onEvent = () => startedStuck() && resolve();
    grader.on('close', () => reject(new Error(`the grader ended before it reached ${stuck}`)));
  });
  assert.deepEqual(
    events.flatMap((e) => (e.method === 'grade/submission/finish' ? [e.params.name] : [])),
    [graded],
  );
  assert.deepEqual(events.find((e) => e.method === 'grade/run/start')?.params, { outDir: out, gradebook: join(out, 'gradebook.csv'), submissions: [graded, stuck, later] });

  try {
    await until(() => processesNaming(stuck).length > 0, 60_000, 'the stuck submission\'s sandbox');
    grader.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
  } finally {
    // A killed grader cannot stop the sandbox it started; the test does, so nothing outlives it.
    for (const pid of processesNaming(stuck)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  const csv = parseGradebookCsv(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
  assert.ok(csv.ok, csv.ok ? '' : csv.reason);
  assert.deepEqual(
    csv.gradebook.rows.map((r) => [r.name, r.status]),
    [
      [graded, 'graded'],
      [stuck, 'pending'],
      [later, 'pending'],
    ],
  );
  assert.ok(existsSync(join(out, 'instructor', `${graded}.json`)), 'the submission finished before the kill keeps its report');
  assert.ok(!existsSync(join(out, 'feedback', `${stuck}.json`)), 'the earlier run\'s feedback is not left to be handed back as this run\'s');

  const state = loadSavedGradebook({ title: 'submissions', submissions, entry: 'challenge.ts', outDir: out });
  assert.equal(state.error, undefined);
  assert.equal(state.status, 'interrupted');
  assert.equal(state.total, 3);
  assert.deepEqual(state.rows.map((r) => r.name), [graded]);
  assert.ok((state.rows[0]?.tests.length ?? 0) > 0, 'the graded row has its tests from the instructor report');
  assert.deepEqual(state.notGraded, [stuck, later]);
});
