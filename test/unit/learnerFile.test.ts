import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { selectBackend } from '../../trainer/backend/ladder';
import { LabError } from '../../trainer/core/labError';
import { loadLearnerModule } from '../../trainer/learner/loadLearnerModule';
import { exerciseFromModule } from '../../trainer/submodules/regression/exercise';

const dir = mkdtempSync(join(tmpdir(), 'learner-'));
function learnerFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

before(async () => {
  await selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
});

async function loadError(file: string): Promise<LabError> {
  try {
    exerciseFromModule(await loadLearnerModule(file)).buildNetwork(29);
  } catch (err) {
    assert.ok(LabError.is(err), `expected a LabError, got ${String(err)}`);
    return err;
  }
  assert.fail('the learner file was expected to fail');
}

test("the course's exercise template loads and builds a 29 → 1 network", async () => {
  const exercise = exerciseFromModule(await loadLearnerModule(join(__dirname, '../../walkthroughs/regression/exercise/network.ts')));
  const model = exercise.buildNetwork(29);
  assert.deepEqual(model.inputs[0]!.shape, [null, 29]);
  assert.deepEqual(model.outputs[0]!.shape, [null, 1]);
  assert.equal(exercise.training.learningRate, 1e-4);
  model.dispose();
});

test('a syntax error is reported at the learner line and column', async () => {
  const file = learnerFile('syntax.ts', "import * as tf from '@tensorflow/tfjs';\n\nexport function buildNetwork(n: number) {\n  return tf.sequential({ layers: [ }); \n}\n");
  const err = await loadError(file);
  assert.equal(err.code, 'learner-compile');
  assert.equal(err.location?.file, file);
  assert.equal(err.location?.line, 4);
  assert.match(err.message, /syntax\.ts:4:\d+/);
});

test('a throw inside buildNetwork points at the line that threw', async () => {
  const file = learnerFile(
    'throws.ts',
    [
      "import * as tf from '@tensorflow/tfjs';",
      '',
      'export function buildNetwork(n: number): tf.LayersModel {',
      '  const layers = [tf.layers.dense({ units: 1, inputShape: [n] })];',
      "  if (layers.length === 1) throw new Error('forgot the hidden layer');",
      '  return tf.sequential({ layers });',
      '}',
    ].join('\n'),
  );
  const err = await loadError(file);
  assert.equal(err.code, 'learner-runtime');
  assert.equal(err.location?.file, file);
  assert.equal(err.location?.line, 5);
  assert.match(err.message, /buildNetwork threw: forgot the hidden layer/);
});

test('missing exports, wrong shapes and bad settings each say what to change', async () => {
  const noExport = await loadError(learnerFile('none.ts', 'export const x = 1;\n'));
  assert.match(noExport.message, /export a function named buildNetwork/);
  const wide = await loadError(
    learnerFile('wide.ts', "import * as tf from '@tensorflow/tfjs';\nexport function buildNetwork(n: number) { return tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [n] })] }); }\n"),
  );
  assert.match(wide.message, /output shape is \[null,3\].*dense layer of 1 unit/);
  const narrow = await loadError(
    learnerFile('narrow.ts', "import * as tf from '@tensorflow/tfjs';\nexport function buildNetwork() { return tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] }); }\n"),
  );
  assert.match(narrow.message, /input shape is \[null,4\] but each row has 29 features/);
  const badRate = await loadError(
    learnerFile('rate.ts', "export const training = { learningRate: -1, epochs: 10, batchSize: 8 };\nexport function buildNetwork() { return null; }\n"),
  );
  assert.match(badRate.message, /training\.learningRate is -1; it must be a positive number/);
  const notModel = await loadError(learnerFile('null.ts', 'export function buildNetwork() { return null; }\n'));
  assert.match(notModel.message, /must return a tf\.LayersModel.*not null/);
});

test('importing a package the lab cannot provide is a clear error', async () => {
  const file = learnerFile('imports.ts', "import * as fs from 'node:fs';\nexport function buildNetwork() { return fs; }\n");
  const err = await loadError(file);
  assert.match(err.message, /imports "node:fs", which the lab cannot provide/);
});
