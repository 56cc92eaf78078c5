import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { existsSync } from 'node:fs';
import type { StartRunParams, TrainerMessage } from '../../protocol/messages';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { LabError } from '../../trainer/core/labError';
import { loadLearnerModule } from '../../trainer/learner/loadLearnerModule';
import { SafetensorsFile } from '../../trainer/models/safetensors';
import { EXPERIMENTS, HEAD, buildExperimentModel, type ExperimentSpec } from '../../trainer/submodules/classification/experiments';
import { transferFromModule } from '../../trainer/submodules/classification/transfer';
import { executeRun } from '../../trainer/run/executeRun';
import { CancellationFlag } from '../../trainer/run/runContext';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cls-transfer-'));
const GREY = { channels: 1, classes: 2, size: 28 };
let weights: SafetensorsFile;

before(async () => {
  await selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
  // Like ImageNet's file: a 1000-way head the learner has to replace.
  const made = spawnSync('/usr/bin/python3', [join(root, 'scripts/reference/resnet18_fixture.py'), '--out', dir, '--sizes', '28', '--batch', '1', '--classes', '1000'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  weights = SafetensorsFile.read(join(dir, 'weights.safetensors'));
});

const spec = (name: ExperimentSpec['name']): ExperimentSpec => EXPERIMENTS.find((e) => e.name === name)!;

/** A learner's transfer.ts whose body is `body`, with `pretrained`, `classes` and `mode` in scope. */
function learnerFile(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      "import * as tf from '@tensorflow/tfjs';",
      '',
      "export function prepareForTransfer(pretrained: tf.LayersModel, classes: number, mode: 'frozen-backbone' | 'fine-tune') {",
      body,
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

const NEW_HEAD = [
  "  const features = pretrained.getLayer('avgpool').output as tf.SymbolicTensor;",
  "  const head = tf.layers.dense({ units: classes, name: 'tissue_head' });",
  '  const model = tf.model({ inputs: pretrained.inputs, outputs: head.apply(features) as tf.SymbolicTensor });',
].join('\n');

async function build(file: string, name: ExperimentSpec['name']): Promise<ReturnType<typeof buildExperimentModel>> {
  return buildExperimentModel(spec(name), GREY, 5, weights, transferFromModule(await loadLearnerModule(file)));
}

async function failure(file: string, name: ExperimentSpec['name']): Promise<LabError> {
  const tensors = tf.memory().numTensors;
  try {
    (await build(file, name)).dispose();
  } catch (err) {
    assert.ok(LabError.is(err), `expected a LabError, got ${String(err)}`);
    assert.equal(tf.memory().numTensors, tensors, 'a rejected network left tensors behind');
    return err;
  }
  assert.fail(`experiment ${name} was expected to refuse ${file}`);
}

test("a correct transfer.ts gives B a frozen backbone in inference mode and C a fully trainable network, each with a new 2-way head", async () => {
  const file = learnerFile(
    'correct.ts',
    `${NEW_HEAD}\n  if (mode === 'frozen-backbone') for (const layer of pretrained.layers) layer.trainable = false;\n  return { model, batchNorm: mode === 'frozen-backbone' ? 'inference' as const : 'training' as const };`,
  );
  const tensors = tf.memory().numTensors;
  for (const name of ['B', 'C'] as const) {
    const network = await build(file, name);
    try {
      assert.deepEqual(network.model.outputs[0]!.shape, [null, 2]);
      const trainable = new Set(network.model.trainableWeights.map((w) => w.originalName.split('/')[0]));
      if (name === 'B') assert.deepEqual([...trainable], ['tissue_head']);
      else assert.ok(trainable.has('conv1') && trainable.has('tissue_head') && trainable.has('layer4.1.bn2'));
      assert.equal(network.spec.batchNorm, name === 'B' ? 'inference' : 'training');
      // The backbone keeps the file's values.
      assert.deepEqual(Array.from(network.model.getLayer('bn1').getWeights()[2]!.dataSync()), Array.from(weights.float32('bn1.running_mean')));
    } finally {
      network.dispose();
    }
  }
  assert.equal(tf.memory().numTensors, tensors, 'the pretrained network (its old 1000-way head included) was not freed');
});

test('a transfer.ts that forgets to freeze the backbone is refused for B, naming the first trainable layer and the file', async () => {
  const file = learnerFile('unfrozen.ts', `${NEW_HEAD}\n  return { model, batchNorm: 'inference' as const };`);
  const err = await failure(file, 'B');
  assert.equal(err.code, 'learner-runtime');
  assert.match(err.message, /unfrozen\.ts/);
  assert.match(err.message, /backbone layer conv1 is still trainable/);
  assert.deepEqual(err.location, { file, line: 3, column: 16 }, 'the squiggle belongs on the exported function');
  // The same file is what C needs.
  (await build(file, 'C')).dispose();
});

test('keeping the ImageNet head, a softmax head, or BatchNorm in training mode under a frozen backbone each get their own message', async () => {
  const cases: [string, string, RegExp][] = [
    ['kept-head.ts', "  for (const l of pretrained.layers) l.trainable = l.name === 'fc';\n  return { model: pretrained, batchNorm: 'inference' as const };", /the head has 1000 units, expected 2/],
    [
      'softmax.ts',
      "  const f = pretrained.getLayer('avgpool').output as tf.SymbolicTensor;\n  const model = tf.model({ inputs: pretrained.inputs, outputs: tf.layers.dense({ units: classes, activation: 'softmax' }).apply(f) as tf.SymbolicTensor });\n  return { model, batchNorm: 'training' as const };",
      /softmax activation; leave it out/,
    ],
    ['bn-training.ts', `${NEW_HEAD}\n  for (const l of pretrained.layers) l.trainable = false;\n  return { model, batchNorm: 'training' as const };`, /batchNorm is 'training'.*running statistics.*'inference'/],
    ['model-only.ts', `${NEW_HEAD}\n  return model;`, /return \{ model, batchNorm \}/],
  ];
  for (const [name, body, message] of cases) {
    const err = await failure(learnerFile(name, body), 'B');
    assert.match(err.message, message, name);
  }
});

test('a transfer.ts that throws is reported at the line that threw', async () => {
  const file = learnerFile('throws.ts', "  const layer = pretrained.getLayer('no-such-layer');\n  return { model: pretrained, batchNorm: layer ? 'training' as const : 'inference' as const };");
  const err = await failure(file, 'C');
  assert.equal(err.code, 'learner-runtime');
  assert.equal(err.location?.file, file);
  assert.equal(err.location?.line, 4);
  assert.match(err.message, /throws\.ts:4:\d+: prepareForTransfer threw: .*no-such-layer/);
});

test('the exercise template replaces the head, so C runs, and B is refused until the backbone is frozen', async () => {
  const template = join(root, 'walkthroughs/classification/exercise/transfer.ts');
  const c = await build(template, 'C');
  assert.deepEqual(c.model.outputs[0]!.shape, [null, 2]);
  assert.ok(!c.model.layers.some((l) => l.name === HEAD), "the ImageNet head is still in C's network");
  c.dispose();
  assert.match((await failure(template, 'B')).message, /backbone layer conv1 is still trainable/);
});

test("a run with a learner file that forgets to freeze stops before any training, at the learner's function", async () => {
  const file = learnerFile('run-unfrozen.ts', `${NEW_HEAD}\n  return { model, batchNorm: 'inference' as const };`);
  const messages: TrainerMessage[] = [];
  const params: StartRunParams = {
    runId: 'learner', submodule: 'classification', profile: 'quick', seed: 1, backend: 'cpu', outDir: join(dir, 'run-out'),
    dataset: 'breastmnist', dataDir: join(root, '..', 'shared', 'data'), weightsFile: join(dir, 'weights.safetensors'), learnerFile: file,
  };
  const ok = await executeRun(params, (method, p) => messages.push({ v: 1, method, params: p } as TrainerMessage), new CancellationFlag());
  assert.equal(ok, false);
  const error = messages.find((m) => m.method === 'run/error');
  assert.ok(error?.method === 'run/error');
  assert.match(error.params.message, /run-unfrozen\.ts.*backbone layer conv1 is still trainable/);
  assert.deepEqual(error.params.location, { file, line: 3, column: 16 });
  assert.ok(!messages.some((m) => m.method === 'run/progress' && m.params.batch !== undefined), 'training started before the file was checked');
  assert.ok(!existsSync(join(dir, 'run-out', 'metrics.json')));
});
