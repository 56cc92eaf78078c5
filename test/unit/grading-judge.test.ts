import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judge } from '../../trainer/grading/judge';
import { learnerFeedback } from '../../trainer/grading/outputs';
import type { ChallengeTest } from '../../trainer/grading/testSpec';
import { loadTestManifest } from '../../trainer/grading/testSpec';

const limits = { loadMs: 15_000, learnerCallMs: 5_000, memoryMb: 512 };
const outcome = (hidden: boolean): ChallengeTest => ({
  id: 'secret-outcome-id',
  title: 'Secret outcome title',
  kind: 'outcome',
  max_score: 4,
  hidden,
  learner_hint: 'Review the learning-rate guidance in step 3.',
  time_limit_s: 60,
  seed: 31337,
  splits: 2,
  feature_set: 'all',
  train_fraction: 2 / 3,
  full_credit_mae: 0.123,
  zero_credit_mae: 0.987,
});

describe('judging a challenge test', () => {
  it('gives partial credit between the two error thresholds, not all or nothing', () => {
    const mid = (0.123 + 0.987) / 2;
    const judged = judge(outcome(false), { value: { kind: 'outcome', maes: [mid, mid] }, durationMs: 1000 }, limits);
    assert.equal(judged.status, 'partial');
    assert.equal(judged.score, 2);
    assert.match(judged.learnerMessage, /learning rate/);
  });

  it('gives full marks at or below the full-credit error and none at or above the zero-credit error', () => {
    assert.equal(judge(outcome(false), { value: { kind: 'outcome', maes: [0.1] }, durationMs: 1 }, limits).score, 4);
    assert.equal(judge(outcome(false), { value: { kind: 'outcome', maes: [2] }, durationMs: 1 }, limits).score, 0);
  });

  it('tells the learner a diverged network needs a lower learning rate', () => {
    const judged = judge(outcome(false), { value: { kind: 'outcome', maes: [null] }, durationMs: 1 }, limits);
    assert.equal(judged.score, 0);
    assert.match(judged.learnerMessage, /lower the learning rate/);
  });

  it("shows a hidden test's hint, never its thresholds or seed, while the instructor sees the measurement", () => {
    const judged = judge(outcome(true), { value: { kind: 'outcome', maes: [0.5] }, durationMs: 1 }, limits);
    assert.equal(judged.learnerMessage, 'Review the learning-rate guidance in step 3.');
    assert.match(judged.instructorDetail, /0\.123/);
    const timedOut = judge(outcome(true), { interruption: { phase: 'test', cause: 'timeout', detail: 'x', limitMs: 60_000 }, durationMs: 60_000 }, limits);
    assert.doesNotMatch(timedOut.learnerMessage, /60|31337|0\.123|0\.987/);
    assert.match(timedOut.learnerMessage, /took longer than allowed/);
  });

  it('scores an architecture by the criteria it meets and names the missing ones', () => {
    const test: ChallengeTest = { id: 'a', title: 'a', kind: 'architecture', max_score: 5, hidden: false, time_limit_s: 5, input_features: 29, min_hidden_dense: 2 };
    const judged = judge(
      test,
      {
        value: {
          kind: 'architecture',
          inputShape: [null, 29],
          outputShape: [null, 1],
          layers: [
            { className: 'Dense', units: 8, activation: 'linear' },
            { className: 'Dense', units: 1, activation: 'linear' },
          ],
        },
        durationMs: 1,
      },
      limits,
    );
    assert.equal(judged.score, 3);
    assert.match(judged.learnerMessage, /at least 2 hidden dense layers.*non-linear activation/);
  });

  it("quotes an error the learner's code threw once, and says why a network call failed", () => {
    const threw = judge(outcome(false), { failure: { cause: 'threw', message: 'TypeError: x is undefined' }, durationMs: 1 }, limits);
    assert.equal(threw.learnerMessage.split('x is undefined').length - 1, 1, threw.learnerMessage);
    const offline = judge(outcome(false), { failure: { cause: 'threw', message: 'Error: getaddrinfo ENOTFOUND example.org' }, durationMs: 1 }, limits);
    assert.match(offline.learnerMessage, /no network access while grading/);
  });

  it('names hidden tests "hidden check N" in learner feedback', () => {
    const judged = judge(outcome(true), { value: { kind: 'outcome', maes: [0.1] }, durationMs: 1 }, limits);
    const feedback = learnerFeedback({ name: 's', source: '/s', tests: [judged], score: 4, maxScore: 4, notes: [], wallMs: 1, cancelled: false });
    assert.equal(feedback.tests[0]!.name, 'hidden check 1');
    assert.doesNotMatch(JSON.stringify(feedback), /secret|Secret|31337/);
  });
});

describe('the shipped test manifests', () => {
  it('public tests ship under walkthroughs/ and contain no hidden test', () => {
    const manifest = loadTestManifest(new URL('../../walkthroughs/regression/challenge.public.json', import.meta.url).pathname);
    assert.ok(manifest.tests.length > 0);
    assert.ok(manifest.tests.every((t) => !t.hidden));
  });

  it('the sample key is valid and every hidden test has a learner hint', () => {
    const manifest = loadTestManifest(new URL('../../instructor/keys/regression/manifest.json', import.meta.url).pathname);
    assert.ok(manifest.tests.some((t) => t.hidden));
    assert.ok(manifest.tests.filter((t) => t.hidden).every((t) => t.learner_hint));
  });
});
