import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { SeededRandom } from '../../trainer/core/random';
import type { MedmnistTask } from '../../trainer/data/medmnist/catalog';
import { confusionMatrix, evaluate, rocAuc, type ScoredSplit } from '../../trainer/submodules/classification/evaluate';

const REFERENCE = join(__dirname, '../../scripts/reference/classification_metrics.py');

function split(task: MedmnistTask, columns: number, labels: number[], scores: number[]): ScoredSplit {
  const labelColumns = task === 'multi-label, binary-class' ? columns : 1;
  return { task, columns, labels: Int32Array.from(labels), scores: Float32Array.from(scores), count: labels.length / labelColumns };
}

test('ROC AUC counts a tie between a positive and a negative as one half', () => {
  // Positives score 0.8 and 0.4; negatives 0.4 and 0.1. Pairs: (0.8>0.4) 1, (0.8>0.1) 1, (0.4=0.4) ½, (0.4>0.1) 1 → 3.5/4.
  assert.equal(rocAuc([0.8, 0.4, 0.4, 0.1], [true, true, false, false]), 0.875);
  assert.equal(rocAuc([0.5, 0.5, 0.5], [true, false, true]), 0.5);
  assert.equal(rocAuc([0.1, 0.2, 0.9], [false, false, true]), 1);
  assert.equal(rocAuc([0.9, 0.2, 0.1], [false, false, true]), 0);
  assert.ok(Number.isNaN(rocAuc([0.3, 0.6], [true, true])), 'one class only: undefined');
});

test('binary ACC by argmax equals MedMNIST\'s 0.5 threshold on the positive column, and AUC uses that column', () => {
  // Row 3 is an exact tie (0.5, 0.5): argmax says class 0, and 0.5 > 0.5 is false, so class 0 too.
  const s = split('binary-class', 2, [1, 0, 1, 0], [0.2, 0.8, 0.6, 0.4, 0.7, 0.3, 0.5, 0.5]);
  const { acc, auc } = evaluate(s);
  assert.equal(acc, 0.75); // rows 0, 1 and 3 right; row 2 (0.7, 0.3) says class 0 for a class-1 image
  // Positive column: positives 0.8, 0.3; negatives 0.4, 0.5 → pairs 0.8>0.4, 0.8>0.5, 0.3<0.4, 0.3<0.5 → 2/4.
  assert.equal(auc, 0.5);
  assert.deepEqual(confusionMatrix(s), [[2, 0], [1, 1]]);
});

test('multi-class AUC is the mean of one-vs-rest AUCs and ACC is argmax', () => {
  const s = split('multi-class', 3, [0, 1, 2, 2], [0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.1, 0.3, 0.6, 0.5, 0.1, 0.4]);
  const { acc, auc } = evaluate(s);
  assert.equal(acc, 0.75);
  // Class 0: pos 0.7 vs neg 0.3, 0.1, 0.5 → 1. Class 1: pos 0.4 vs 0.2, 0.3, 0.1 → 1.
  // Class 2: pos 0.6, 0.4 vs neg 0.1, 0.3 → 1. Mean 1.
  assert.equal(auc, 1);
  assert.deepEqual(confusionMatrix(s), [[1, 0, 0], [0, 1, 0], [1, 0, 1]]);
});

test('multi-label ACC thresholds each label at 0.5 and averages; AUC averages over labels', () => {
  const s = split('multi-label, binary-class', 2, [1, 0, 0, 1, 1, 1], [0.9, 0.2, 0.6, 0.7, 0.4, 0.8]);
  const { acc, auc } = evaluate(s);
  // Label 0: predictions 1,1,0 vs truth 1,0,1 → 1/3. Label 1: 0,1,1 vs 0,1,1 → 1. Mean 2/3.
  assert.ok(Math.abs(acc - 2 / 3) < 1e-12);
  // Label 0: pos 0.9, 0.4 vs neg 0.6 → ½. Label 1: pos 0.7, 0.8 vs neg 0.2 → 1. Mean 0.75.
  assert.equal(auc, 0.75);
});

test('ACC and AUC agree with scikit-learn on random scores with ties, for all three task types', () => {
  const rng = new SeededRandom(11);
  const cases: ScoredSplit[] = [];
  for (const [task, columns, n] of [['binary-class', 2, 157], ['multi-class', 9, 301], ['ordinal-regression', 5, 120], ['multi-label, binary-class', 14, 90]] as const) {
    const multi = task === 'multi-label, binary-class';
    const labels = Array.from({ length: n * (multi ? columns : 1) }, () => (multi ? Number(rng.next() < 0.3) : rng.nextInt(columns)));
    // Scores rounded to one decimal so many tie, which is where a naive AUC goes wrong.
    const raw = Array.from({ length: n * columns }, () => Math.round(rng.next() * 10) / 10);
    const scores = multi ? raw : raw.map((_, i) => raw[i]! / raw.slice(i - (i % columns), i - (i % columns) + columns).reduce((a, b) => a + b, 1e-9));
    cases.push(split(task, columns, labels, scores));
  }
  const request = { cases: cases.map((c) => ({ task: c.task, columns: c.columns, count: c.count, labels: Array.from(c.labels), scores: Array.from(c.scores) })) };
  const run = spawnSync('/usr/bin/python3', [REFERENCE], { input: JSON.stringify(request), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const expected = (JSON.parse(run.stdout) as { results: { acc: number; auc: number }[] }).results;
  cases.forEach((c, i) => {
    const ours = evaluate(c);
    assert.ok(Math.abs(ours.acc - expected[i]!.acc) < 1e-12, `${c.task} ACC ${ours.acc} vs scikit-learn ${expected[i]!.acc}`);
    assert.ok(Math.abs(ours.auc - expected[i]!.auc) < 1e-12, `${c.task} AUC ${ours.auc} vs scikit-learn ${expected[i]!.auc}`);
  });
});
