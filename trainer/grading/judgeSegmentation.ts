/**
 * Scores the Segmentation challenge's measurements against the key. The expected values come from the
 * definitions below, computed in the grader from the key's inputs; the loss is the one PyTorch's
 * CrossEntropyLoss(weight=w) computes on [N, C, H, W] scores (test/unit/grading-segmentation.test.ts checks
 * this against numbers PyTorch printed). Wrong values are matched against the usual mistakes so the message
 * says what to change.
 */
import type { MeasurementValue } from './childProtocol';
import type { Verdict } from './judgeClassification';
import { balancedWeights } from '../submodules/classification/dataset';
import { fmt, fmtList, perCaseVerdict } from './judgeClassification';
import type { ChallengeTest, PixelLossCase } from './testSpec';

type Test<K extends ChallengeTest['kind']> = Extract<ChallengeTest, { kind: K }>;
type Value<K extends MeasurementValue['kind']> = Extract<MeasurementValue, { kind: K }>;

/**
 * Median-frequency balancing: w_c = median(f) ÷ f_c with f_c = count_c ÷ total, the median taken over the
 * classes that have pixels. A class with no pixels gets 0: no pixel can be weighted by it, and 1 ÷ 0 would
 * poison any sum it enters.
 */
export function medianFrequencyWeights(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const present = counts.filter((n) => n > 0).map((n) => n / total).sort((a, b) => a - b);
  const mid = present.length >> 1;
  const median = present.length % 2 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
  return counts.map((n) => (n > 0 ? median / (n / total) : 0));
}

/** Each pixel's −log softmax over the class axis `axis` of [N, H, W, C] logits (3 is right; the others are mistakes). */
function pixelCrossEntropies(c: PixelLossCase, axis: 1 | 2 | 3): number[] {
  const out: number[] = [];
  c.labels.forEach((img, n) =>
    img.forEach((row, h) =>
      row.forEach((y, w) => {
        const along = (k: number): number => (axis === 3 ? c.logits[n]![h]![w]![k]! : axis === 1 ? c.logits[n]![k]![w]![y]! : c.logits[n]![h]![k]![y]!);
        const size = axis === 3 ? c.weights.length : axis === 1 ? c.labels[n]!.length : row.length;
        const own = axis === 3 ? along(y) : axis === 1 ? along(h) : along(w);
        const scores = Array.from({ length: size }, (_, k) => along(k));
        const max = Math.max(...scores);
        out.push(max + Math.log(scores.reduce((s, v) => s + Math.exp(v - max), 0)) - own);
      }),
    ),
  );
  return out;
}

/** The challenge's definition: Σ_p w[y_p]·CE_p ÷ Σ_p w[y_p] over every pixel p of the batch. */
export function weightedPixelMeanLoss(c: PixelLossCase): number {
  const ce = pixelCrossEntropies(c, 3);
  const w = c.labels.flat(2).map((y) => c.weights[y]!);
  return ce.reduce((s, v, i) => s + w[i]! * v, 0) / w.reduce((a, b) => a + b, 0);
}

export function judgePixelWeights(test: Test<'pixel_weights'>, value: Value<'pixel_weights'>): Verdict {
  const credits = test.cases.map((counts, i) => caseWeights(counts, value.results[i], test.tolerance));
  return perCaseVerdict(credits, `pixelClassWeights gives median-frequency weights for all ${credits.length} cases.`);
}

