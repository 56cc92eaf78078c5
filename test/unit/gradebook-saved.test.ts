/**
 * The class gradebook shown again after a window reload (or "Show Last Gradebook") is rebuilt from the files
 * the grader wrote, not from memory: the same rows the live run showed, a cancelled run's unfinished
 * submissions as not graded, and, when a file is gone or malformed, a message naming the file, what is
 * wrong and what to do. Also the CSV layout both ends share, and the workspace record of the last run.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { LastGradebookStore, type GradedRun, type StateMemento } from '../../extension/grading/lastGradebook';
import { loadSavedGradebook } from '../../extension/grading/savedGradebook';
import { classRow, type GradebookRow } from '../../protocol/gradebook';
import { formatGradebookCsv, parseGradebookCsv } from '../../protocol/gradebookCsv';
import type { SubmissionGrade } from '../../trainer/grading/gradeSubmission';
import type { TestStatus } from '../../trainer/grading/judge';
import { gradedTests, recordSubmission, startOutputs, writeOutputs } from '../../trainer/grading/outputs';
import { loadTestManifest } from '../../trainer/grading/testSpec';

const repo = join(import.meta.dirname, '..', '..');
const manifest = loadTestManifest(join(repo, 'instructor', 'keys', 'regression', 'manifest.json'));
const maxTotal = manifest.tests.reduce((s, t) => s + t.max_score, 0);
const work = mkdtempSync(join(tmpdir(), 'gradebook-saved-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A graded submission earning `fraction` of every test (0 ≤ fraction ≤ 1). */
function grade(name: string, fraction: number): SubmissionGrade {
  const status: TestStatus = fraction >= 1 ? 'passed' : fraction > 0 ? 'partial' : 'failed';
  const tests = manifest.tests.map((test) => ({
    test,
    status,
    score: Math.round(test.max_score * fraction * 100) / 100,
    learnerMessage: `${name}: message for ${test.id}`,
    instructorDetail: `${name}: measured for ${test.id}`,
    durationMs: 1234,
  }));
  const score = Math.round(tests.reduce((s, t) => s + t.score, 0) * 100) / 100;
  return { name, source: `/subs/${name}`, tests, score, maxScore: maxTotal, notes: [], wallMs: 5000, cancelled: false };
}

/** What the live panel showed for a submission: its grade/submission/finish event, made a row. */
const liveRow = (g: SubmissionGrade): GradebookRow => classRow(g.name, g.score, g.maxScore, gradedTests(g));

let run: GradedRun;
let outDir: string;
let graded: SubmissionGrade[];
let counter = 0;
beforeEach(() => {
  outDir = join(work, `out-${++counter}`);
  run = { title: 'subs', submissions: join(work, 'subs'), entry: 'challenge.ts', outDir };
  // Names a spreadsheet would run as a formula, or that need quoting, survive the round trip.
  graded = [grade('alice', 1), grade('=bob, "the builder"', 0.5), grade('dan', 0)];
  writeOutputs(outDir, graded, manifest, ['carol', 'erin']);
});

