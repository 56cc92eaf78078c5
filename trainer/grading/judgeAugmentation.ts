/**
 * Scores the Augmentation challenge's measurements against the key. The child reported, for each output,
 * its shape, its range, whether the same seed gave it again, and which shift and flip of the probe image it
 * is; here those facts become criteria, each worth an equal part of the test, each with what to change.
 */
import type { MeasurementValue } from './childProtocol';
import { judgeBalancedAccuracy, type Verdict } from './judgeClassification';
import type { ChallengeTest } from './testSpec';

type Test<K extends ChallengeTest['kind']> = Extract<ChallengeTest, { kind: K }>;
type Value<K extends MeasurementValue['kind']> = Extract<MeasurementValue, { kind: K }>;
type Match = { dy: number; dx: number; flip: boolean } | null;

/** BreastMNIST's images, and so the probes: the size the augmented images must keep. */
const IMAGE_SHAPE = [28, 28, 1];
/** Rounding slack for the [0, 1] range; the probe's own values lie in [0.1, 1]. */
const RANGE_SLACK = 1e-5;

const isIdentity = (m: Match): boolean => m !== null && m.dy === 0 && m.dx === 0 && !m.flip;
const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** Equal credit per criterion met; the explanation lists what is still missing, in the order a learner would fix it. */
function criteriaVerdict(criteria: readonly [boolean, string][], allMet: string): Verdict {
  const missing = criteria.filter(([ok]) => !ok).map(([, what]) => what);
  return { fraction: (criteria.length - missing.length) / criteria.length, explanation: missing.length ? `Still to fix: ${missing.join(' ')}` : allMet };
}

export function judgeAugmentTransform(test: Test<'augment_transform'>, value: Value<'augment_transform'>): Verdict {
  const problem = value.results.find((r) => 'problem' in r);
  if (problem && 'problem' in problem) return { fraction: 0, explanation: problem.problem };
  const outputs = value.results.flatMap((r) => ('problem' in r ? [] : [r]));
  const wrongShape = outputs.find((r) => shapeText(r.shape) !== shapeText(IMAGE_SHAPE));
  const min = Math.min(...outputs.map((r) => r.min));
  const max = Math.max(...outputs.map((r) => r.max));
  const unexplained = test.seeds.filter((_, i) => !wrongShape && outputs[i]?.match === null);
  const matches = outputs.map((r) => r.match).filter((m): m is NonNullable<Match> => m !== null);
  const flips = matches.filter((m) => m.flip).length;
  const shifts = new Set(matches.map((m) => `${m.dy},${m.dx}`)).size;
  const varied = matches.length === outputs.length && flips > 0 && flips < matches.length && shifts >= 3;
  return criteriaVerdict(
    [
      [
        !wrongShape,
        `Your augment turned a ${shapeText(IMAGE_SHAPE)} image into ${shapeText(wrongShape?.shape ?? [])}: keep the 28 × 28 size (crop the padded image back to 28 × 28; do not resize), or the network trains on a size it is never tested on.`,
      ],
      [min >= -RANGE_SLACK && max <= 1 + RANGE_SLACK, `The outputs range from ${min.toFixed(3)} to ${max.toFixed(3)}; keep the input's range [0, 1]: pad with 0 and do not rescale.`],
      [outputs.every((r) => r.repeatable), 'The same seed gave two different images: draw every random choice from `seed` (the template\'s seededRandom), not Math.random.'],
      [
        !wrongShape && unexplained.length === 0,
        wrongShape
          ? `Each output must be the image shifted by at most ${test.max_shift} pixels (zeros coming in) and maybe mirrored; checked once the size is right.`
          : `The output for seed ${unexplained[0]} is not the image shifted by at most ${test.max_shift} pixels with zeros coming in, nor its mirror image: crop the zero-padded image and flip left-right along the width axis.`,
      ],
      [
        varied,
        matches.length === outputs.length
          ? `Over ${test.seeds.length} seeds, ${flips} outputs were mirrored and ${shifts} different shifts appeared: flip about half the time and draw both offsets anew for each seed.`
          : 'Over the seeds, outputs must vary: mirrored about half the time, with several different shifts; checked once every output is a shift of the image.',
      ],
    ],
    `augment keeps the size and range, repeats itself for a seed, and shifts and mirrors as asked (${flips} of ${test.seeds.length} mirrored, ${shifts} different shifts).`,
  );
}