function caseWeights(counts: readonly number[], result: Value<'pixel_weights'>['results'][number] | undefined, tolerance: number): { credit: number; reason: string } {
  const shown = `pixelClassWeights(${JSON.stringify(counts)})`;
  if (!result) return { credit: 0, reason: `${shown} was not measured.` };
  if ('problem' in result) return { credit: 0, reason: result.problem };
  const got = result.weights;
  const want = medianFrequencyWeights(counts);
  if (got.length !== want.length) return { credit: 0, reason: `${shown} returned ${got.length} weights; there are ${want.length} classes, so return one weight per class.` };
  const close = (a: number | null, b: number): boolean => a !== null && Math.abs(a - b) <= tolerance * Math.max(Math.abs(b), 1e-9);
  if (got.every((g, i) => close(g, want[i]!))) return { credit: 1, reason: '' };
  const expected = `expected ${fmtList(want)}, got [${got.map((g) => (g === null ? 'not a finite number' : fmt(g))).join(', ')}]`;
  const absent = counts.findIndex((n, i) => n === 0 && !close(got[i]!, 0));
  if (absent >= 0) {
    const rest = counts.every((n, i) => n === 0 || close(got[i]!, want[i]!));
    return {
      credit: rest ? 0.5 : 0,
      reason: `${shown}: class ${absent} has no pixels, so its weight must be 0 (${expected}); ${rest ? 'the other weights are right.' : 'and take the median over the classes that have pixels.'}`,
    };
  }
  if (counts.every((n) => n > 0) && got.every((g, i) => close(g, balancedWeights(counts)[i]!))) {
    return { credit: 0, reason: `${shown}: these are the Classification challenge's N ÷ (K × count) weights (${expected}); divide the median class frequency by each class's frequency instead.` };
  }
  const present = got.filter((_, i) => counts[i]! > 0);
  if (new Set(counts.filter((n) => n > 0)).size > 1 && present.every((g) => close(g, present[0]!))) {
    return { credit: 0, reason: `${shown}: every class gets the same weight (${expected}); the rarer a class's pixels, the larger its weight.` };
  }
  return { credit: 0, reason: `${shown}: ${expected}.` };
}

export function judgePixelLoss(test: Test<'pixel_loss'>, value: Value<'pixel_loss'>): Verdict {
  const credits = test.cases.map((c, i) => caseLoss(c, value.results[i], test.tolerance));
  return perCaseVerdict(credits, `weightedPixelCrossEntropy gives the weighted mean over pixels for all ${credits.length} cases.`);
}

function caseLoss(c: PixelLossCase, result: Value<'pixel_loss'>['results'][number] | undefined, tolerance: number): { credit: number; reason: string } {
  const [n, h, w] = [c.labels.length, c.labels[0]!.length, c.labels[0]![0]!.length];
  const shown = `on logits of shape [${n}, ${h}, ${w}, ${c.weights.length}] with weights ${fmtList(c.weights)}`;
  if (!result) return { credit: 0, reason: `weightedPixelCrossEntropy ${shown} was not measured.` };
  if ('problem' in result) return { credit: 0, reason: result.problem };
  const want = weightedPixelMeanLoss(c);
  const got = result.value;
  if (Math.abs(got - want) <= tolerance) return { credit: 1, reason: '' };
  const ce = pixelCrossEntropies(c, 3);
  const pw = c.labels.flat(2).map((y) => c.weights[y]!);
  const weightedSum = ce.reduce((s, v, i) => s + pw[i]! * v, 0);
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const weightedMean = (losses: readonly number[]): number => losses.reduce((s, v, i) => s + pw[i]! * v, 0) / pw.reduce((a, b) => a + b, 0);
  const mistakes: [number, string][] = [
    [mean(ce), "it ignores the class weights (that is the plain mean over pixels): multiply each pixel's loss by the weight of its true class"],
    [weightedSum / ce.length, "it divides by the number of pixels; divide by the sum of the pixels' weights instead, as PyTorch's CrossEntropyLoss(weight=...) does"],
    [weightedSum, "it is a sum; divide by the sum of the pixels' weights to get the weighted mean"],
    [weightedSum / c.weights.reduce((a, b) => a + b, 0), "it divides by the sum of the class weights; divide by the sum of the weights of the batch's pixels (each pixel adds its true class's weight)"],
    ...([1, 2] as const).map((axis): [number, string] => [
      weightedMean(pixelCrossEntropies(c, axis)),
      'the softmax runs over the wrong axis: the logits are [N, H, W, C], so the classes are the last axis (-1)',
    ]),
  ];
  const known = mistakes.find(([v]) => Number.isFinite(v) && Math.abs(got - v) <= tolerance && Math.abs(v - want) > tolerance);
  return { credit: 0, reason: `weightedPixelCrossEntropy ${shown}: expected ${fmt(want)}, got ${fmt(got)}${known ? `; ${known[1]}` : ''}.` };
}
