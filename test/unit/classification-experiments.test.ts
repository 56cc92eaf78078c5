import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { SeededRandom } from '../../trainer/core/random';
import type { MedmnistDataset, MedmnistSplitData } from '../../trainer/data/medmnist/load';
import { SafetensorsFile } from '../../trainer/models/safetensors';
import { imageBatch } from '../../trainer/submodules/classification/batches';
import { EXPERIMENTS, HEAD, buildExperimentModel, type ExperimentSpec } from '../../trainer/submodules/classification/experiments';
import { trainExperiment } from '../../trainer/submodules/classification/train';

const root = join(__dirname, '..', '..');
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const GREY = { channels: 1, classes: 2, size: 28 };
let weights: SafetensorsFile;

before(async () => {
  await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir });
  // A seeded torchvision ResNet-18 (RGB, BatchNorm statistics randomised), standing in for ImageNet's weights.
  const out = mkdtempSync(join(tmpdir(), 'cls-fixture-'));
  const made = spawnSync('/usr/bin/python3', [join(root, 'scripts/reference/resnet18_fixture.py'), '--out', out, '--sizes', '28', '--batch', '1'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  weights = SafetensorsFile.read(join(out, 'weights.safetensors'));
});

function spec(name: ExperimentSpec['name']): ExperimentSpec {
  return EXPERIMENTS.find((e) => e.name === name)!;
}

/** A BreastMNIST-shaped dataset of random pixels: big enough for three training batches of 128. */
function greyDataset(train: number): MedmnistDataset {
  const rng = new SeededRandom(3);
  const make = (count: number): MedmnistSplitData => ({
    images: Uint8Array.from({ length: count * 28 * 28 }, () => rng.nextInt(256)),
    labels: Int32Array.from({ length: count }, (_, i) => i % 2),
    count,
    height: 28,
    width: 28,
    channels: 1,
    labelColumns: 1,
  });
  return { name: 'grey fixture', task: 'binary-class', labelNames: ['a', 'b'], splits: { train: make(train), val: make(12), test: make(12) } };
}

function snapshot(model: TF.LayersModel): Map<string, Uint8Array> {
  // Bytes, not numbers: "unchanged" must mean bit-identical, NaN payloads and signed zeros included.
  return new Map(model.weights.map((w) => [w.originalName, new Uint8Array((w.read().dataSync() as Float32Array).slice().buffer)]));
}

function torchConv1Grey(): Float32Array {
  // The file's [64, 3, 7, 7] kernel with its colour filters summed, in tfjs's [7, 7, 1, 64] order.
  return tf.tidy(() => tf.transpose(tf.sum(tf.tensor(weights.float32('conv1.weight'), [64, 3, 7, 7]), 1, true), [2, 3, 1, 0]).dataSync() as Float32Array);
}