export function judgeMixedEpoch(test: Test<'mixed_epoch'>, value: Value<'mixed_epoch'>): Verdict {
  const problem = value.results.find((r) => 'problem' in r);
  if (problem && 'problem' in problem) return { fraction: 0, explanation: problem.problem };
  const epochs = value.results.flatMap((r) => ('problem' in r ? [] : [r]));
  const n = value.images;
  const wrongCount = epochs.find((e) => e.count !== n);
  const wrongShape = epochs.find((e) => shapeText(e.imageShape) !== shapeText(IMAGE_SHAPE));
  const matched = epochs.flatMap((e) => e.matches ?? []);
  const outOfPlace = epochs.map((e) => e.matches?.findIndex((m) => m === null) ?? -1).find((i) => i >= 0);
  const augmented = matched.filter((m) => m !== null && !isIdentity(m)).length;
  const share = matched.length ? augmented / matched.length : 0;
  const signatures = new Set(epochs.map((e) => JSON.stringify(e.matches)));
  const comparable = !wrongCount && !wrongShape;
  const placed = comparable && outOfPlace === undefined;
  const repeatable = epochs.every((e) => e.repeatable);
  return criteriaVerdict(
    [
      [
        !wrongCount,
        `Your mixedEpoch returned ${wrongCount?.count} images for ${n}${wrongCount?.count === 2 * n ? ' (the originals and an augmented copy of each)' : ''}: return exactly as many as it was given, ` +
          'replacing some by their augmented version, or every epoch takes more gradient steps than the plain one and the labels no longer line up.',
      ],
      [!wrongShape, `Each image came back as ${shapeText(wrongShape?.imageShape ?? [])}; keep ${shapeText(IMAGE_SHAPE)}.`],
      [
        placed,
        comparable
          ? `Image ${outOfPlace} of the epoch is not image ${outOfPlace} of the input, as it is or shifted and mirrored: keep the order, so each image keeps its label.`
          : 'Each image must stay in its place, as it is or augmented; checked once the count and size are right.',
      ],
      [
        placed && share >= test.min_augmented && share <= test.max_augmented,
        placed
          ? `${Math.round(share * 100)} % of the images were augmented; augment each one with probability 1/2, so an epoch mixes originals and augmented images.`
          : 'About half of the images must be augmented; checked once every image is in its place.',
      ],
      [
        repeatable && (!placed || signatures.size > 1),
        repeatable
          ? 'Every seed gave the same epoch: derive each image\'s augmentation from the seed, so each epoch sees new variants.'
          : 'The same seed gave two different epochs: draw every random choice from `seed`, not Math.random.',
      ],
    ],
    `mixedEpoch returns ${n} images for ${n}, in order, ${Math.round(share * 100)} % of them augmented, the same for a seed and new for another.`,
  );
}

export function judgeAugmentOutcome(test: Test<'augment_outcome'>, value: Value<'augment_outcome'>): Verdict {
  return judgeBalancedAccuracy(test, value, {
    diverged: 'Training diverged on your epochs (the loss or the scores became NaN or infinite): check that mixedEpoch returns finite values in [0, 1].',
    ignored: (name) => `The network trained on your epochs never recognises ${name}: check that each image stays in its place, so it keeps its label.`,
    low: 'Check that mixedEpoch keeps every image recognisable: small shifts, values in [0, 1], each image in its own place.',
  });
}