describe('the last gradebook, read back from disk', () => {
  it('shows the same rows the live run showed, and the cancelled run\'s unfinished submissions as not graded', () => {
    const state = loadSavedGradebook(run);
    assert.equal(state.error, undefined);
    assert.equal(state.mode, 'class');
    assert.equal(state.title, 'subs');
    assert.equal(state.status, 'cancelled');
    assert.equal(state.canExport, true);
    assert.equal(state.total, 5);
    assert.deepEqual(state.notGraded, ['carol', 'erin']);
    const byName = new Map(state.rows.map((r) => [r.name, r]));
    for (const g of graded) assert.deepEqual(byName.get(g.name), liveRow(g), g.name);
    assert.deepEqual(state.rows.map((r) => r.name), ['=bob, "the builder"', 'alice', 'dan'], 'in the order of the CSV');
  });

  it('a run that was not cancelled is done, with nothing not graded', () => {
    writeOutputs(outDir, graded, manifest);
    const state = loadSavedGradebook(run);
    assert.equal(state.status, 'done');
    assert.deepEqual(state.notGraded, []);
    assert.equal(state.rows.length, 3);
  });

  it('says so when nothing was graded in this workspace yet', () => {
    const state = loadSavedGradebook(undefined);
    assert.match(state.error ?? '', /No gradebook has been saved.*Grade Challenge Submissions/);
    assert.deepEqual(state.rows, []);
  });

  it('names the missing gradebook.csv and what to do', () => {
    rmSync(join(outDir, 'gradebook.csv'));
    const state = loadSavedGradebook(run);
    assert.equal(state.status, 'failed');
    assert.ok(state.error?.includes(join(outDir, 'gradebook.csv')), state.error);
    assert.match(state.error ?? '', /is missing \(was the results folder moved, renamed or deleted\?\)\. Run "Grade Challenge Submissions…" again/);
    assert.deepEqual(state.rows, []);
  });

  it('names the line of a malformed gradebook.csv', () => {
    const csv = readFileSync(join(outDir, 'gradebook.csv'), 'utf8').split('\n');
    csv[2] = 'alice,1,2';
    writeFileSync(join(outDir, 'gradebook.csv'), csv.join('\n'));
    assert.match(loadSavedGradebook(run).error ?? '', /gradebook\.csv is not a gradebook the grader wrote: line 3 has 3 cells; the header has \d+\. Run/);
    writeFileSync(join(outDir, 'gradebook.csv'), 'name,score\nalice,3\n');
    assert.match(loadSavedGradebook(run).error ?? '', /line 1 is not a gradebook header/);
    writeFileSync(join(outDir, 'gradebook.csv'), 'submission,exports,total,max_total,status\nalice,x,1,1,graded\n');
    assert.match(loadSavedGradebook(run).error ?? '', /line 2: exports "x" is not a number/);
  });

  it('shows a row whose instructor report is gone, malformed or from another run with its CSV total, naming each file', () => {
    const report = (name: string): string => join(outDir, 'instructor', `${name}.json`);
    rmSync(report('alice'));
    writeFileSync(report('dan'), '{ not json');
    const bob = JSON.parse(readFileSync(report(graded[1]!.name), 'utf8')) as { tests: { status: string }[] };
    bob.tests[0]!.status = 'excellent';
    writeFileSync(report(graded[1]!.name), JSON.stringify(bob));

    const state = loadSavedGradebook(run);
    assert.equal(state.status, 'cancelled', 'the run is still shown');
    assert.deepEqual(state.notGraded, ['carol', 'erin']);
    const alice = state.rows.find((r) => r.name === 'alice')!;
    assert.deepEqual([alice.score, alice.maxScore, alice.status, alice.tests], [maxTotal, maxTotal, 'passed', []]);
    const error = state.error ?? '';
    assert.match(error, /^3 saved files could not be read, so those rows show only the total from .*gradebook\.csv and no tests: /);
    assert.ok(error.includes(`${report('alice')} is missing`), error);
    assert.ok(error.includes(`${report('dan')} is not valid JSON`), error);
    assert.ok(error.includes(`${report(graded[1]!.name)} is not a grader's instructor report (tests.0.status:`), error);
    assert.match(error, /Run "Grade Challenge Submissions…" again/);
  });

  it('notices an instructor report left by another run', () => {
    writeOutputs(join(work, 'other'), [grade('alice', 0)], manifest);
    writeFileSync(join(outDir, 'instructor', 'alice.json'), readFileSync(join(work, 'other', 'instructor', 'alice.json')));
    assert.match(loadSavedGradebook(run).error ?? '', /alice\.json belongs to another run \(it says alice scored 0\/\d+; gradebook\.csv says \d+\/\d+\)/);
  });

  it('reads a gradebook.csv written before the status column existed as all graded', () => {
    const header = ['submission', ...manifest.tests.map((t) => t.id), 'total', 'max_total'];
    const line = (g: SubmissionGrade): string => ['dan', ...g.tests.map((t) => t.score), g.score, g.maxScore].join(',');
    writeFileSync(join(outDir, 'gradebook.csv'), `${header.join(',')}\n${line(graded[2]!)}\n`);
    const state = loadSavedGradebook(run);
    assert.equal(state.error, undefined);
    assert.equal(state.status, 'done');
    assert.deepEqual(state.rows, [liveRow(graded[2]!)]);
  });

  it('a run whose grader was stopped mid-way shows what it graded and the rest as not graded (interrupted), none of the older run\'s rows', () => {
    // The folder holds the finished run above; a new run of a partly different class starts in it and is killed.
    const alice2 = grade('alice', 0.5);
    const names = ['alice', 'dan', 'frank'];
    startOutputs(outDir, names, manifest);
    recordSubmission(outDir, alice2, [alice2], manifest, ['dan', 'frank']);
    const state = loadSavedGradebook(run);
    assert.equal(state.error, undefined);
    assert.equal(state.status, 'interrupted');
    assert.equal(state.total, 3);
    assert.deepEqual(state.rows, [liveRow(alice2)], 'this run\'s result for alice, not the older run\'s full marks');
    assert.deepEqual(state.notGraded, ['dan', 'frank'], 'dan\'s older grade is not shown as this run\'s');
    assert.equal(state.canExport, true);
    assert.ok(existsSync(join(outDir, 'feedback', 'alice.json')));
    assert.ok(!existsSync(join(outDir, 'feedback', 'dan.json')), 'the older run\'s feedback for a submission this run did not grade is gone');
    assert.match(readFileSync(join(outDir, 'summary.md'), 'utf8'), /## Not graded yet[\s\S]*- dan\n- frank/);
  });

  it('a run stopped before it finished any submission lists them all as not graded (interrupted)', () => {
    startOutputs(outDir, ['alice', 'bob'], manifest);
    const state = loadSavedGradebook(run);
    assert.equal(state.status, 'interrupted');
    assert.deepEqual(state.rows, []);
    assert.deepEqual(state.notGraded, ['alice', 'bob']);
  });

  it('never reads outside the results folder for a name the CSV was edited to hold', () => {
    writeFileSync(join(outDir, 'gradebook.csv'), `submission,total,max_total,status\n../../etc/passwd,1,1,graded\n`);
    const state = loadSavedGradebook(run);
    assert.match(state.error ?? '', /names a submission "\.\.\/\.\.\/etc\/passwd", which is not a folder name/);
  });
});

describe('the gradebook CSV layout', () => {
  it('round-trips quoted names, and cancelled and pending rows with empty scores', () => {
    const text = formatGradebookCsv(
      ['a', 'b'],
      [
        { name: '@x,"y"\nz', status: 'graded', scores: [1, 0.5], total: 1.5, maxTotal: 2 },
        { name: 'carol', status: 'cancelled', scores: [], maxTotal: 2 },
        { name: 'dan', status: 'pending', scores: [], maxTotal: 2 },
      ],
    );
    assert.match(text, /^submission,a,b,total,max_total,status\n"'@x,""y""\nz",1,0\.5,1\.5,2,graded\ncarol,,,,2,cancelled\ndan,,,,2,pending\n$/);
    const parsed = parseGradebookCsv(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.gradebook, {
      testIds: ['a', 'b'],
      rows: [
        { name: '@x,"y"\nz', status: 'graded', scores: [1, 0.5], total: 1.5, maxTotal: 2 },
        { name: 'carol', status: 'cancelled', scores: [], maxTotal: 2 },
        { name: 'dan', status: 'pending', scores: [], maxTotal: 2 },
      ],
    });
  });

  it('refuses an unknown status and an unclosed quote, naming the line', () => {
    assert.deepEqual(parseGradebookCsv('submission,total,max_total,status\na,1,1,skipped\n'), { ok: false, reason: 'line 2: status "skipped" is not one of graded, cancelled, pending' });
    assert.deepEqual(parseGradebookCsv('submission,total,max_total,status\n"a,1,1,graded\n'), { ok: false, reason: 'line 2 has a quote that is never closed' });
  });

  it('what the grader writes: every submission once, cancelled ones with no score', () => {
    const parsed = parseGradebookCsv(readFileSync(join(outDir, 'gradebook.csv'), 'utf8'));
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.gradebook.rows.map((r) => [r.name, r.status, r.total]),
      [
        ['=bob, "the builder"', 'graded', graded[1]!.score],
        ['alice', 'graded', maxTotal],
        ['carol', 'cancelled', undefined],
        ['dan', 'graded', 0],
        ['erin', 'cancelled', undefined],
      ],
    );
  });
});

