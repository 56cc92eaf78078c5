import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinMaxScaler } from '../../trainer/core/minMaxScaler';
import { SeededRandom } from '../../trainer/core/random';
import { randomSplits } from '../../trainer/core/splits';

test('the same seed gives the same splits; another seed gives others', () => {
  const a = randomSplits(569, 5, 2 / 3, 7);
  const b = randomSplits(569, 5, 2 / 3, 7);
  const c = randomSplits(569, 5, 2 / 3, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0]!.train, c[0]!.train);
});

test('each split is a 2:1 partition of all rows, and splits differ from each other', () => {
  const splits = randomSplits(569, 3, 2 / 3, 1);
  for (const s of splits) {
    assert.equal(s.train.length, 379);
    assert.equal(s.test.length, 190);
    const all = new Set([...s.train, ...s.test]);
    assert.equal(all.size, 569, 'no row is lost or used twice');
  }
  assert.notDeepEqual(splits[0]!.test, splits[1]!.test);
});

test('split k does not depend on how many splits were asked for', () => {
  assert.deepEqual(randomSplits(100, 2, 0.5, 3)[1], randomSplits(100, 10, 0.5, 3)[1]);
});

test('a seeded permutation is a reordering of every index, the same each time', () => {
  const p = new SeededRandom(99).permutation(50);
  assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(new SeededRandom(99).permutation(50), p);
  assert.notDeepEqual(p, Array.from({ length: 50 }, (_, i) => i));
});

test('scaling is fitted on training rows only: test rows may fall outside [0, 1]', () => {
  const train = [
    [0, 10],
    [5, 20],
    [10, 30],
  ];
  const test = [[20, 0]];
  const scaler = MinMaxScaler.fit(train);
  assert.deepEqual(scaler.min, [0, 10]);
  assert.deepEqual(scaler.range, [10, 20]);
  assert.deepEqual(scaler.transform(test), [[2, -0.5]]);
});

test('a constant training column scales to 0 instead of dividing by zero', () => {
  const scaler = MinMaxScaler.fit([[3], [3]]);
  assert.deepEqual(scaler.transform([[3], [4]]), [[0], [0]]);
});

test('inverse scaling returns the original units', () => {
  const scaler = MinMaxScaler.fit([[6], [26]]);
  assert.deepEqual(scaler.inverseColumn([0, 0.5, 1]), [6, 16, 26]);
});
