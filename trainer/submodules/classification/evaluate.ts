/**
 * ACC and AUC as MedMNIST's evaluator defines them, chosen by the dataset's task type, so the numbers in a
 * report can be set beside the MedMNIST v2 benchmark's. Pure: plain arrays in, numbers out.
 *
 * Scores are row-major count×columns: softmax probabilities for single-label tasks, one sigmoid per label for
 * the multi-label task. Labels are row-major count×labelColumns as the dataset stores them.
 */
import type { AccAuc } from '../../../protocol/messages';
import { LabError } from '../../core/labError';
import type { MedmnistTask } from '../../data/medmnist/catalog';

export interface ScoredSplit {
  readonly task: MedmnistTask;
  /** Class indices (one column), or 0/1 per label for the multi-label task. */
  readonly labels: Int32Array;
  readonly scores: Float32Array;
  readonly count: number;
  /** Classes (single-label) or labels (multi-label): the width of a score row. */
  readonly columns: number;
}

/** MedMNIST's decision threshold on a probability, for the binary and multi-label tasks. */
const THRESHOLD = 0.5;

export function evaluate(split: ScoredSplit): AccAuc {
  assertShapes(split);
  return split.task === 'multi-label, binary-class' ? multiLabel(split) : { acc: accuracy(split), auc: singleLabelAuc(split) };
}

/**
 * The share of rows whose highest score is the true class. For the binary task MedMNIST thresholds the
 * positive column at 0.5 instead; with two softmax columns p₁ > 0.5 exactly when p₁ > p₀, and a tie (both
 * 0.5) is class 0 both ways (argmax takes the first maximum, and 0.5 > 0.5 is false), so argmax is the same rule.
 */
function accuracy(split: ScoredSplit): number {
  let correct = 0;
  for (let i = 0; i < split.count; i++) if (argmaxRow(split, i) === split.labels[i]) correct++;
  return correct / split.count;
}

/**
 * Binary: ROC AUC of the positive column (index 1). Multi-class (and ordinal, which MedMNIST scores the same
 * way): the mean over classes of one-vs-rest ROC AUC. A class absent from the split (or the only one present)
 * has no defined AUC; scikit-learn raises there, so MedMNIST's evaluator would fail: it is left out of the mean.
 */
function singleLabelAuc(split: ScoredSplit): number {
  const classes = split.task === 'binary-class' ? [1] : Array.from({ length: split.columns }, (_, c) => c);
  const aucs = classes.map((c) => rocAuc(column(split, c), Array.from(split.labels, (y) => y === c))).filter((a) => !Number.isNaN(a));
  return meanOrFail(aucs, 'class');
}

/** Per label: ACC of thresholding at 0.5 and ROC AUC; each averaged over the labels. */
function multiLabel(split: ScoredSplit): AccAuc {
  let acc = 0;
  const aucs: number[] = [];
  for (let j = 0; j < split.columns; j++) {
    let correct = 0;
    const truth: boolean[] = [];
    for (let i = 0; i < split.count; i++) {
      const positive = split.labels[i * split.columns + j] === 1;
      truth.push(positive);
      if (split.scores[i * split.columns + j]! > THRESHOLD === positive) correct++;
    }
    acc += correct / split.count;
    const auc = rocAuc(column(split, j), truth);
    if (!Number.isNaN(auc)) aucs.push(auc);
  }
  return { acc: acc / split.columns, auc: meanOrFail(aucs, 'label') };
}

/**
 * ROC AUC by the Mann–Whitney rank formula: the probability that a random positive scores above a random
 * negative, a tie counting one half. Tied scores share the mean of their ranks, which is exactly that half.
 * NaN when either group is empty (the AUC is undefined).
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const meanRank = (start + 1 + end) / 2; // ranks start..end-1, 1-based
    for (let k = start; k < end; k++) {
      if (positive[order[k]!]) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** confusion[true][predicted], predicted by argmax; single-label tasks only. */
export function confusionMatrix(split: ScoredSplit): number[][] {
  assertShapes(split);
  const matrix = Array.from({ length: split.columns }, () => new Array<number>(split.columns).fill(0));
  for (let i = 0; i < split.count; i++) matrix[split.labels[i]!]![argmaxRow(split, i)]!++;
  return matrix;
}

/** The predicted class of every row (argmax, first maximum on a tie, as numpy's). */
export function predictions(split: ScoredSplit): Int32Array {
  return Int32Array.from({ length: split.count }, (_, i) => argmaxRow(split, i));
}

function argmaxRow(split: ScoredSplit, row: number): number {
  let best = 0;
  const base = row * split.columns;
  for (let c = 1; c < split.columns; c++) if (split.scores[base + c]! > split.scores[base + best]!) best = c;
  return best;
}

function column(split: ScoredSplit, c: number): Float32Array {
  return Float32Array.from({ length: split.count }, (_, i) => split.scores[i * split.columns + c]!);
}

function meanOrFail(values: readonly number[], what: string): number {
  if (values.length === 0) {
    throw new LabError('bad-data', `AUC is undefined: every ${what} of the split is either absent or the only one present. Use a split that holds both positives and negatives.`);
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function assertShapes(split: ScoredSplit): void {
  const labelColumns = split.task === 'multi-label, binary-class' ? split.columns : 1;
  if (split.count === 0) throw new LabError('bad-data', 'cannot score an empty split');
  if (split.scores.length !== split.count * split.columns || split.labels.length !== split.count * labelColumns) {
    throw new Error(`scores (${split.scores.length}) or labels (${split.labels.length}) do not fit ${split.count} rows × ${split.columns} columns`);
  }
}