test('experiment A starts from freshly initialised weights, not the weights file (the notebook\'s defect)', () => {
  const network = buildExperimentModel(spec('A'), GREY, 5, weights);
  const { model } = network;
  try {
    const kernel = model.getLayer('conv1').getWeights()[0]!.dataSync() as Float32Array;
    const fromFile = torchConv1Grey();
    assert.ok(kernel.some((v, i) => v !== fromFile[i]), 'conv1 holds the file\'s values');
    // torchvision's init: He normal on fan_out = 64·7·7, std √(2/3136) ≈ 0.0253, drawn by tfjs truncated at 2 std.
    const n = kernel.length;
    const mean = kernel.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(kernel.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    const limit = 2 * Math.sqrt(2 / 3136);
    assert.ok(Math.abs(mean) < 0.002, `mean ${mean}`);
    assert.ok(sd > 0.02 && sd < 0.0245, `sd ${sd} is not the truncated He-normal's ≈ 0.0222`);
    assert.ok(kernel.every((v) => Math.abs(v) <= limit + 1e-6), 'values beyond the truncation');
    const fileSd = Math.sqrt(fromFile.reduce((a, b) => a + b * b, 0) / fromFile.length);
    assert.ok(Math.abs(fileSd - sd) > 0.005, `the file's conv1 (sd ${fileSd}) has the same spread; the check would not tell them apart`);
    // BatchNorm starts at its defaults, not the file's statistics.
    const [gamma, beta, movingMean, movingVariance] = model.getLayer('bn1').getWeights().map((w) => Array.from(w.dataSync()));
    assert.ok(gamma!.every((v) => v === 1) && beta!.every((v) => v === 0) && movingMean!.every((v) => v === 0) && movingVariance!.every((v) => v === 1));
  } finally {
    network.dispose();
  }
});

test('experiments B and C start from the weights file, grey conv1 summed from the RGB filters', () => {
  for (const name of ['B', 'C'] as const) {
    const network = buildExperimentModel(spec(name), GREY, 5, weights);
    const { model } = network;
    try {
      assert.deepEqual(model.getLayer('conv1').getWeights()[0]!.dataSync(), torchConv1Grey());
      assert.deepEqual(Array.from(model.getLayer('bn1').getWeights()[2]!.dataSync()), Array.from(weights.float32('bn1.running_mean')));
      assert.deepEqual(model.trainableWeights.map((w) => w.originalName.split('/')[0]).every((layer) => layer === HEAD), name === 'B');
      assert.deepEqual(model.outputs[0]!.shape, [null, 2], 'the ImageNet head was not replaced by a 2-way one');
      assert.equal(network.spec.batchNorm, name === 'B' ? 'inference' : 'training');
    } finally {
      network.dispose();
    }
  }
});

test('training B changes the head and leaves every backbone weight and BatchNorm statistic bit-identical', async () => {
  const data = greyDataset(260);
  const network = buildExperimentModel(spec('B'), GREY, 5, weights);
  const { model } = network;
  try {
    const before = snapshot(model);
    const rows = Array.from({ length: data.splits.train.count }, (_, i) => i);
    await trainExperiment({ model, spec: network.spec, data, classes: 2, trainRows: rows, epochs: 1, seed: 9 }, { isCancelled: () => false });
    const after = snapshot(model);
    const backbone = [...before.keys()].filter((name) => !name.startsWith(`${HEAD}/`));
    assert.ok(backbone.some((name) => name.includes('moving_mean')) && backbone.some((name) => name.includes('moving_variance')));
    assert.equal(backbone.length, before.size - 2);
    for (const name of backbone) assert.deepEqual(after.get(name), before.get(name), `${name} changed while frozen`);
    for (const name of [`${HEAD}/kernel`, `${HEAD}/bias`]) assert.notDeepEqual(after.get(name), before.get(name), `${name} did not learn`);
  } finally {
    network.dispose();
  }
});

test('training A keeps the tensor count flat from batch to batch, and moves BatchNorm statistics (so the B check can fail)', async () => {
  const data = greyDataset(260); // batches of 128, 128 and 4
  const network = buildExperimentModel(spec('A'), GREY, 5, undefined);
  const { model } = network;
  try {
    const start = tf.memory().numTensors;
    const movingMean = (): number[] => Array.from(model.getLayer('layer1.0.bn1').getWeights()[2]!.dataSync());
    const meanBefore = movingMean();
    const counts: number[] = [];
    const rows = Array.from({ length: data.splits.train.count }, (_, i) => i);
    await trainExperiment(
      { model, spec: spec('A'), data, classes: 2, trainRows: rows, epochs: 1, seed: 9 },
      { isCancelled: () => false, onBatch: () => counts.push(tf.memory().numTensors) },
    );
    assert.equal(counts.length, 3);
    // The first batch creates the optimiser's momentum slots; after that, nothing may accumulate.
    assert.equal(counts[2], counts[1], `tensors after each batch: ${counts}`);
    // tfjs's MomentumOptimizer.dispose() frees its momentum scalar and slots but not the learning-rate scalar it
    // inherits from SGDOptimizer: one scalar per experiment, never per batch.
    assert.equal(tf.memory().numTensors, start + 1, 'tensors left behind by training and validation');
    assert.notDeepEqual(movingMean(), meanBefore);
  } finally {
    network.dispose();
  }
});

test('a batch is scaled to [0, 1] and normalised with mean 0.5 and std 0.5', () => {
  const split: MedmnistSplitData = { images: Uint8Array.from([0, 51, 255, 128]), labels: Int32Array.from([0]), count: 1, height: 2, width: 2, channels: 1, labelColumns: 1 };
  const values = tf.tidy(() => Array.from(imageBatch(split, [0]).dataSync()));
  const expected = [0, 51, 255, 128].map((v) => Math.fround((Math.fround(Math.fround(v / 255) - 0.5)) / 0.5));
  assert.deepEqual(values, expected);
  assert.deepEqual([values[0], values[2]], [-1, 1]);
});
