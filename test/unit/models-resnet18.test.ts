import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { SeededRandom } from '../../trainer/core/random';
import { runPredictCommand } from '../../trainer/cli/predictCommand';
import { predictFromFiles } from '../../trainer/models/predict';
import { createResNet18 } from '../../trainer/models/resnet18';
import { torchvisionTensorSpecs } from '../../trainer/models/torchvisionWeights';

const root = join(__dirname, '../..');
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const PYTHON = '/usr/bin/python3';

interface Fixture {
  classes: number;
  weights: string;
  cases: { size: number; input: string; logits: number[][] }[];
}

/** The reference needs PyTorch; only its absence may skip the check (CI installs python3-torch). */
function torchMissing(): string | false {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? false : `SKIPPED: ${PYTHON} cannot import torch (apt-get install python3-torch python3-torchvision python3-numpy)`;
}
const skipReference = torchMissing();

let fixtureDir = '';
let fixture: Fixture;
before(() => {
  if (skipReference) return;
  fixtureDir = mkdtempSync(join(tmpdir(), 'resnet18-fixture-'));
  const run = spawnSync(PYTHON, [join(root, 'scripts/reference/resnet18_fixture.py'), '--out', fixtureDir, '--classes', '9'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `the PyTorch fixture script failed (torchvision comes from python3-torchvision):\n${run.stderr}`);
  fixture = JSON.parse(readFileSync(join(fixtureDir, 'fixture.json'), 'utf8')) as Fixture;
});
// The weights are 45 MB: do not leave one copy per run in the temp folder.
after(() => {
  if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
});

/** Largest difference, relative to the size of PyTorch's logits (never below an absolute 1e-4). */
function relativeError(ours: number[][], reference: number[][]): number {
  const scale = Math.max(1, ...reference.flat().map(Math.abs));
  assert.equal(ours.length, reference.length);
  return Math.max(...ours.flatMap((row, i) => row.map((v, j) => Math.abs(v - reference[i]![j]!)))) / scale;
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`on ${backend}, the ResNet-18 port gives PyTorch's logits for the same weights and images (28×28 and 64×64)`, { skip: skipReference }, async () => {
    await selectBackend({ choice: backend, searchPaths: [], wasmDir });
    const baseline = tf.memory().numTensors;
    for (const c of fixture.cases) {
      const { logits } = await predictFromFiles({ model: 'resnet18', weightsFile: join(fixtureDir, fixture.weights), inputFile: join(fixtureDir, c.input) });
      assert.equal(logits[0]!.length, fixture.classes);
      const error = relativeError(logits, c.logits);
      assert.ok(error <= 1e-4, `${c.size}×${c.size} on ${backend}: max |Δ| is ${error.toExponential(2)} of the logits' scale`);
    }
    assert.equal(tf.memory().numTensors, baseline, 'predicting leaves no tensors behind');
  });
}

