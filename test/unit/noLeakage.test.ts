import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { selectBackend } from '../../trainer/backend/ladder';
import { randomSplits } from '../../trainer/core/splits';
import { baselineModels } from '../../trainer/submodules/regression/baselines';
import { loadRegressionTable, type RegressionTable } from '../../trainer/submodules/regression/dataset';
import { COURSE_NETWORK } from '../../trainer/submodules/regression/exercise';
import { runSplit, type SplitOutcome } from '../../trainer/submodules/regression/splitJob';

before(async () => {
  await selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
});

const hooks = { onModel: () => undefined, onEpoch: () => undefined, throwIfCancelled: () => undefined };
const exercise = { ...COURSE_NETWORK, training: { ...COURSE_NETWORK.training, epochs: 5 } };

async function outcome(table: RegressionTable): Promise<SplitOutcome> {
  const split = randomSplits(table.values.length, 1, 2 / 3, 11)[0]!;
  return runSplit({ table, exercise, baselines: baselineModels({ trees: 2, featureFraction: 1 / 3 }), seed: 11 }, 0, split, hooks);
}

test('training never sees the test rows: scaling, network training and feature scores ignore them', async () => {
  const table = loadRegressionTable();
  const split = randomSplits(table.values.length, 1, 2 / 3, 11)[0]!;
  // Blow up every value of every test row. If scaling or ranking were fitted on all rows, the scaled training
  // inputs, and so the training loss and the feature scores, would change.
  const test = new Set(split.test);
  const distorted: RegressionTable = { ...table, values: table.values.map((row, i) => (test.has(i) ? row.map((v) => v * 1000 + 7) : row)) };

  const clean = await outcome(table);
  const dirty = await outcome(distorted);
  assert.deepEqual(dirty.curve, clean.curve, 'the network trains identically');
  assert.deepEqual(dirty.ranking, clean.ranking, 'feature scores come from training rows only');
  assert.deepEqual(dirty.networkInitialWeights, clean.networkInitialWeights);
  // ...while the test errors do see the change, so the test rows really were distorted.
  const mae = (o: SplitOutcome) => o.errors.find((e) => e.model === 'linear')!.mae;
  assert.ok(mae(dirty) > mae(clean) * 100, `linear MAE ${mae(clean)} → ${mae(dirty)}`);
});
