/**
 * The Segmentation challenge's test kinds: the judge's definitions checked against PyTorch, its messages on
 * their own, then a small class graded through the real sandbox against the sample key. What an instructor
 * would check: the reference solution gets full marks, each usual mistake gets partial marks with a reason to
 * act on, and nothing hidden reaches a file that goes back to learners.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MeasurementValue } from '../../trainer/grading/childProtocol';
import { judge } from '../../trainer/grading/judge';
import { fmtList } from '../../trainer/grading/judgeClassification';
import { medianFrequencyWeights, weightedPixelMeanLoss } from '../../trainer/grading/judgeSegmentation';
import type { LearnerFeedback } from '../../trainer/grading/outputs';
import { loadTestManifest, type ChallengeTest } from '../../trainer/grading/testSpec';
import { balancedWeights } from '../../trainer/submodules/classification/dataset';
import { sampleClass } from './sample-class';

const repo = join(import.meta.dirname, '..', '..');
const keyDir = join(repo, 'instructor', 'keys', 'segmentation');
const key = loadTestManifest(join(keyDir, 'manifest.json'));
const publicTests = loadTestManifest(join(repo, 'walkthroughs', 'segmentation', 'challenge.public.json'));
const limits = { loadMs: 1000, learnerCallMs: 1000, memoryMb: 512 };

const testOf = <K extends ChallengeTest['kind']>(kind: K, hidden = false): Extract<ChallengeTest, { kind: K }> =>
  key.tests.find((t) => t.kind === kind && t.hidden === hidden) as Extract<ChallengeTest, { kind: K }>;
const verdict = (test: ChallengeTest, value: MeasurementValue) => judge(test, { value, durationMs: 1 }, limits);

/**
 * The key's loss cases (the public three, then the hidden three) as PyTorch computes them. Printed from the
 * repository root with /usr/bin/python3 and Debian's python3-torch (torch 1.13):
 *
 *   import json, torch
 *   key = json.load(open('instructor/keys/segmentation/manifest.json'))
 *   for t in (t for t in key['tests'] if t['kind'] == 'pixel_loss'):
 *       for c in t['cases']:
 *           logits = torch.tensor(c['logits'], dtype=torch.float64).permute(0, 3, 1, 2)  # [N,H,W,C] -> [N,C,H,W]
 *           labels = torch.tensor(c['labels'])
 *           w = torch.tensor(c['weights'], dtype=torch.float64)
 *           print(f'{torch.nn.CrossEntropyLoss(weight=w)(logits, labels).item():.12f}')
 */
const PYTORCH_LOSSES = [0.295481057674, 0.34267591073, 0.739357976308, 0.93370476784, 0.539497028199, 0.277166497103];

