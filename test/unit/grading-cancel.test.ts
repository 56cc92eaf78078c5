/**
 * Cancel in VS Code's progress notification, as `runGradeProcess` does it, and Ctrl-C on the CLI: the real
 * CLI (dist/cli.js) grades a class where one submission is stuck in an endless loop; once its sandboxed
 * harness is running, cancelling ends the grader with exit code 130 and a cancelled run and leaves no harness
 * process behind. The submission graded before the cancel keeps its files and its row; the stuck one and the
 * one never started are "not graded": no feedback file, a `cancelled` CSV row with no score, never a 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runGradeProcess } from '../../extension/grading/gradeProcess';
import { parseGradebookCsv } from '../../protocol/gradebookCsv';
import type { GradeEvent } from '../../protocol/grading';
import { processesNaming, until } from './process-watch';

const repo = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'grading-cancel-'));
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * A class of three, graded one at a time in name order: `a-…` has no challenge file (graded at once, no
 * sandbox), `b-…` never finishes loading, `c-…` would come after it.
 */
function classOfThree(tag: string): { submissions: string; out: string; names: [string, string, string] } {
  const submissions = join(work, `submissions-${tag}`);
  const names: [string, string, string] = [`a-missing-${tag}`, `b-endless-${tag}-${process.pid}-${Date.now()}`, `c-later-${tag}`];
  for (const n of names) mkdirSync(join(submissions, n), { recursive: true });
  writeFileSync(join(submissions, names[1], 'challenge.ts'), 'export const training = {};\nwhile (true) {}\n');
  writeFileSync(join(submissions, names[2], 'challenge.ts'), 'export const training = {};\n');
  return { submissions, out: join(work, `out-${tag}`), names };
}

/** What the out folder says about each submission: its CSV status, and whether it has a feedback file. */
function outcome(out: string, names: readonly string[]): { csv: Record<string, string>; feedback: Record<string, boolean>; instructor: Record<string, boolean> } {
  const parsed = parseGradebookCsv(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  for (const r of parsed.gradebook.rows) if (r.status === 'cancelled') assert.equal(r.total, undefined, `${r.name} has no total`);
  return {
    csv: Object.fromEntries(parsed.gradebook.rows.map((r) => [r.name, r.status])),
    feedback: Object.fromEntries(names.map((n) => [n, existsSync(join(out, 'feedback', `${n}.json`))])),
    instructor: Object.fromEntries(names.map((n) => [n, existsSync(join(out, 'instructor', `${n}.json`))])),
  };
}

const KEY = join(repo, 'instructor', 'keys', 'regression');

it('cancelling kills the running sandbox and ends the grader with a cancelled run', { timeout: 120_000 }, async () => {
  const { submissions, out, names } = classOfThree('progress');
  const [graded, stuck, later] = names;
  // A file an earlier run left for the stuck submission must not survive as if this run had written it.
  mkdirSync(join(out, 'feedback'), { recursive: true });
  writeFileSync(join(out, 'feedback', `${stuck}.json`), '{"score": 99}\n');

  const events: GradeEvent[] = [];
  let cancel: (() => void) | undefined;
  const done = runGradeProcess({
    nodePath: process.execPath,
    cliScript: join(repo, 'dist', 'cli.js'),
    args: [submissions, '--key', KEY, '--out', out, '--jobs', '1'],
    cancel: { onCancellationRequested: (listener) => (cancel = listener) },
    onEvent: (e) => events.push(e),
    onStderr: () => undefined,
  });

  // The load limit is 15 s: cancel well inside it, while the learner's loop is running in the sandbox.
  await until(() => processesNaming(stuck).length > 0, 60_000, 'the sandboxed harness to start');
  const started = Date.now();
  cancel?.();
  const code = await done;

  assert.equal(code, 130);
  assert.ok(Date.now() - started < 10_000, `the grader took ${Date.now() - started} ms to stop`);
  assert.deepEqual(processesNaming(stuck), [], 'no process of the cancelled submission is left');
  const finish = events.find((e) => e.method === 'grade/run/finish');
  assert.ok(finish && finish.method === 'grade/run/finish' && finish.params.cancelled, 'the run reports itself cancelled');
  assert.deepEqual(finish.params.notGraded, [stuck, later]);
  const finished = events.flatMap((e) => (e.method === 'grade/submission/finish' ? [e.params.name] : []));
  assert.deepEqual(finished, [graded], 'only the submission graded to the end reports a score');
  assert.deepEqual(outcome(out, names), {
    csv: { [graded]: 'graded', [stuck]: 'cancelled', [later]: 'cancelled' },
    feedback: { [graded]: true, [stuck]: false, [later]: false },
    instructor: { [graded]: true, [stuck]: false, [later]: false },
  });
  assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), new RegExp(`## Not graded \\(cancelled\\)[\\s\\S]*- ${stuck}\\n- ${later}`));
});

it('Ctrl-C on the CLI keeps what was graded and says which submissions were not', { timeout: 120_000 }, async () => {
  const { submissions, out, names } = classOfThree('sigint');
  const [graded, stuck, later] = names;
  const child = spawn(process.execPath, [join(repo, 'dist', 'cli.js'), 'grade', submissions, '--key', KEY, '--out', out, '--jobs', '1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

  await until(() => processesNaming(stuck).length > 0, 60_000, 'the sandboxed harness to start');
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.deepEqual(processesNaming(stuck), [], 'no process of the cancelled submission is left');
  assert.match(stdout, new RegExp(`cancelled: 2 submission\\(s\\) not graded .*: ${stuck}, ${later}\\n`));
  assert.deepEqual(outcome(out, names).feedback, { [graded]: true, [stuck]: false, [later]: false });
});
