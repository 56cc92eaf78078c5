/**
 * The learner's Challenge Check panel after a window reload: it shows the last check's stored result, test
 * by test, as the live panel showed it; when that result is missing or malformed it says so and what to do
 * (check again) instead of staying blank.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { CheckResultStore } from '../../extension/grading/checkResultStore';
import { gradebookMessageFor } from '../../extension/grading/gradebookEvents';
import type { StateMemento } from '../../extension/grading/lastGradebook';
import { CHECK_AGAIN, savedCheckState } from '../../extension/grading/savedCheck';
import { emptyGradebook, gradebookEnvelope, reduceGradebook, type GradebookState } from '../../protocol/gradebook';
import type { GradeEventParams } from '../../protocol/grading';

const work = mkdtempSync(join(tmpdir(), 'check-restore-'));
after(() => rmSync(work, { recursive: true, force: true }));

class MemoryMemento implements StateMemento {
  private readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.values.get(key);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

const result: GradeEventParams<'grade/check/finish'> = {
  file: '/home/learner/project/biomed-lab/regression/challenge.ts',
  score: 4.5,
  maxScore: 10,
  tests: [
    { name: 'Exports the network and settings', status: 'passed', score: 2, max_score: 2, message: 'Both are there.', duration: 0.4 },
    { name: 'A deeper network', status: 'partial', score: 2.5, max_score: 5, message: 'Add a second hidden Dense layer.', duration: 1.2 },
    {
      name: 'Training fits the step budget',
      status: 'error',
      score: 0,
      max_score: 3,
      message: 'Your code threw: batchSize is undefined.',
      duration: 0.1,
      location: { file: 'challenge.ts', line: 7, column: 3 },
    },
  ],
};

/** What the live panel showed: the messages checkChallenge.ts sends for a check that finished. */
function livePanel(title: string): GradebookState {
  const finish = gradebookMessageFor({ v: 1, method: 'grade/check/finish', params: result });
  assert.ok(finish);
  return [gradebookEnvelope('gradebook/run/start', { mode: 'check', title }), finish, gradebookEnvelope('gradebook/run/finish', { cancelled: false, canExport: false, notGraded: [] })].reduce(
    reduceGradebook,
    emptyGradebook('check', ''),
  );
}

let dir: string;
let memento: MemoryMemento;
let store: CheckResultStore;
let counter = 0;
beforeEach(() => {
  dir = join(work, `storage-${++counter}`, 'challenge-checks');
  memento = new MemoryMemento();
  store = new CheckResultStore(dir, memento);
});

/** The state a reload shows: a fresh store over the same folder and workspace state, as a new extension host has. */
const restored = (): GradebookState => savedCheckState(new CheckResultStore(dir, memento).load());

describe('the challenge check panel after a reload', () => {
  it('shows the last check\'s result, test by test, as the live panel showed it', async () => {
    await store.begin('regression');
    store.save('regression', 'biomed-lab/regression/challenge.ts', result);
    const state = restored();
    assert.deepEqual(state, livePanel('biomed-lab/regression/challenge.ts'));
    assert.equal(state.status, 'done');
    assert.equal(state.error, undefined);
    const [row] = state.rows;
    assert.ok(row);
    assert.deepEqual([row.score, row.maxScore, row.status], [4.5, 10, 'error']);
    assert.deepEqual(
      row.tests.map((t) => [t.name, t.status, t.score, t.message, t.line]),
      result.tests.map((t) => [t.name, t.status, t.score, t.message, t.location?.line]),
    );
  });

  it('keeps one result per submodule and shows the one checked last', async () => {
    await store.begin('regression');
    store.save('regression', 'biomed-lab/regression/challenge.ts', result);
    await store.begin('classification');
    store.save('classification', 'biomed-lab/classification/challenge.ts', { ...result, file: '/p/biomed-lab/classification/challenge.ts', score: 10 });
    assert.ok(existsSync(store.file('regression')), 'checking another submodule leaves this one\'s result');
    assert.equal(restored().title, 'biomed-lab/classification/challenge.ts');
    assert.equal(restored().rows[0]?.score, 10);
  });

  it('a check the reload interrupted shows no older result as if it were this one\'s, and says to check again', async () => {
    await store.begin('regression');
    store.save('regression', 'biomed-lab/regression/challenge.ts', result);
    await store.begin('regression');
    const state = restored();
    assert.deepEqual(state.rows, []);
    assert.match(state.error ?? '', /regression\.json is missing: the last check did not finish/);
    assert.ok(state.error?.endsWith(CHECK_AGAIN));
  });

  it('a stored result that is not JSON is named in the panel, with what to do', async () => {
    await store.begin('regression');
    mkdirSync(dir, { recursive: true });
    writeFileSync(store.file('regression'), '{"format": 1, "submodule": "regr');
    const state = restored();
    assert.deepEqual(state.rows, []);
    assert.equal(state.mode, 'check');
    assert.match(state.error ?? '', new RegExp(`${store.file('regression').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`));
    assert.match(state.error ?? '', /Run "Check My Challenge" again/);
  });

  it('a stored result of the wrong shape names the field that is wrong', async () => {
    await store.begin('regression');
    mkdirSync(dir, { recursive: true });
    const broken = { format: 1, submodule: 'regression', title: 'challenge.ts', result: { ...result, tests: [{ ...result.tests[0], status: 'great' }] } };
    writeFileSync(store.file('regression'), JSON.stringify(broken));
    const state = restored();
    assert.deepEqual(state.rows, []);
    assert.match(state.error ?? '', /is not a stored check result \(result\.tests\.0\.status: /);
    assert.match(state.error ?? '', /Run "Check My Challenge" again/);
  });

  it('says so when nothing was checked in this workspace yet', () => {
    const state = restored();
    assert.deepEqual(state.rows, []);
    assert.match(state.error ?? '', /no challenge has been checked in this workspace yet\. Run "Check My Challenge"/);
  });
});
