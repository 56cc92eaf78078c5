/**
 * The Augmentation challenge's test kinds: how the grader recognises a shift and a mirror, the judge's
 * criteria and messages on their own, then a small class graded through the real sandbox against the sample
 * key on the real BreastMNIST file. What an instructor would check: the reference solution gets full marks,
 * the two defects the template carries (224 × 224 images, a doubled epoch) and other usual mistakes get
 * partial marks with a reason to act on, and nothing hidden reaches a file that goes back to learners.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MeasurementValue } from '../../trainer/grading/childProtocol';
import { judge } from '../../trainer/grading/judge';
import type { LearnerFeedback } from '../../trainer/grading/outputs';
import { loadTestManifest, type ChallengeTest } from '../../trainer/grading/testSpec';
import { identifyShiftFlip, probeImages, shiftFlip } from '../../trainer/submodules/augmentation/shiftFlip';
import { sampleClass } from './sample-class';

const repo = join(import.meta.dirname, '..', '..');
const keyDir = join(repo, 'instructor', 'keys', 'augmentation');
const key = loadTestManifest(join(keyDir, 'manifest.json'));
const publicTests = loadTestManifest(join(repo, 'walkthroughs', 'augmentation', 'challenge.public.json'));
const limits = { loadMs: 1000, learnerCallMs: 1000, memoryMb: 512 };

const testOf = <K extends ChallengeTest['kind']>(kind: K, hidden = false): Extract<ChallengeTest, { kind: K }> =>
  key.tests.find((t) => t.kind === kind && t.hidden === hidden) as Extract<ChallengeTest, { kind: K }>;
const verdict = (test: ChallengeTest, value: MeasurementValue) => judge(test, { value, durationMs: 1 }, limits);

describe('how the grader recognises a shift and a mirror', () => {
  const [probe] = probeImages(3, 1, 28);

  it('finds the shift and flip that made an output, and nothing for a resized or rescaled one', () => {
    for (const t of [{ dy: 0, dx: 0, flip: false }, { dy: -4, dx: 3, flip: false }, { dy: 2, dx: -1, flip: true }]) {
      assert.deepEqual(identifyShiftFlip(probe!, shiftFlip(probe!, 28, t), 28, 4), t);
    }
    assert.equal(identifyShiftFlip(probe!, shiftFlip(probe!, 28, { dy: 5, dx: 0, flip: false }), 28, 4), null, 'beyond the padding');
    assert.equal(identifyShiftFlip(probe!, probe!.map((v) => v * 255), 28, 4), null);
    assert.equal(identifyShiftFlip(probe!, new Float32Array(224 * 224), 28, 4), null);
  });

  it('mirrors left-right: the first column of a flipped image is the last column of the original', () => {
    const flipped = shiftFlip(probe!, 28, { dy: 0, dx: 0, flip: true });
    for (let y = 0; y < 28; y++) assert.equal(flipped[y * 28], probe![y * 28 + 27]);
  });
});

describe('the judge of the Augmentation challenge', () => {
  const transform = testOf('augment_transform');
  const good = transform.seeds.map((_, i) => ({ shape: [28, 28, 1], min: 0, max: 0.99, repeatable: true, match: { dy: (i % 5) - 2, dx: (i % 3) - 1, flip: i % 2 === 0 } }));

  it('gives a transform that keeps size and range, repeats for a seed, and varies its shifts and flips full marks', () => {
    assert.equal(verdict(transform, { kind: 'augment_transform', results: good }).status, 'passed');
  });

  it('names the 224 × 224 output, the rescaled range, Math.random and a flip that never happens', () => {
    const resized = verdict(transform, { kind: 'augment_transform', results: good.map((r) => ({ ...r, shape: [224, 224, 1], match: null })) });
    assert.match(resized.learnerMessage, /into \[224, 224, 1\]: keep the 28 × 28 size/);
    const scaled = verdict(transform, { kind: 'augment_transform', results: good.map((r) => ({ ...r, max: 254.9, match: null })) });
    assert.match(scaled.learnerMessage, /keep the input's range \[0, 1\]/);
    const random = verdict(transform, { kind: 'augment_transform', results: good.map((r) => ({ ...r, repeatable: false })) });
    assert.equal(random.status, 'partial');
    assert.match(random.learnerMessage, /same seed gave two different images.*not Math\.random/);
    const neverFlips = verdict(transform, { kind: 'augment_transform', results: good.map((r) => ({ ...r, match: { ...r.match, flip: false } })) });
    assert.match(neverFlips.learnerMessage, /0 outputs were mirrored/);
  });

  it('names an epoch that returns the originals and their augmented copies, and one that loses the order', () => {
    const mixed = testOf('mixed_epoch');
    const n = mixed.images;
    const doubled = verdict(mixed, { kind: 'mixed_epoch', images: n, results: mixed.seeds.map(() => ({ count: 2 * n, imageShape: [28, 28, 1], repeatable: true, matches: null })) });
    assert.equal(doubled.status, 'partial');
    assert.match(doubled.learnerMessage, new RegExp(`returned ${2 * n} images for ${n} \\(the originals and an augmented copy of each\\).*more gradient steps`));
    const lost = verdict(mixed, {
      kind: 'mixed_epoch',
      images: n,
      results: mixed.seeds.map(() => ({ count: n, imageShape: [28, 28, 1], repeatable: true, matches: Array.from({ length: n }, () => null) })),
    });
    assert.match(lost.learnerMessage, /Image 0 of the epoch is not image 0 of the input.*keep the order/);
  });

  it("shows a hidden test's hint, never its values, when it is not passed", () => {
    const hidden = testOf('augment_transform', true);
    const judged = verdict(hidden, { kind: 'augment_transform', results: hidden.seeds.map(() => ({ shape: [224, 224, 1], min: 0, max: 1, repeatable: true, match: null })) });
    assert.equal(judged.learnerMessage, hidden.learner_hint);
    assert.match(judged.instructorDetail, /224/);
  });

  it("ships public tests that are exactly the key's public tests", () => {
    assert.deepEqual(publicTests.tests, key.tests.filter((t) => !t.hidden));
  });
});

describe('grading an Augmentation class in the sandbox against the sample key', () => {
  const graded = sampleClass('grading-aug-');
  const reference = readFileSync(join(keyDir, 'reference', 'challenge.ts'), 'utf8');
  const CLASS: Record<string, string> = {
    reference,
    template: readFileSync(join(repo, 'walkthroughs', 'augmentation', 'exercise', 'challenge.ts'), 'utf8'),
    // A right transform, but every image twice: the epoch the challenge warns about.
    doubled: reference.replace('return tf.stack(mixed) as tf.Tensor4D;', 'return tf.concat([images, tf.stack(tf.unstack(images).map((image, i) => augment(image as tf.Tensor3D, seed + i)))]) as tf.Tensor4D;'),
    // Right images in the wrong places: each lands on another image's label.
    reversed: reference.replace('return tf.stack(mixed) as tf.Tensor4D;', 'return tf.reverse(tf.stack(mixed), 0) as tf.Tensor4D;'),
    'no-exports': 'export const nothing = 1;\n',
  };
  const feedback = (name: string): LearnerFeedback => graded.feedback(name);
  const result = (name: string, kind: ChallengeTest['kind'], hidden = false) => feedback(name).tests[key.tests.indexOf(testOf(kind, hidden))]!;

  before(async () => {
    for (const name of ['doubled', 'reversed']) assert.notEqual(CLASS[name], reference, `${name}: the mistake was not planted`);
    await graded.grade(keyDir, CLASS, { dataDir: join(repo, '..', 'shared', 'data') });
  });
  after(() => graded.remove());

  it('gives the reference solution full marks', () => {
    const f = feedback('reference');
    assert.equal(f.score, f.max_score, JSON.stringify(f.tests, null, 1));
  });

  it("names the template's defects: 224 × 224 images and Math.random", () => {
    const f = feedback('template');
    assert.ok(f.score < f.max_score / 4, `template scored ${f.score}`);
    assert.equal(result('template', 'augment_transform').status, 'partial');
    assert.match(result('template', 'augment_transform').message, /\[224, 224, 1\].*not Math\.random/);
  });

  it('refuses to train on a doubled epoch and says why', () => {
    assert.equal(result('doubled', 'augment_transform').status, 'passed');
    assert.match(result('doubled', 'mixed_epoch').message, /the originals and an augmented copy of each/);
    assert.equal(result('doubled', 'augment_outcome').score, 0);
    assert.match(result('doubled', 'augment_outcome').message, /exactly the images it was given, in order/);
  });

  it('finds images moved away from their labels, by their order and by what the network learns', () => {
    assert.match(result('reversed', 'mixed_epoch').message, /keep the order, so each image keeps its label/);
    const outcome = result('reversed', 'augment_outcome');
    assert.notEqual(outcome.status, 'passed', outcome.message);
    assert.match(outcome.message, /Balanced accuracy/);
  });

  it('says which export is missing', () => {
    assert.equal(feedback('no-exports').score, 0);
    assert.match(result('no-exports', 'augment_transform').message, /export a function augment/);
    assert.match(result('no-exports', 'mixed_epoch').message, /export a function mixedEpoch/);
  });

  it('leaks no hidden test id, title, seed or threshold into any learner-facing file', () => {
    const secrets = key.tests
      .filter((t) => t.hidden)
      .flatMap((t) => [
        t.id,
        t.title,
        ...(t.kind === 'augment_transform' || t.kind === 'mixed_epoch' ? [`seed ${t.seeds[0]}`, String(t.image_seed)] : []),
        ...(t.kind === 'mixed_epoch' ? [`for ${t.images}`] : []),
        ...(t.kind === 'augment_outcome' ? [String(t.seed), `≥ ${t.full_credit_balanced_accuracy.toFixed(3)}`, `${t.eval_split} split`] : []),
      ]);
    graded.assertNoFeedbackMentions(secrets);
  });
});