test('biomed-lab predict --json prints the logits PyTorch computed', { skip: skipReference }, async () => {
  const out: string[] = [];
  const err: string[] = [];
  const c = fixture.cases[0]!;
  const code = await runPredictCommand(
    ['--model', 'resnet18', '--weights', join(fixtureDir, fixture.weights), '--input', join(fixtureDir, c.input), '--backend', 'wasm', '--json'],
    { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
  );
  assert.equal(code, 0, err.join(''));
  const printed = JSON.parse(out.join('')) as { logits: number[][] };
  assert.ok(relativeError(printed.logits, c.logits) <= 1e-4);
});

test('biomed-lab predict explains a missing --weights and a wrong class count', async () => {
  const err: string[] = [];
  const output = { stdout: { write: () => true }, stderr: { write: (t: string) => err.push(t) } };
  assert.equal(await runPredictCommand(['--input', 'x.npy'], output), 2);
  assert.match(err.join(''), /--weights FILE\.safetensors is required/);
  if (skipReference) return;
  err.length = 0;
  const c = fixture.cases[0]!;
  const args = ['--weights', join(fixtureDir, fixture.weights), '--input', join(fixtureDir, c.input), '--classes', '2', '--backend', 'cpu'];
  assert.equal(await runPredictCommand(args, output), 1);
  assert.match(err.join(''), /"fc\.weight" has shape \[9, 512\], expected \[2, 512\].*head has 9 classes and the model 2/);
});

test('the BreastMNIST set-up (1 input channel, 2 classes) builds and maps a 28×28 batch to 2 logits per image', async () => {
  await selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
  const model = createResNet18({ channels: 1, classes: 2 });
  assert.deepEqual(model.inputs[0]!.shape, [null, null, null, 1]);
  assert.deepEqual(model.outputs[0]!.shape, [null, 2]);
  const logits = tf.tidy(() => model.predict(tf.zeros([3, 28, 28, 1])) as TF.Tensor);
  assert.deepEqual(logits.shape, [3, 2]);
  logits.dispose();
  model.dispose();
});

test("the model's tensors, in PyTorch layout, are exactly torchvision's resnet18 state dict (../shared TSV)", () => {
  const model = createResNet18({ channels: 3, classes: 1000 });
  const ours = torchvisionTensorSpecs(model).map((s) => `${s.key}\t${JSON.stringify(s.shape)}\t${s.dtype}`);
  model.dispose();
  const tsv = readFileSync(join(root, '../shared/data/resnet18_torchvision_state_dict_keys.tsv'), 'utf8').trim().split('\n').slice(1);
  const reference = tsv.map((line) => {
    const [key, shape, dtype] = line.split('\t');
    return `${key}\t${JSON.stringify(JSON.parse(shape!))}\t${dtype}`;
  });
  // Same set, compared sorted: torch lists a block's downsample after bn2, tfjs orders layers by graph depth.
  assert.deepEqual([...ours].sort(), [...reference].sort());
  assert.equal(ours.length, 122);
});

test('creating and disposing the model twice leaves no tensors behind', async () => {
  await selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
  const baseline = tf.memory().numTensors;
  for (let i = 0; i < 2; i++) {
    createResNet18({ channels: 3, classes: 9, height: 28, width: 28 }).dispose();
    assert.equal(tf.memory().numTensors, baseline, `after model ${i + 1}`);
  }
});

// BatchNorm in inference mode: at batch 2 the training-mode statistics of layer4's 1×1 images are over 2 values
// per channel, and the gradient through them is ill-conditioned enough that float summation order alone moves
// it by tens of percent on either backend. Training-mode batch-norm gradients are checked against PyTorch in
// kernels-pytorch; here every convolution, pooling and residual gradient of the real network is.
test('on wasm, every ResNet-18 parameter gradient equals the cpu backend’s, and the image’s gradient is never computed', async () => {
  await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir });
  const rng = new SeededRandom(31);
  const x = tf.tensor4d(Float32Array.from({ length: 2 * 28 * 28 * 3 }, () => rng.next() * 2 - 1), [2, 28, 28, 3]);
  const y = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 9);
  const model = createResNet18({ channels: 3, classes: 9, height: 28, width: 28 });
  const variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
  const gradients = (): Float32Array[] => {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: false }) as TF.Tensor) as TF.Scalar, variables);
    const out = variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  };
  const profile = await tf.profile(() => void gradients());
  const inputGradients = profile.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
  // 20 convolutions; the stem's input is the image.
  assert.equal(inputGradients, 19, 'input gradients computed');
  const wasm = gradients();
  await tf.setBackend('cpu');
  const cpu = gradients();
  await tf.setBackend('wasm');
  for (const [i, v] of variables.entries()) {
    let diff = 0;
    let scale = 0;
    cpu[i]!.forEach((e, j) => {
      diff = Math.max(diff, Math.abs(wasm[i]![j]! - e));
      scale = Math.max(scale, Math.abs(e));
    });
    assert.ok(diff <= 1e-4 * Math.max(scale, 1e-6), `${v.name}: rel. error ${diff / scale}`);
  }
  tf.dispose([x, y]);
  model.dispose();
});
