/**
 * Scores the Classification challenge's measurements against the key. The expected values are computed
 * here, in the grader, from the key's inputs; the sandboxed child only reported what the learner's code
 * returned. When a value is wrong, the usual mistakes are recognised by the number they produce, so the
 * message can say what to change rather than only "wrong".
 */
import { MEDMNIST } from '../data/medmnist/catalog';
import { CHALLENGE_DATASET } from '../submodules/classification/challengeData';
import { balancedWeights } from '../submodules/classification/dataset';
import type { MeasurementValue } from './childProtocol';
import type { ChallengeTest, LossCase } from './testSpec';

export interface Verdict {
  fraction: number;
  explanation: string;
}

type Test<K extends ChallengeTest['kind']> = Extract<ChallengeTest, { kind: K }>;
type Value<K extends MeasurementValue['kind']> = Extract<MeasurementValue, { kind: K }>;

/** Cross-entropy of each row: −log softmax(logits)[label], computed stably. */
function rowCrossEntropies(c: LossCase): number[] {
  return c.logits.map((row, i) => {
    const max = Math.max(...row);
    const logSum = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    return logSum - row[c.labels[i]!]!;
  });
}

/** The challenge's definition: Σ w_{y_i}·CE_i ÷ Σ w_{y_i}, the weighted mean over the batch. */
export function weightedMeanLoss(c: LossCase): number {
  const ce = rowCrossEntropies(c);
  const w = c.labels.map((y) => c.weights[y]!);
  return ce.reduce((s, v, i) => s + w[i]! * v, 0) / w.reduce((a, b) => a + b, 0);
}

export function judgeClassWeights(test: Test<'class_weights'>, value: Value<'class_weights'>): Verdict {
  const credits = test.cases.map((counts, i) => caseWeights(counts, value.results[i], test.tolerance));
  return perCaseVerdict(credits, `classWeights gives N ÷ (K × count) for all ${credits.length} cases.`);
}

/** Credit is the mean over cases; the explanation names the first case that lost credit. */
export function perCaseVerdict(credits: readonly { credit: number; reason: string }[], allRight: string): Verdict {
  const fraction = credits.reduce((s, c) => s + c.credit, 0) / credits.length;
  const problems = credits.filter((c) => c.credit < 1).map((c) => c.reason);
  return {
    fraction,
    explanation: problems.length ? `${credits.length - problems.length} of ${credits.length} cases right. ${problems[0]}` : allRight,
  };
}

function caseWeights(counts: readonly number[], result: Value<'class_weights'>['results'][number] | undefined, tolerance: number): { credit: number; reason: string } {
  const shown = `classWeights(${JSON.stringify(counts)})`;
  if (!result) return { credit: 0, reason: `${shown} was not measured.` };
  if ('problem' in result) return { credit: 0, reason: result.problem };
  const got = result.weights;
  const want = balancedWeights(counts);
  if (got.length !== want.length) return { credit: 0, reason: `${shown} returned ${got.length} weights; there are ${want.length} classes, so return one weight per class.` };
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= tolerance * Math.abs(b);
  if (got.every((g, i) => close(g, want[i]!))) return { credit: 1, reason: '' };
  const expected = `expected ${fmtList(want)}, got ${fmtList(got)}`;
  const scale = got[0]! / want[0]!;
  if (Number.isFinite(scale) && scale > 0 && got.every((g, i) => close(g, want[i]! * scale))) {
    return { credit: 0.5, reason: `${shown}: the proportions are right but the scale is not (${expected}). Scale so the weights average to 1 over the training images: N ÷ (K × count).` };
  }
  if (new Set(counts).size > 1 && got.every((g) => close(g, got[0]!))) {
    return { credit: 0, reason: `${shown}: every class gets the same weight (${expected}); divide by each class's count so the rarer class weighs more.` };
  }
  const order = (xs: readonly number[]): number[] => xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  if (new Set(counts).size > 1 && JSON.stringify(order(got)) === JSON.stringify(order(counts))) {
    return { credit: 0, reason: `${shown}: the weights grow with the class's count (${expected}); they must shrink instead, so the rarer class weighs more.` };
  }
  return { credit: 0, reason: `${shown}: ${expected}.` };
}

export function judgeWeightedLoss(test: Test<'weighted_loss'>, value: Value<'weighted_loss'>): Verdict {
  const credits = test.cases.map((c, i) => caseLoss(c, value.results[i], test.tolerance));
  return perCaseVerdict(credits, `weightedCrossEntropy gives the weighted mean Σ w·CE ÷ Σ w for all ${credits.length} cases.`);
}

