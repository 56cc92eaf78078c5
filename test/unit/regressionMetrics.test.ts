import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanAbsoluteError, rootMeanSquaredError } from '../../trainer/core/regressionMetrics';
import { pearson, sampleSd, summarize } from '../../trainer/core/stats';

test('MAE and RMSE match values worked out by hand', () => {
  // errors: -1, 2, 0, -3  →  MAE = 6/4 = 1.5,  RMSE = sqrt(14/4)
  const actual = [10, 12, 14, 16];
  const predicted = [11, 10, 14, 19];
  assert.equal(meanAbsoluteError(actual, predicted), 1.5);
  assert.equal(rootMeanSquaredError(actual, predicted), Math.sqrt(3.5));
});

test('a perfect prediction scores zero on both', () => {
  assert.equal(meanAbsoluteError([1, 2], [1, 2]), 0);
  assert.equal(rootMeanSquaredError([1, 2], [1, 2]), 0);
});

test('metrics refuse lists of different lengths or no values', () => {
  assert.throws(() => meanAbsoluteError([1, 2], [1]), /2 values but predicted has 1/);
  assert.throws(() => rootMeanSquaredError([], []), /no values/);
});

test('mean ± sample standard deviation of split errors', () => {
  // values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, sample sd sqrt(32/7)
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  assert.ok(Math.abs(s.sd - Math.sqrt(32 / 7)) < 1e-12);
  assert.equal(sampleSd([3]), 0);
});

test('Pearson correlation of a line is ±1 and of a constant column is 0', () => {
  assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  assert.equal(pearson([1, 2, 3], [5, 5, 5]), 0);
});
