/**
 * The Classification challenge's test kinds: the judge's arithmetic and messages on their own, then a small
 * class graded through the real sandbox against the sample key on the real BreastMNIST file. What an
 * instructor would check: the reference solution gets full marks, each usual mistake gets partial marks with
 * a reason to act on, and nothing hidden reaches a file that goes back to learners.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MeasurementValue } from '../../trainer/grading/childProtocol';
import { judge } from '../../trainer/grading/judge';
import { weightedMeanLoss } from '../../trainer/grading/judgeClassification';
import type { LearnerFeedback } from '../../trainer/grading/outputs';
import { balancedWeights } from '../../trainer/submodules/classification/dataset';
import { loadTestManifest, type ChallengeTest } from '../../trainer/grading/testSpec';
import { sampleClass } from './sample-class';

const repo = join(import.meta.dirname, '..', '..');
const keyDir = join(repo, 'instructor', 'keys', 'classification');
const key = loadTestManifest(join(keyDir, 'manifest.json'));
const publicTests = loadTestManifest(join(repo, 'walkthroughs', 'classification', 'challenge.public.json'));
const limits = { loadMs: 1000, learnerCallMs: 1000, memoryMb: 512 };

const testOf = <K extends ChallengeTest['kind']>(kind: K, hidden = false): Extract<ChallengeTest, { kind: K }> =>
  key.tests.find((t) => t.kind === kind && t.hidden === hidden) as Extract<ChallengeTest, { kind: K }>;
const verdict = (test: ChallengeTest, value: MeasurementValue) => judge(test, { value, durationMs: 1 }, limits);

describe('the judge of the Classification challenge', () => {
  it('computes the expected weights and loss from their definitions', () => {
    assert.deepEqual(balancedWeights([30, 10]), [40 / 60, 40 / 20]);
    // Two rows: true class 0 with logits [ln 3, 0] (p = 3/4), true class 1 with [0, 0] (p = 1/2); weights 2 and 1.
    const loss = weightedMeanLoss({ logits: [[Math.log(3), 0], [0, 0]], labels: [0, 1], weights: [2, 1] });
    assert.ok(Math.abs(loss - (2 * -Math.log(3 / 4) + 1 * -Math.log(1 / 2)) / 3) < 1e-12, String(loss));
  });

  it('gives class weights full, half or no credit per case, and names the mistake', () => {
    const test = testOf('class_weights');
    const right = test.cases.map((c) => ({ weights: balancedWeights(c) }));
    assert.equal(verdict(test, { kind: 'class_weights', results: right }).score, test.max_score);
    const doubled = verdict(test, { kind: 'class_weights', results: right.map((r) => ({ weights: r.weights.map((w) => 2 * w) })) });
    assert.equal(doubled.score, test.max_score / 2);
    assert.match(doubled.learnerMessage, /proportions are right but the scale is not/);
    const equal = verdict(test, { kind: 'class_weights', results: test.cases.map((c) => ({ weights: c.map(() => 1) })) });
    assert.equal(equal.score, 0);
    assert.match(equal.learnerMessage, /every class gets the same weight/);
    const growing = verdict(test, { kind: 'class_weights', results: test.cases.map((c) => ({ weights: [...c] })) });
    assert.match(growing.learnerMessage, /grow with the class's count.*rarer class weighs more/);
  });

  it('recognises a loss that ignores the weights or divides by the batch size, and credits the cases it gets right', () => {
    const test = testOf('weighted_loss');
    const rowLosses = (c: (typeof test.cases)[number]): number[] =>
      c.logits.map((row, i) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[c.labels[i]!]!);
    const plain = test.cases.map((c) => ({ value: rowLosses(c).reduce((a, b) => a + b, 0) / c.labels.length }));
    const ignored = verdict(test, { kind: 'weighted_loss', results: plain });
    assert.equal(ignored.status, 'partial', 'the equal-weights case is right even when the weights are ignored');
    assert.match(ignored.learnerMessage, /ignores the class weights/);
    const perRow = test.cases.map((c) => ({ value: rowLosses(c).reduce((s, v, i) => s + v * c.weights[c.labels[i]!]!, 0) / c.labels.length }));
    assert.match(verdict(test, { kind: 'weighted_loss', results: perRow }).learnerMessage, /divides by the number of rows/);
    const right = test.cases.map((c) => ({ value: weightedMeanLoss(c) }));
    assert.equal(verdict(test, { kind: 'weighted_loss', results: right }).status, 'passed');
  });

  it('scores balanced accuracy linearly between the key\'s bounds, and says when a class is never found', () => {
    const test = testOf('classifier_outcome');
    const value = (recalls: number[] | null): MeasurementValue => ({ kind: 'classifier_outcome', recalls, accuracy: 0.7, steps: 180, epochLosses: [0.6, 0.5] });
    const mid = (test.full_credit_balanced_accuracy + test.zero_credit_balanced_accuracy) / 2;
    assert.equal(verdict(test, value([mid, mid])).score, test.max_score / 2);
    assert.equal(verdict(test, value([test.full_credit_balanced_accuracy, test.full_credit_balanced_accuracy])).status, 'passed');
    const majority = verdict(test, value([0, 1]));
    assert.equal(majority.score, 0);
    assert.match(majority.learnerMessage, /never recognises malignant.*weighted up/);
    assert.match(verdict(test, value(null)).learnerMessage, /diverged/);
  });

  it('shows a hidden test\'s hint, never its values, when it is not passed', () => {
    const test = testOf('weighted_loss', true);
    const judged = verdict(test, { kind: 'weighted_loss', results: test.cases.map(() => ({ value: 0 })) });
    assert.equal(judged.learnerMessage, test.learner_hint);
    assert.match(judged.instructorDetail, /expected/);
  });

  it('ships public tests that are exactly the key\'s public tests', () => {
    assert.deepEqual(publicTests.tests, key.tests.filter((t) => !t.hidden));
  });
});

describe('grading a Classification class in the sandbox against the sample key', () => {
  const graded = sampleClass('grading-cls-');
  const reference = readFileSync(join(keyDir, 'reference', 'challenge.ts'), 'utf8');
  const CLASS: Record<string, string> = {
    reference,
    template: readFileSync(join(repo, 'walkthroughs', 'classification', 'exercise', 'challenge.ts'), 'utf8'),
    // Right weights, but a loss divided by the batch size.
    'per-row-mean': reference.replace('tf.sum(rowWeight)) as tf.Scalar', 'labels.shape[0]) as tf.Scalar'),
    'no-exports': "export const nothing = 1;\n",
  };
  const feedback = (name: string): LearnerFeedback => graded.feedback(name);
  const publicResult = (name: string, kind: ChallengeTest['kind']) => feedback(name).tests.find((t) => t.name === testOf(kind).title)!;

  before(async () => {
    assert.notEqual(CLASS['per-row-mean'], reference, 'the mistake was not planted');
    await graded.grade(keyDir, CLASS, { dataDir: join(repo, '..', 'shared', 'data') });
  });
  after(() => graded.remove());

  it('gives the reference solution full marks', () => {
    const f = feedback('reference');
    assert.equal(f.score, f.max_score, JSON.stringify(f.tests, null, 1));
  });

  it('gives the untouched template partial marks, with what to change', () => {
    const f = feedback('template');
    assert.ok(f.score > 0 && f.score < f.max_score / 2, `template scored ${f.score}`);
    assert.match(publicResult('template', 'class_weights').message, /same weight/);
    assert.match(publicResult('template', 'weighted_loss').message, /ignores the class weights/);
  });

  it('tells a loss divided by the batch size apart from a correct one', () => {
    const loss = publicResult('per-row-mean', 'weighted_loss');
    assert.equal(loss.status, 'partial');
    assert.match(loss.message, /divides by the number of rows/);
    assert.equal(publicResult('per-row-mean', 'class_weights').status, 'passed');
  });

  it('says which export is missing', () => {
    const f = feedback('no-exports');
    assert.equal(f.score, 0);
    assert.match(publicResult('no-exports', 'class_weights').message, /export a function classWeights/);
    assert.match(publicResult('no-exports', 'classifier_outcome').message, /export a function/);
  });

  it('leaks no hidden test id, title, threshold, seed or input into any learner-facing file', () => {
    const secrets = key.tests
      .filter((t) => t.hidden)
      .flatMap((t) => [
        t.id,
        t.title,
        // Thresholds as the judge prints them; a bare "0.72" would also match a measured 0.722.
        ...(t.kind === 'classifier_outcome' ? [String(t.seed), `≥ ${t.full_credit_balanced_accuracy.toFixed(3)}`, `≤ ${t.zero_credit_balanced_accuracy.toFixed(3)}`, `${t.eval_split} split`] : []),
        ...(t.kind === 'class_weights' ? t.cases.map((c) => JSON.stringify(c)) : []),
        // As the judge prints them: "weights [2.700, 0.650]".
        ...(t.kind === 'weighted_loss' ? t.cases.map((c) => `[${c.weights.map((w) => w.toFixed(3)).join(', ')}]`) : []),
      ]);
    graded.assertNoFeedbackMentions(secrets);
  });
});
