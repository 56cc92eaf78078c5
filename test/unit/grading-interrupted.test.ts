/**
 * A window reload during a grading run ends the extension host that started the grader and follows its
 * events. The real CLI (dist/cli.js) grades a class of three into a folder an earlier run left its files in;
 * once it has finished the first submission and is stuck in the second, it is either killed with SIGKILL, or
 * the process that started it exits (as the extension host does). Either way, the gradebook read back from
 * that folder, as a restored panel reads it, shows the run as interrupted: the first submission graded in
 * this run, the other two "not graded (interrupted)", and nothing of the earlier run. A grader that outlives
 * its parent also stops its sandbox.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { loadSavedGradebook } from '../../extension/grading/savedGradebook';
import { LineFramer } from '../../extension/trainer/lineFramer';
import { formatGradebookCsv, parseGradebookCsv } from '../../protocol/gradebookCsv';
import { decodeGradeEvent, type GradeEvent } from '../../protocol/grading';
import { processesNaming, until } from './process-watch';

const repo = join(import.meta.dirname, '..', '..');
const KEY = join(repo, 'instructor', 'keys', 'regression');
const work = mkdtempSync(join(tmpdir(), 'grading-interrupted-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Class {
  submissions: string;
  out: string;
  names: readonly [graded: string, stuck: string, later: string];
}

/**
 * Graded one at a time in name order: `a-…` has no challenge file (graded at once, no sandbox), `b-…` never
 * finishes loading, `c-…` would come after it. An earlier, finished run into the same out folder graded the
 * stuck submission with full marks.
 */
function classOfThree(tag: string): Class {
  const submissions = join(work, `submissions-${tag}`);
  const out = join(work, `submissions-${tag}-graded`);
  const names = ['a-missing', `b-endless-${tag}-${process.pid}-${Date.now()}`, 'c-later'] as const;
  const [, stuck, later] = names;
  for (const n of names) mkdirSync(join(submissions, n), { recursive: true });
  writeFileSync(join(submissions, stuck, 'challenge.ts'), 'export const training = {};\nwhile (true) {}\n');
  writeFileSync(join(submissions, later, 'challenge.ts'), 'export const training = {};\n');
  mkdirSync(join(out, 'feedback'), { recursive: true });
  writeFileSync(join(out, 'gradebook.csv'), formatGradebookCsv([], [{ name: stuck, status: 'graded', scores: [], total: 16, maxTotal: 16 }]));
  writeFileSync(join(out, 'feedback', `${stuck}.json`), '{"score": 16}\n');
  return { submissions, out, names };
}

const graderArgs = (c: Class): string[] => [join(repo, 'dist', 'cli.js'), 'grade', c.submissions, '--key', KEY, '--out', c.out, '--jobs', '1', '--json'];

/**
 * Follows the grade events on `stdout` until the grader has finished the first submission and its stuck
 * one's sandbox is up; rejects if the stream ends first.
 */
async function untilStuck(c: Class, stdout: NodeJS.ReadableStream): Promise<void> {
  const [graded, stuck, later] = c.names;
  const events: GradeEvent[] = [];
  const framer = new LineFramer();
  // The grader's own events say when the first submission is done and the stuck one has begun.
  await new Promise<void>((resolve, reject) => {
    stdout.on('data', (chunk: Buffer) => {
      for (const line of framer.push(chunk)) {
        const event = decodeGradeEvent(line);
        if (event) events.push(event);
      }
      if (events.some((e) => e.method === 'grade/submission/start' && e.params.name === stuck)) resolve();
    });
    stdout.on('end', () => reject(new Error(`the grader ended before it reached ${stuck}`)));
  });
  assert.deepEqual(
    events.flatMap((e) => (e.method === 'grade/submission/finish' ? [e.params.name] : [])),
    [graded],
  );
  assert.deepEqual(events.find((e) => e.method === 'grade/run/start')?.params, { outDir: c.out, gradebook: join(c.out, 'gradebook.csv'), submissions: [graded, stuck, later] });
  await until(() => processesNaming(stuck).length > 0, 60_000, 'the stuck submission\'s sandbox');
}

/** Whatever a test's grader left running is stopped, so nothing outlives the test. */
function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The out folder, and the gradebook a restored panel shows from it: the run interrupted. */
function assertInterrupted(c: Class): void {
  const { submissions, out } = c;
  const [graded, stuck, later] = c.names;
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
}

it('a grader killed mid-run leaves a gradebook that shows the run as interrupted, not the earlier run', { timeout: 120_000 }, async () => {
  const c = classOfThree('killed');
  const grader = spawn(process.execPath, graderArgs(c), { stdio: ['ignore', 'pipe', 'pipe'] });
  grader.stderr.resume();
  const exited = new Promise<NodeJS.Signals | null>((resolve) => grader.on('close', (_code, signal) => resolve(signal)));
  try {
    await untilStuck(c, grader.stdout);
    grader.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
  } finally {
    // A killed grader cannot stop the sandbox it started.
    grader.kill('SIGKILL');
    killAll(processesNaming(c.names[1]));
  }
  assertInterrupted(c);
});

it('a grader whose parent exits (the window reloaded) stops its sandbox and leaves the run interrupted', { timeout: 120_000 }, async () => {
  const c = classOfThree('orphaned');
  // The grader's parent, standing in for the extension host: it starts the grader, says its pid, and exits
  // when its stdin closes. The grader shares its stdout and stderr, so the test reads the grader's events.
  const parentScript = `
    const grader = require('node:child_process').spawn(process.execPath, process.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
    process.stderr.write('grader pid ' + grader.pid + '\\n');
    process.stdin.on('end', () => process.exit(0)).resume();`;
  const parent = spawn(process.execPath, ['-e', parentScript, ...graderArgs(c)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  parent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The shared stdout ends only when the grader has exited too: the one thing that says it has.
  const graderGone = new Promise<void>((resolve) => parent.stdout.on('close', () => resolve()));
  const parentGone = new Promise<void>((resolve) => parent.on('exit', () => resolve()));
  try {
    await untilStuck(c, parent.stdout);
    parent.stdin.end();
    await parentGone;
    await graderGone;
    assert.deepEqual(processesNaming(c.names[1]), [], 'the grader stopped the stuck submission\'s sandbox before it exited');
  } finally {
    parent.kill('SIGKILL');
    const pid = /grader pid (\d+)/.exec(stderr)?.[1];
    killAll([...(pid ? [Number(pid)] : []), ...processesNaming(c.names[1])]);
  }
  assertInterrupted(c);
});
