import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { SeededRandom } from '../../trainer/core/random';
import { trainingBatchNorm } from '../../trainer/models/trainingBatchNorm';
import { relativeError } from './numeric-compare';

const wasmDir = join(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');

function uniform(shape: number[], seed: number, offset = 0): TF.Tensor {
  const rng = new SeededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => offset + rng.next() * 2 - 1), shape);
}

/** Output, input and parameter gradients, and the moving statistics after one training call. */
function run(layer: TF.layers.Layer, x: TF.Tensor, dy: TF.Tensor): Record<string, Float32Array> {
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as TF.Variable);
  const f = (input: TF.Tensor): TF.Scalar => tf.sum(tf.mul(layer.apply(input, { training: true }) as TF.Tensor, dy));
  const { value, grads } = tf.variableGrads(() => f(x), [gamma!, beta!]);
  const dx = tf.grad(f)(x);
  const y = layer.apply(x, { training: true }) as TF.Tensor;
  const [, , movingMean, movingVariance] = layer.getWeights();
  const out = {
    y: y.dataSync() as Float32Array,
    dx: dx.dataSync() as Float32Array,
    dGamma: grads[gamma!.name]!.dataSync() as Float32Array,
    dBeta: grads[beta!.name]!.dataSync() as Float32Array,
    movingMean: movingMean!.dataSync() as Float32Array,
    movingVariance: movingVariance!.dataSync() as Float32Array,
  };
  tf.dispose([value, dx, y, ...Object.values(grads)]);
  return out;
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`on ${backend}, the closed-form batch-norm gradient equals autodiff through tfjs-layers' BatchNormalization`, async () => {
    await selectBackend({ choice: backend, searchPaths: [], wasmDir });
    for (const [i, shape] of [[6, 5, 5, 8], [16, 1, 1, 32], [2, 7, 3, 4]].entries()) {
      const channels = shape[3]!;
      // An offset mean and uneven scale, so centring and the variance term both matter.
      const x = tf.mul(uniform(shape, 10 + i, 0.7), uniform([channels], 20 + i, 2));
      const dy = uniform(shape, 30 + i);
      const weights = [uniform([channels], 40 + i, 1), uniform([channels], 50 + i), uniform([channels], 60 + i), uniform([channels], 70 + i, 2)];
      const args = { epsilon: 1e-5, momentum: 0.9 };
      const ours = trainingBatchNorm({ ...args, name: `ours${i}${backend}` });
      const theirs = tf.layers.batchNormalization({ ...args, axis: -1, name: `theirs${i}${backend}` });
      for (const layer of [ours, theirs]) {
        // An inference call builds the layer (its weights exist from then on) and changes nothing.
        tf.dispose(layer.apply(x) as TF.Tensor);
        layer.setWeights(weights);
      }
      const before = tf.memory().numTensors;
      const a = run(ours, x, dy);
      const leaked = tf.memory().numTensors - before;
      const b = run(theirs, x, dy);
      for (const key of Object.keys(b)) {
        const error = relativeError(a[key]!, b[key]!);
        assert.ok(error <= 2e-5, `${shape.join('×')} ${key}: rel. error ${error}`);
      }
      assert.equal(leaked, 0, 'tensors left behind by a training call and its gradients');
      assert.equal(ours.getClassName(), 'BatchNormalization');
      assert.deepEqual(ours.weights.map((w) => w.name), ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((role) => `ours${i}${backend}/${role}`));
      tf.dispose([x, dy, ...weights]);
    }
  });
}