describe('the record of the last graded run', () => {
  function memento(initial?: unknown): StateMemento & { value: unknown } {
    return {
      value: initial,
      get(key) {
        assert.equal(key, 'biomedLab.grading.lastRun');
        return this.value;
      },
      update(_key, value) {
        this.value = value;
        return Promise.resolve();
      },
    };
  }

  it('keeps only the folders, and ignores a stored value that is not a run', async () => {
    const m = memento();
    const store = new LastGradebookStore(m);
    assert.equal(store.get(), undefined);
    await store.set(run);
    assert.deepEqual(store.get(), run);
    assert.deepEqual(Object.keys(m.value as object).sort(), ['entry', 'outDir', 'submissions', 'title']);
    await store.set({ ...run, key: '/keys/regression' });
    assert.equal(store.get()?.key, '/keys/regression', 'the key folder, for Grade Again');
    assert.equal(new LastGradebookStore(memento({ outDir: 42 })).get(), undefined);
    assert.equal(new LastGradebookStore(memento('/some/dir')).get(), undefined);
  });
});

// A folder that was never a results folder: the same clear message as a deleted one.
it('a results folder that does not exist is reported like a deleted one', () => {
  mkdirSync(join(work, 'empty'), { recursive: true });
  const state = loadSavedGradebook({ ...run, outDir: join(work, 'empty', 'nope') });
  assert.match(state.error ?? '', /nope\/gradebook\.csv is missing/);
});
