import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { npyToInt32, parseNpy } from '../../trainer/data/npy';
import { pixelCrossEntropy } from '../../trainer/models/pixelCrossEntropy';
import { SafetensorsFile } from '../../trainer/models/safetensors';
import { loadTorchvisionWeights, torchvisionTensorSpecs } from '../../trainer/models/torchvisionWeights';
import { COURSE_UNET, createUNet } from '../../trainer/models/unet';
import { relativeError } from './numeric-compare';

const root = join(__dirname, '../..');
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const PYTHON = '/usr/bin/python3';
// Small enough for a unit test, deep enough that every level, skip and upsampling is exercised.
const SMALL = { channels: 3, classes: 4, base: 8, height: 32, width: 32 } as const;

interface Fixture {
  loss: number;
}

function torchMissing(): string | false {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return probe.status === 0 ? false : `SKIPPED: ${PYTHON} cannot import torch (apt-get install python3-torch python3-numpy)`;
}
const skipReference = torchMissing();

let dir = '';
before(() => {
  if (skipReference) return;
  dir = mkdtempSync(join(tmpdir(), 'unet-fixture-'));
  const args = ['--out', dir, '--base', String(SMALL.base), '--size', String(SMALL.height), '--classes', String(SMALL.classes), '--batch', '2'];
  const run = spawnSync(PYTHON, [join(root, 'scripts/reference/unet_reference.py'), ...args], { encoding: 'utf8' });
  assert.equal(run.status, 0, `the PyTorch U-Net fixture script failed:\n${run.stderr}`);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function npy(name: string): ReturnType<typeof parseNpy> {
  return parseNpy(readFileSync(join(dir, name)), name);
}

function float32(array: ReturnType<typeof parseNpy>): Float32Array {
  const { data } = array;
  return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** The torch parameter name of a trainable tfjs weight, and its value in torch layout (OIHW filters). */
function inTorchLayout(layer: TF.layers.Layer, role: string, value: TF.Tensor): { key: string; value: TF.Tensor } {
  const suffix = { kernel: 'weight', gamma: 'weight', bias: 'bias', beta: 'bias' }[role];
  assert.ok(suffix, `unexpected trainable weight ${layer.name}/${role}`);
  return { key: `${layer.name}.${suffix}`, value: role === 'kernel' ? tf.transpose(value, [3, 2, 0, 1]) : value };
}

test('the course U-Net maps 128×128×3 images to a 4-class probability per pixel', async () => {
  await selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
  const course = createUNet(COURSE_UNET);
  assert.deepEqual(course.inputs[0]!.shape, [null, 128, 128, 3]);
  assert.deepEqual(course.outputs[0]!.shape, [null, 128, 128, 4]);
  course.dispose();

  const small = createUNet(SMALL);
  const sums = tf.tidy(() => tf.sum(small.predict(tf.randomNormal([2, 32, 32, 3])) as TF.Tensor, -1));
  assert.deepEqual(sums.shape, [2, 32, 32], 'one probability vector per pixel, not per image row');
  const values = await sums.data();
  assert.ok(values.every((v) => Math.abs(v - 1) < 1e-5), 'the softmax runs over the class axis');
  sums.dispose();
  small.dispose();
});

test('the U-Net refuses an input size three poolings cannot halve', () => {
  assert.throws(() => createUNet({ ...SMALL, height: 36 }), /multiple of 8.*36×32/);
});

test("the U-Net's tensors, in PyTorch layout, are exactly the reference module's state dict", { skip: skipReference }, async () => {
  await selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
  const model = createUNet(SMALL);
  const file = SafetensorsFile.read(join(dir, 'weights.safetensors'));
  const ours = torchvisionTensorSpecs(model)
    .filter((s) => !s.key.endsWith('num_batches_tracked'))
    .map((s) => `${s.key} ${JSON.stringify(s.shape)}`);
  const reference = file.names().map((n) => `${n} ${JSON.stringify(file.entry(n)!.shape)}`);
  model.dispose();
  assert.deepEqual([...ours].sort(), [...reference].sort());
  assert.equal(ours.length, 7 * 2 * 5 + 2, 'seven double convolutions (2 × conv + 4 BN tensors) and the head (weight, bias)');
});

test('on wasm, with PyTorch weights, the U-Net gives PyTorch’s probabilities, loss and every parameter gradient', { skip: skipReference }, async () => {
  await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir });
  const fixture = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as Fixture;
  const model = createUNet(SMALL);
  loadTorchvisionWeights(model, SafetensorsFile.read(join(dir, 'weights.safetensors')));
  const baseline = tf.memory().numTensors;

  const input = npy('input.npy');
  const x = tf.tensor(float32(input), [...input.shape]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor(npyToInt32(npy('target.npy'), 'target.npy'), npy('target.npy').shape as number[], 'int32'), SMALL.classes));
  // Training mode, as in a training step: batch norm uses the batch's statistics on both sides.
  const probs = tf.tidy(() => model.apply(x, { training: true }) as TF.Tensor);
  assert.ok(relativeError(await probs.data(), float32(npy('probs.npy'))) <= 1e-4, 'probabilities');

  const trainable = model.trainableWeights.map((w) => w.read() as TF.Variable);
  const { value, grads } = tf.variableGrads(() => pixelCrossEntropy(y, model.apply(x, { training: true }) as TF.Tensor), trainable);
  const loss = (await value.data())[0]!;
  assert.ok(Math.abs(loss - fixture.loss) <= 1e-5 * Math.abs(fixture.loss), `loss ${loss} vs PyTorch ${fixture.loss}`);

  const reference = SafetensorsFile.read(join(dir, 'grads.safetensors'));
  const compared: string[] = [];
  for (const layer of model.layers) {
    for (const weight of layer.trainableWeights) {
      const role = weight.originalName.split('/').pop()!;
      const { key, value: grad } = tf.tidy(() => inTorchLayout(layer, role, grads[(weight.read() as TF.Variable).name]!));
      const error = relativeError(await grad.data(), reference.float32(key));
      grad.dispose();
      assert.ok(error <= 1e-4, `gradient of ${key}: max |Δ| is ${error.toExponential(2)} of its largest value`);
      compared.push(key);
    }
  }
  assert.deepEqual(compared.sort(), reference.names().sort(), 'every parameter gradient was compared');
  tf.dispose([x, y, probs, value, ...Object.values(grads)]);
  assert.equal(tf.memory().numTensors, baseline, 'the check leaves no tensors behind');
  model.dispose();
});