function caseLoss(c: LossCase, result: Value<'weighted_loss'>['results'][number] | undefined, tolerance: number): { credit: number; reason: string } {
  const shown = `on ${c.labels.length} rows with weights ${fmtList(c.weights)}`;
  if (!result) return { credit: 0, reason: `weightedCrossEntropy ${shown} was not measured.` };
  if ('problem' in result) return { credit: 0, reason: result.problem };
  const want = weightedMeanLoss(c);
  const got = result.value;
  if (Math.abs(got - want) <= tolerance) return { credit: 1, reason: '' };
  const ce = rowCrossEntropies(c);
  const w = c.labels.map((y) => c.weights[y]!);
  const weightedSum = ce.reduce((s, v, i) => s + w[i]! * v, 0);
  const mistakes: [number, string][] = [
    [ce.reduce((a, b) => a + b, 0) / ce.length, 'it ignores the class weights (that is the plain mean cross-entropy): multiply each row\'s loss by the weight of its true class'],
    [weightedSum / ce.length, "it divides by the number of rows; divide by the sum of the rows' weights instead, so the loss keeps its scale whatever the batch's mix of classes"],
    [weightedSum, "it is a sum; divide by the sum of the rows' weights to get the weighted mean"],
  ];
  const known = mistakes.find(([v]) => Math.abs(got - v) <= tolerance && Math.abs(v - want) > tolerance);
  const values = `expected ${fmt(want)}, got ${fmt(got)}`;
  return { credit: 0, reason: `weightedCrossEntropy ${shown}: ${values}${known ? `; ${known[1]}` : ''}.` };
}

export function judgeClassifierOutcome(test: Test<'classifier_outcome'>, value: Value<'classifier_outcome'>): Verdict {
  return judgeBalancedAccuracy(test, value, {
    diverged: 'Training diverged (the loss or the scores became NaN or infinite): lower the learning rate, and check the loss for a log of zero.',
    ignored: (name) => `The network never recognises ${name}: make sure the rarer class is weighted up in the loss.`,
    low: 'Check that the loss falls from epoch to epoch (learning rate, epochs) and that the weights favour the rarer class.',
  });
}

export interface BalancedAccuracyBounds {
  eval_split: 'val' | 'test';
  full_credit_balanced_accuracy: number;
  zero_credit_balanced_accuracy: number;
}

export interface TrainedScores {
  recalls: number[] | null;
  accuracy: number | null;
  steps: number;
  epochLosses: (number | null)[];
}

/** Balanced accuracy (mean recall) on BreastMNIST, scored linearly between the key's bounds, with the challenge's advice. */
export function judgeBalancedAccuracy(
  test: BalancedAccuracyBounds,
  value: TrainedScores,
  advice: { diverged: string; ignored: (className: string) => string; low: string },
): Verdict {
  const names = MEDMNIST[CHALLENGE_DATASET].labels;
  if (value.recalls === null || value.epochLosses.some((l) => l === null)) return { fraction: 0, explanation: advice.diverged };
  const balanced = value.recalls.reduce((a, b) => a + b, 0) / value.recalls.length;
  const fraction = (balanced - test.zero_credit_balanced_accuracy) / (test.full_credit_balanced_accuracy - test.zero_credit_balanced_accuracy);
  const perClass = value.recalls.map((r, c) => `${names[c] ?? `class ${c}`} ${fmt(r)}`).join(', ');
  const ignored = value.recalls.findIndex((r) => r === 0);
  const next = fraction >= 1 ? '' : ` ${ignored >= 0 ? advice.ignored(names[ignored] ?? `class ${ignored}`) : advice.low}`;
  return {
    fraction,
    explanation:
      `Balanced accuracy ${fmt(balanced)} on the ${test.eval_split} split (recall: ${perClass}; plain accuracy ${fmt(value.accuracy ?? 0)}) after ${value.steps} gradient steps; ` +
      `full marks at ≥ ${fmt(test.full_credit_balanced_accuracy)}, none at ≤ ${fmt(test.zero_credit_balanced_accuracy)}.${next}`,
  };
}

export function fmt(x: number): string {
  return x.toFixed(3);
}

export function fmtList(xs: readonly number[]): string {
  return `[${xs.map(fmt).join(', ')}]`;
}
