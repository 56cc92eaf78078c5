import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { selectBackend } from '../../trainer/backend/ladder';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../trainer/backend/tf';
import { SeededRandom } from '../../trainer/core/random';

const wasmDir = join(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');

let seed = 1;
const init = (): ReturnType<typeof tf.initializers.heNormal> => tf.initializers.heNormal({ seed: seed++ });

function conv(x: TF.SymbolicTensor, filters: number, kernelSize: number, strides = 1, padding: 'same' | 'valid' = 'same'): TF.SymbolicTensor {
  return tf.layers.conv2d({ filters, kernelSize, strides, padding, useBias: false, kernelInitializer: init() }).apply(x) as TF.SymbolicTensor;
}
const apply = (layer: TF.layers.Layer, x: TF.SymbolicTensor | TF.SymbolicTensor[]): TF.SymbolicTensor => layer.apply(x) as TF.SymbolicTensor;

/** A ResNet-18 stem and one downsampling basic block, with torchvision's explicit padding as ZeroPadding2D. */
function tinyResNet(): TF.LayersModel {
  const input = tf.input({ shape: [28, 28, 3] });
  let x = conv(apply(tf.layers.zeroPadding2d({ padding: 3 }), input), 8, 7, 2, 'valid');
  x = apply(tf.layers.reLU(), apply(tf.layers.batchNormalization(), x));
  x = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }), apply(tf.layers.zeroPadding2d({ padding: 1 }), x));
  let y = conv(apply(tf.layers.zeroPadding2d({ padding: 1 }), x), 16, 3, 2, 'valid');
  y = apply(tf.layers.reLU(), apply(tf.layers.batchNormalization(), y));
  y = apply(tf.layers.batchNormalization(), conv(y, 16, 3));
  const shortcut = apply(tf.layers.batchNormalization(), conv(x, 16, 1, 2, 'valid'));
  x = apply(tf.layers.reLU(), apply(tf.layers.add(), [y, shortcut]));
  x = apply(tf.layers.globalAveragePooling2d({}), x);
  const output = apply(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init() }), x);
  return tf.model({ inputs: input, outputs: output });
}

/** Two levels of a U-Net: 3×3 same convolutions, 2×2 max-pool, nearest and bilinear upsampling, skip concatenation. */
function tinyUNet(): TF.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  const block = (x: TF.SymbolicTensor, filters: number): TF.SymbolicTensor => apply(tf.layers.reLU(), conv(x, filters, 3));
  const e1 = block(input, 4);
  const e2 = block(apply(tf.layers.maxPooling2d({ poolSize: 2 }), e1), 8);
  const bottom = block(apply(tf.layers.maxPooling2d({ poolSize: 2 }), e2), 8);
  const d2 = block(apply(tf.layers.concatenate(), [apply(tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }), bottom), e2]), 8);
  const d1 = block(apply(tf.layers.concatenate(), [apply(tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest' }), d2), e1]), 4);
  const logits = conv(d1, 2, 1);
  return tf.model({ inputs: input, outputs: apply(tf.layers.softmax({ axis: -1 }), logits) });
}

function randomBatch(xShape: number[], labels: number[], dataSeed: number): { xs: TF.Tensor; ys: TF.Tensor } {
  const rng = new SeededRandom(dataSeed);
  const xs = tf.tensor(Float32Array.from({ length: xShape.reduce((a, b) => a * b) }, () => rng.next() * 2 - 1), xShape);
  const classes = labels[labels.length - 1]!;
  const count = labels.slice(0, -1).reduce((a, b) => a * b, 1);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: count }, () => rng.nextInt(classes)), 'int32'), classes).reshape(labels);
  return { xs, ys };
}

async function trainSteps(model: TF.LayersModel, xs: TF.Tensor, ys: TF.Tensor, steps: number): Promise<{ losses: number[]; tensors: number[] }> {
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  const tensors: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as TF.Tensor), true)!;
    losses.push((await loss.data())[0]!);
    loss.dispose();
    tensors.push(tf.memory().numTensors);
  }
  optimizer.dispose();
  return { losses, tensors };
}

before(async () => {
  await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir });
});

for (const [name, build, xShape, labels] of [
  ['a ResNet-style stem and downsampling block', tinyResNet, [8, 28, 28, 3], [8, 3]],
  ['a two-level U-Net with nearest and bilinear upsampling', tinyUNet, [2, 16, 16, 3], [2, 16, 16, 2]],
] as const) {
  test(`${name} trains on wasm: the loss falls and no tensor leaks per step`, async () => {
    assert.equal(tf.getBackend(), 'wasm');
    const model = build();
    const { xs, ys } = randomBatch([...xShape], [...labels], 7);
    const { losses, tensors } = await trainSteps(model, xs, ys, 8);
    assert.ok(losses.every(Number.isFinite), `losses ${losses}`);
    assert.ok(losses[losses.length - 1]! < 0.95 * losses[0]!, `the loss did not fall: ${losses.map((l) => l.toFixed(4)).join(' → ')}`);
    // The first step creates the optimizer's moment slots; from then on each step must leave the count unchanged.
    assert.deepEqual(tensors.slice(1), tensors.slice(1).map(() => tensors[1]), `tensors after each step: ${tensors}`);
    tf.dispose([xs, ys]);
    model.dispose();
  });
}
