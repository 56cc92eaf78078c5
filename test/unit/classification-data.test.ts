import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabError } from '../../trainer/core/labError';
import { classCounts, datasetFlag, stratifiedSubset } from '../../trainer/submodules/classification/dataset';

test('the quick profile\'s subset keeps every class\'s share of the training split, and the seed fixes it', () => {
  // 1,000 rows: 700 of class 0, 200 of class 1, 100 of class 2.
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0 : i < 900 ? 1 : 2));
  const rows = stratifiedSubset(labels, 3, 101, 4);
  assert.equal(rows.length, 101);
  assert.equal(new Set(rows).size, 101);
  // 70.7, 20.2 and 10.1 rows: the floors give 70 + 20 + 10 and the largest remainder (class 0) takes the last.
  assert.deepEqual(classCounts({ images: new Uint8Array(0), labels, count: 1000, height: 1, width: 1, channels: 1, labelColumns: 1 }, 3, rows), [71, 20, 10]);
  assert.deepEqual(stratifiedSubset(labels, 3, 101, 4), rows);
  assert.notDeepEqual(stratifiedSubset(labels, 3, 101, 5), rows);
  assert.deepEqual(stratifiedSubset(labels, 3, undefined, 4).length, 1000);
  assert.deepEqual(stratifiedSubset(labels, 3, 5000, 4).length, 1000);
});

test('the dataset flag defaults to PathMNIST and refuses what a single-label 2D ResNet cannot train', () => {
  assert.equal(datasetFlag(undefined), 'pathmnist');
  assert.equal(datasetFlag('BreastMNIST'), 'breastmnist');
  for (const [name, pattern] of [['mnist', /not a MedMNIST dataset/], ['chestmnist', /multi-label/], ['organmnist3d', /3D volumes/]] as const) {
    assert.throws(() => datasetFlag(name), (err: unknown) => LabError.is(err, 'bad-request') && pattern.test(err.message));
  }
});
