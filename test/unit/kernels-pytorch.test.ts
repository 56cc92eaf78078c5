import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { selectBackend } from '../../trainer/backend/ladder';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../trainer/backend/tf';

const root = join(__dirname, '..', '..');
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
// Debian's interpreter, where .ci/run installs python3-torch (PLATFORM.md).
const python = '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

interface Stored {
  shape: number[];
  data: number[];
}
interface Reference {
  x: Stored;
  target: Stored;
  params: Record<string, Stored>;
  loss: number;
  grads: Record<string, Stored>;
}

const pad = (n: number): [[number, number], [number, number], [number, number], [number, number]] => [[0, 0], [n, n], [n, n], [0, 0]];

/** The same stack as scripts/reference/kernels_reference.py, in NHWC. */
function loss(x: TF.Tensor4D, p: Record<string, TF.Tensor>, target: TF.Tensor4D): TF.Scalar {
  const h1 = tf.relu(tf.add(tf.conv2d(x, p['conv_a'] as TF.Tensor4D, 2, pad(3)), p['bias_a']!)) as TF.Tensor4D;
  const h2 = tf.maxPool(h1, 3, 2, 1);
  const b = tf.conv2d(h2, p['conv_b'] as TF.Tensor4D, 1, pad(1));
  const { mean, variance } = tf.moments(b, [0, 1, 2]);
  const h3 = tf.relu(tf.batchNorm(b, mean, variance, p['beta_b']!, p['gamma_b']!, 1e-3)) as TF.Tensor4D;
  const h4 = tf.conv2d(h3, p['conv_c'] as TF.Tensor4D, 2, pad(1));
  const shortcut = tf.conv2d(h3, p['conv_ds'] as TF.Tensor4D, 2, 'valid');
  const h5 = tf.relu(tf.add(h4, shortcut)) as TF.Tensor4D;
  const nearest = tf.image.resizeNearestNeighbor(h5, [4, 4]);
  const bilinear = tf.image.resizeBilinear(h5, [4, 4]);
  const out = tf.conv2d(tf.concat([nearest, bilinear, h3], 3), p['conv_d'] as TF.Tensor4D, 1, 'valid');
  return tf.sum(tf.mul(tf.logSoftmax(out), target));
}

test(
  'convolution, pooling, batch-norm and upsampling gradients on wasm match PyTorch (rel. error ≤ 1e-4)',
  { skip: hasTorch ? false : `${python} has no torch: apt-get install python3-torch (CI installs it)` },
  async () => {
    const out = mkdtempSync(join(tmpdir(), 'kernels-reference-'));
    const run = spawnSync(python, [join(root, 'scripts', 'reference', 'kernels_reference.py'), out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const ref = JSON.parse(readFileSync(join(out, 'kernels_reference.json'), 'utf8')) as Reference;

    await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir });
    const make = (s: Stored): TF.Tensor => tf.tensor(s.data, s.shape);
    const x = make(ref.x) as TF.Tensor4D;
    const target = make(ref.target) as TF.Tensor4D;
    const names = Object.keys(ref.params);
    const params = names.map((n) => make(ref.params[n]!));
    const { value, grads } = tf.valueAndGrads((xIn: TF.Tensor, ...ps: TF.Tensor[]) =>
      loss(xIn as TF.Tensor4D, Object.fromEntries(names.map((n, i) => [n, ps[i]!])), target),
    )([x, ...params]);

    assert.ok(Math.abs(value.dataSync()[0]! - ref.loss) <= 1e-4 * Math.abs(ref.loss), `loss ${value.dataSync()[0]} vs PyTorch ${ref.loss}`);
    for (const [i, name] of ['x', ...names].entries()) {
      const expected = ref.grads[name]!;
      assert.deepEqual(grads[i]!.shape, expected.shape, name);
      const actual = grads[i]!.dataSync();
      let diff = 0;
      let scale = 0;
      expected.data.forEach((e, j) => {
        diff = Math.max(diff, Math.abs(actual[j]! - e));
        scale = Math.max(scale, Math.abs(e));
      });
      assert.ok(diff / scale <= 1e-4, `gradient of ${name}: rel. error ${diff / scale}`);
    }
    tf.dispose([x, target, value, ...params, ...grads]);
  },
);