describe('the judge of the Segmentation challenge', () => {
  it("computes the weighted per-pixel loss exactly as PyTorch's CrossEntropyLoss(weight=...) does, on every case of the key", () => {
    const cases = [...testOf('pixel_loss').cases, ...testOf('pixel_loss', true).cases];
    assert.equal(cases.length, PYTORCH_LOSSES.length);
    cases.forEach((c, i) => assert.ok(Math.abs(weightedPixelMeanLoss(c) - PYTORCH_LOSSES[i]!) < 1e-9, `case ${i}: ${weightedPixelMeanLoss(c)}`));
  });

  it('computes median-frequency weights, with 0 for a class that has no pixels', () => {
    assert.deepEqual(medianFrequencyWeights([500, 300, 200]).map((w) => +w.toFixed(12)), [0.6, 1, 1.5]);
    // The course's shares: the median of four is the mean of dermis's and epidermis's frequencies.
    const course = medianFrequencyWeights([3764, 1847, 305, 4084]);
    assert.ok(Math.abs(course[2]! - 0.28055 / 0.0305) < 1e-9, String(course));
    assert.deepEqual(medianFrequencyWeights([90, 0, 10]).map((w) => +w.toFixed(12)), [0.555555555556, 0, 5]);
  });

  it('gives pixel weights full, half or no credit per case, and names the mistake', () => {
    const test = testOf('pixel_weights');
    const right = test.cases.map((c) => ({ weights: medianFrequencyWeights(c) }));
    assert.equal(verdict(test, { kind: 'pixel_weights', results: right }).status, 'passed');
    const classification = verdict(test, { kind: 'pixel_weights', results: test.cases.map((c) => ({ weights: balancedWeights(c) })) });
    // Two classes are the one case where both formulas agree: the median of two frequencies is their mean.
    assert.equal(classification.status, 'partial');
    assert.match(classification.learnerMessage, /Classification challenge's N ÷ \(K × count\) weights/);
    const equal = verdict(test, { kind: 'pixel_weights', results: test.cases.map((c) => ({ weights: c.map(() => 1) })) });
    assert.equal(equal.score, 0);
    assert.match(equal.learnerMessage, /every class gets the same weight/);

    const hidden = testOf('pixel_weights', true);
    const infinite = hidden.cases.map((c) => ({ weights: medianFrequencyWeights(c).map((w, i) => (c[i] === 0 ? null : w)) }));
    const absent = judge({ ...hidden, hidden: false }, { value: { kind: 'pixel_weights', results: infinite }, durationMs: 1 }, limits);
    assert.match(absent.learnerMessage, /class 1 has no pixels, so its weight must be 0 .*not a finite number.*the other weights are right/);
  });

  it('recognises a loss that ignores the weights, divides by the pixel count or takes the softmax over the wrong axis', () => {
    const test = testOf('pixel_loss');
    const plain = test.cases.map((c) => ({ value: weightedPixelMeanLoss({ ...c, weights: c.weights.map(() => 1) }) }));
    const ignored = verdict(test, { kind: 'pixel_loss', results: plain });
    assert.equal(ignored.status, 'partial', 'the equal-weights case is right even when the weights are ignored');
    assert.match(ignored.learnerMessage, /ignores the class weights/);
    const right = test.cases.map((c) => ({ value: weightedPixelMeanLoss(c) }));
    assert.equal(verdict(test, { kind: 'pixel_loss', results: right }).status, 'passed');
    assert.match(verdict(test, { kind: 'pixel_loss', results: [{ problem: 'weightedPixelCrossEntropy returned NaN.' }, ...right.slice(1)] }).learnerMessage, /returned NaN/);
  });

  it("shows a hidden test's hint, never its values, when it is not passed", () => {
    const test = testOf('pixel_loss', true);
    const judged = verdict(test, { kind: 'pixel_loss', results: test.cases.map(() => ({ value: 0 })) });
    assert.equal(judged.learnerMessage, test.learner_hint);
    assert.match(judged.instructorDetail, /expected/);
  });

  it("ships public tests that are exactly the key's public tests", () => {
    assert.deepEqual(publicTests.tests, key.tests.filter((t) => !t.hidden));
  });
});

describe('grading a Segmentation class in the sandbox against the sample key', () => {
  const graded = sampleClass('grading-seg-');
  const reference = readFileSync(join(keyDir, 'reference', 'challenge.ts'), 'utf8');
  const CLASS: Record<string, string> = {
    reference,
    template: readFileSync(join(repo, 'walkthroughs', 'segmentation', 'exercise', 'challenge.ts'), 'utf8'),
    // Right weights, but the loss averaged over pixels instead of over their weights.
    'per-pixel-mean': reference.replace('tf.sum(pixelWeight)) as tf.Scalar', 'pixelWeight.size) as tf.Scalar'),
    // The classes taken from axis 1, as if the scores were PyTorch's [N, C, H, W] (TensorFlow.js's logSoftmax
    // refuses any axis but the last, so the mistake comes written out).
    'wrong-axis': reference.replace('tf.logSoftmax(logits)', 'tf.sub(logits, tf.logSumExp(logits, 1, true))'),
    // The median over every class, absent ones included: an absent class gets 1 ÷ 0.
    'absent-class': reference.replace('.filter((n) => n > 0).map((n) => n / total)', '.map((n) => n / total)').replace('(n > 0 ? median / (n / total) : 0)', 'median / (n / total)'),
    'no-exports': 'export const nothing = 1;\n',
  };
  const feedback = (name: string): LearnerFeedback => graded.feedback(name);
  const result = (name: string, kind: ChallengeTest['kind'], hidden = false) => feedback(name).tests[key.tests.indexOf(testOf(kind, hidden))]!;

  before(async () => {
    for (const [name, source] of Object.entries(CLASS)) {
      if (name !== 'reference' && name !== 'template' && name !== 'no-exports') assert.notEqual(source, reference, `${name}: the mistake was not planted`);
    }
    await graded.grade(keyDir, CLASS);
  });
  after(() => graded.remove());

  it('gives the reference solution full marks', () => {
    const f = feedback('reference');
    assert.equal(f.score, f.max_score, JSON.stringify(f.tests, null, 1));
  });

  it('gives the untouched template partial marks, with what to change', () => {
    const f = feedback('template');
    assert.ok(f.score > 0 && f.score < f.max_score / 2, `template scored ${f.score}`);
    assert.match(result('template', 'pixel_weights').message, /same weight/);
    assert.match(result('template', 'pixel_loss').message, /ignores the class weights/);
  });

  it('tells a loss divided by the pixel count, or a softmax over the wrong axis, apart from a correct one', () => {
    assert.equal(result('per-pixel-mean', 'pixel_weights').status, 'passed');
    assert.equal(result('per-pixel-mean', 'pixel_loss').status, 'partial');
    assert.match(result('per-pixel-mean', 'pixel_loss').message, /divides by the number of pixels/);
    assert.equal(result('wrong-axis', 'pixel_loss').score, 0);
    assert.match(result('wrong-axis', 'pixel_loss').message, /softmax runs over the wrong axis/);
  });

  it('catches a class with no pixels in the hidden test, and says only the hint', () => {
    assert.equal(result('absent-class', 'pixel_weights').status, 'passed');
    const hidden = result('absent-class', 'pixel_weights', true);
    assert.notEqual(hidden.status, 'passed');
    assert.equal(hidden.message, testOf('pixel_weights', true).learner_hint);
  });

  it('says which export is missing', () => {
    assert.equal(feedback('no-exports').score, 0);
    assert.match(result('no-exports', 'pixel_weights').message, /export a function pixelClassWeights/);
    assert.match(result('no-exports', 'pixel_loss').message, /export a function weightedPixelCrossEntropy/);
  });

  it('leaks no hidden test id, title or input into any learner-facing file', () => {
    const secrets = key.tests
      .filter((t) => t.hidden)
      .flatMap((t) => [
        t.id,
        t.title,
        ...(t.kind === 'pixel_weights' ? t.cases.map((c) => JSON.stringify(c)) : []),
        // As the judge prints them: "weights [0.600, 1.000, 1.500]".
        ...(t.kind === 'pixel_loss' ? t.cases.map((c) => fmtList(c.weights)) : []),
      ]);
    graded.assertNoFeedbackMentions(secrets);
  });
});
