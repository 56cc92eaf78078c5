import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { KernelFunc, NamedAttrMap } from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { conv2dBackpropFilterKernel, filterGradientRoute } from '../../trainer/backend/kernels/conv2dBackpropFilter';
import { conv2dBackpropInputKernel, inputGradientRoute } from '../../trainer/backend/kernels/conv2dBackpropInput';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../trainer/backend/tf';
import { SeededRandom } from '../../trainer/core/random';
import { relativeError } from './numeric-compare';

const wasmDir = join(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');
const TOLERANCE = 1e-4;

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

function uniform(shape: readonly number[], seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
}

/** Runs the same computation on wasm and on the pure-JS cpu backend (the reference), checking wasm frees all it made. */
async function onBothBackends(compute: () => TF.Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array }> {
  await tf.setBackend('wasm');
  const buffersBefore = tf.engine().backend.numDataIds();
  const wasmOut = tf.tidy(compute);
  const wasm = (await wasmOut.data()) as Float32Array;
  wasmOut.dispose();
  assert.equal(tf.engine().backend.numDataIds(), buffersBefore, 'the wasm kernels left intermediate buffers behind');
  await tf.setBackend('cpu');
  const cpuOut = tf.tidy(compute);
  const cpu = (await cpuOut.data()) as Float32Array;
  cpuOut.dispose();
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

interface ConvCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  stride: number;
  pad: Pad;
}

const p = (n: number): Pad => [[0, 0], [n, n], [n, n], [0, 0]];

// Small grid: every stride/padding mode, odd and even sizes, non-square filters, windows the stride does not tile.
const GRID: ConvCase[] = [];
for (const [h, w] of [[9, 9], [8, 10], [11, 7]] as const) {
  for (const stride of [1, 2, 3]) {
    for (const pad of ['same', 'valid', 1, [[0, 0], [1, 2], [0, 1], [0, 0]]] as Pad[]) {
      GRID.push({ name: `grid ${h}×${w} 3×2 s${stride} ${JSON.stringify(pad)}`, x: [2, h, w, 3], filter: [3, 2, 3, 4], stride, pad });
    }
  }
}

// torchvision ResNet-18 on 28×28×3 at batch 2, as explicit padding, as 'valid' after ZeroPadding2D, and as 'same'.
const RESNET18: ConvCase[] = [
  { name: 'conv1 7×7/2 pad 3', x: [2, 28, 28, 3], filter: [7, 7, 3, 64], stride: 2, pad: p(3) },
  { name: 'conv1 7×7/2 valid after zero padding', x: [2, 34, 34, 3], filter: [7, 7, 3, 64], stride: 2, pad: 'valid' },
  { name: 'conv1 7×7/2 same', x: [2, 28, 28, 3], filter: [7, 7, 3, 64], stride: 2, pad: 'same' },
  { name: 'layer1 3×3 64→64', x: [2, 7, 7, 64], filter: [3, 3, 64, 64], stride: 1, pad: p(1) },
  { name: 'layer2.0 3×3/2 64→128', x: [2, 7, 7, 64], filter: [3, 3, 64, 128], stride: 2, pad: p(1) },
  { name: 'layer2.0 3×3/2 valid after zero padding', x: [2, 9, 9, 64], filter: [3, 3, 64, 128], stride: 2, pad: 'valid' },
  { name: 'layer2.0 downsample 1×1/2', x: [2, 7, 7, 64], filter: [1, 1, 64, 128], stride: 2, pad: 'valid' },
  { name: 'layer2 3×3 128→128', x: [2, 4, 4, 128], filter: [3, 3, 128, 128], stride: 1, pad: p(1) },
  { name: 'layer3.0 3×3/2 128→256', x: [2, 4, 4, 128], filter: [3, 3, 128, 256], stride: 2, pad: p(1) },
  { name: 'layer3.0 downsample 1×1/2', x: [2, 4, 4, 128], filter: [1, 1, 128, 256], stride: 2, pad: 'valid' },
  { name: 'layer3 3×3 256→256', x: [2, 2, 2, 256], filter: [3, 3, 256, 256], stride: 1, pad: p(1) },
  { name: 'layer4.0 3×3/2 256→512', x: [2, 2, 2, 256], filter: [3, 3, 256, 512], stride: 2, pad: p(1) },
  { name: 'layer4.0 downsample 1×1/2', x: [2, 2, 2, 256], filter: [1, 1, 256, 512], stride: 2, pad: 'valid' },
  { name: 'layer4 3×3 512→512 on 1×1', x: [2, 1, 1, 512], filter: [3, 3, 512, 512], stride: 1, pad: p(1) },
];

// U-Net, base 32, batch 1: 3×3 'same' at every level, decoder convolutions after concatenation, the 1×1 head.
// Channel widths are exact; the image is 32×32 instead of 128×128 (every level a quarter as wide) except for the
// cheap first and last layers, because the pure-JS reference needs ~6 minutes at full size (it passed there too).
const UNET: ConvCase[] = [
  { name: 'enc1 3→32 @128', x: [1, 128, 128, 3], filter: [3, 3, 3, 32], stride: 1, pad: 'same' },
  { name: 'enc1 32→32', x: [1, 32, 32, 32], filter: [3, 3, 32, 32], stride: 1, pad: 'same' },
  { name: 'enc2 32→64', x: [1, 16, 16, 32], filter: [3, 3, 32, 64], stride: 1, pad: 'same' },
  { name: 'enc3 64→128', x: [1, 8, 8, 64], filter: [3, 3, 64, 128], stride: 1, pad: 'same' },
  { name: 'enc4 128→256', x: [1, 4, 4, 128], filter: [3, 3, 128, 256], stride: 1, pad: 'same' },
  { name: 'bottleneck 256→512', x: [1, 2, 2, 256], filter: [3, 3, 256, 512], stride: 1, pad: 'same' },
  { name: 'dec4 512→256 (after concat)', x: [1, 4, 4, 512], filter: [3, 3, 512, 256], stride: 1, pad: 'same' },
  { name: 'dec1 64→32 (after concat)', x: [1, 32, 32, 64], filter: [3, 3, 64, 32], stride: 1, pad: 'same' },
  { name: 'head 1×1 32→2 @128', x: [1, 128, 128, 32], filter: [1, 1, 32, 2], stride: 1, pad: 'valid' },
];

function outShape(c: ConvCase): Shape4 {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad).outShape as Shape4;
}

async function checkConvGradients(c: ConvCase, seed: number): Promise<void> {
  const dyShape = outShape(c);
  const x = uniform(c.x, seed);
  const filter = uniform(c.filter, seed + 1);
  const dy = uniform(dyShape, seed + 2);
  const common = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' };
  const dwKernel = (): TF.Tensor =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, c.x), dy: tf.tensor4d(dy, dyShape) }, {
      ...common,
      filterShape: c.filter,
    } as unknown as NamedAttrMap) as TF.Tensor;
  const dxKernel = (): TF.Tensor =>
    tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(filter, c.filter) }, {
      ...common,
      inputShape: c.x,
    } as unknown as NamedAttrMap) as TF.Tensor;
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
  // Each gradient is also computed by the route its kernel did not choose for this shape, so both routes stay
  // right everywhere and a change of the choosing rule cannot expose an unchecked one.
  const dw = await onBothBackends(dwKernel);
  const dwRoute = filterGradientRoute(info);
  const dwOther = dwRoute === 'columns' ? 'convolution' : 'columns';
  const dwForced = await withKernel('Conv2DBackpropFilter', conv2dBackpropFilterKernel(dwOther), async () => (await onBothBackends(dwKernel)).wasm);
  for (const [route, values] of [[dwRoute, dw.wasm], [dwOther, dwForced]] as const) {
    assert.ok(relativeError(values, dw.cpu) <= TOLERANCE, `${c.name}: filter gradient (${route}) rel. error ${relativeError(values, dw.cpu)}`);
  }
  const dx = await onBothBackends(dxKernel);
  const dxRoute = inputGradientRoute(info);
  const dxOther = dxRoute === 'columns' ? 'phases' : 'columns';
  const dxForced = await withKernel('Conv2DBackpropInput', conv2dBackpropInputKernel(dxOther), async () => (await onBothBackends(dxKernel)).wasm);
  for (const [route, values] of [[dxRoute, dx.wasm], [dxOther, dxForced]] as const) {
    assert.ok(relativeError(values, dx.cpu) <= TOLERANCE, `${c.name}: input gradient (${route}) rel. error ${relativeError(values, dx.cpu)}`);
  }
}

/** Runs `body` with the wasm kernel `name` replaced by `kernelFunc`, restoring the registered one after. */
async function withKernel<T>(name: string, kernelFunc: KernelFunc, body: () => Promise<T>): Promise<T> {
  const registered = tf.getKernel(name, 'wasm')!;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...registered, kernelFunc });
  try {
    return await body();
  } finally {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(registered);
  }
}

before(async () => {
  await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir });
});

describe('convolution gradients on wasm equal the cpu backend (rel. error ≤ 1e-4)', () => {
  test('over a grid of strides 1–3, same/valid/numeric/explicit padding, odd and even sizes', async () => {
    for (const [i, c] of GRID.entries()) await checkConvGradients(c, 100 + 3 * i);
  });
  test('at every ResNet-18 layer shape (28×28×3, batch 2)', async () => {
    for (const [i, c] of RESNET18.entries()) await checkConvGradients(c, 200 + 3 * i);
  });
  test('at the U-Net layer shapes (base 32, batch 1)', async () => {
    for (const [i, c] of UNET.entries()) await checkConvGradients(c, 300 + 3 * i);
  });
});

// Values in {−1, 0, 1}: most windows hold tied maxima, and many hold no positive value.
const ternary = (shape: Shape4, seed: number): Float32Array => uniform(shape, seed).map((v) => Math.round(v));

describe('pooling and upsampling gradients on wasm equal the cpu backend', () => {
  async function checkGradient(
    name: string,
    shape: Shape4,
    forward: (x: TF.Tensor4D) => TF.Tensor4D,
    seed: number,
    values: (shape: Shape4, seed: number) => Float32Array = uniform,
  ): Promise<void> {
    const x = values(shape, seed);
    const outShape4 = forward(tf.zeros(shape) as TF.Tensor4D);
    const dyShape = outShape4.shape;
    outShape4.dispose();
    const dy = uniform(dyShape, seed + 1);
    const g = await onBothBackends(() => tf.grad((input: TF.Tensor) => forward(input as TF.Tensor4D).mul(tf.tensor(dy, dyShape)).sum())(tf.tensor4d(x, shape)));
    assert.ok(relativeError(g.wasm, g.cpu) <= TOLERANCE, `${name}: rel. error ${relativeError(g.wasm, g.cpu)}`);
  }
  test('MaxPoolGrad (replaced): ResNet 3×3/2 pad 1 and U-Net 2×2/2, negative values and tied maxima', async () => {
    await checkGradient('maxPool 3×3/2 pad 1', [2, 14, 14, 64], (x) => tf.maxPool(x, 3, 2, 1), 400);
    await checkGradient('maxPool 3×3/2 same', [2, 14, 14, 64], (x) => tf.maxPool(x, 3, 2, 'same'), 402);
    await checkGradient('maxPool 2×2/2', [1, 128, 128, 32], (x) => tf.maxPool(x, 2, 2, 'valid'), 404);
    await checkGradient('maxPool 3×3/2 pad 1, ties', [2, 14, 14, 16], (x) => tf.maxPool(x, 3, 2, 1), 406, ternary);
    await checkGradient('maxPool 2×2/2, ties', [2, 16, 16, 8], (x) => tf.maxPool(x, 2, 2, 'valid'), 408, ternary);
    await checkGradient('maxPool 3×3/2 all negative', [1, 9, 9, 4], (x) => tf.maxPool(x.abs().neg(), 3, 2, 'valid'), 409);
  });
  test('AvgPoolGrad: 2×2/2 and 3×3/1 same', async () => {
    await checkGradient('avgPool 2×2/2', [2, 8, 8, 16], (x) => tf.avgPool(x, 2, 2, 'valid'), 410);
    await checkGradient('avgPool 3×3/1 same', [2, 7, 7, 16], (x) => tf.avgPool(x, 3, 1, 'same'), 412);
  });
  test('ResizeBilinearGrad and ResizeNearestNeighborGrad: the U-Net 2× upsampling', async () => {
    await checkGradient('bilinear 8→16', [1, 8, 8, 512], (x) => tf.image.resizeBilinear(x, [16, 16]), 420);
    await checkGradient('bilinear 64→128', [1, 64, 64, 64], (x) => tf.image.resizeBilinear(x, [128, 128]), 422);
    await checkGradient('bilinear 8→16 align corners', [1, 8, 8, 32], (x) => tf.image.resizeBilinear(x, [16, 16], true), 424);
    await checkGradient('nearest 8→16', [1, 8, 8, 512], (x) => tf.image.resizeNearestNeighbor(x, [16, 16]), 426);
    await checkGradient('nearest 64→128', [1, 64, 64, 64], (x) => tf.image.resizeNearestNeighbor(x, [128, 128]), 428);
  });
});

describe('faster routes for shipped kernels equal the cpu backend', () => {
  const exact = async (name: string, compute: () => TF.Tensor): Promise<void> => {
    const r = await onBothBackends(compute);
    assert.deepEqual(Float32Array.from(r.wasm), Float32Array.from(r.cpu), `${name}: not bit-identical`);
  };
  const close = async (name: string, compute: () => TF.Tensor): Promise<void> => {
    const r = await onBothBackends(compute);
    assert.ok(relativeError(r.wasm, r.cpu) <= 1e-5, `${name}: rel. error ${relativeError(r.wasm, r.cpu)}`);
  };
  const t = (shape: number[], seed: number): TF.Tensor => tf.tensor(uniform(shape, seed), shape);

  test('Tile: leading axes (batch-norm), broadcast axes between others, a general tile and int32 (shipped), all exact', async () => {
    await exact('[1,1,1,8] over 4×5×6', () => tf.tile(t([1, 1, 1, 8], 500), [4, 5, 6, 1]));
    await exact('[1,1,3] over 7 and 2', () => tf.tile(t([1, 1, 3], 501), [7, 2, 1]));
    await exact('[1,5,1,3] broadcast on axes 0 and 2', () => tf.tile(t([1, 5, 1, 3], 502), [2, 1, 4, 1]));
    await exact('[2,3] repeated 2×2 (shipped)', () => tf.tile(t([2, 3], 503), [2, 2]));
    await exact('int32 (shipped)', () => tf.tile(tf.tensor([[1, 2, 3]], [1, 3], 'int32'), [3, 1]).cast('float32'));
    await exact('NaN, Infinity and -0 pass through', () => tf.tile(tf.tensor([[NaN, Infinity, -0]], [1, 3]).reshape([1, 1, 3]), [2, 2, 1]).isNaN().cast('float32'));
  });

  test('Sum and Mean over leading axes (as one matrix product), keepDims, unsorted and negative axes; others shipped', async () => {
    for (const op of ['sum', 'mean'] as const) {
      const f = (x: TF.Tensor, axis: number | number[], keepDims = false): TF.Tensor => tf[op](x, axis, keepDims);
      await close(`${op} [0,1,2] of [16,7,7,24]`, () => f(t([16, 7, 7, 24], 510), [0, 1, 2]));
      await close(`${op} [0,1,2] keepDims`, () => f(t([4, 5, 6, 7], 511), [0, 1, 2], true));
      await close(`${op} [1,0] of [6,5,3]`, () => f(t([6, 5, 3], 512), [1, 0]));
      await close(`${op} [-4,-3,-2] of [4,5,6,7]`, () => f(t([4, 5, 6, 7], 513), [-4, -3, -2]));
      await close(`${op} 0 of [300,9]`, () => f(t([300, 9], 514), 0));
      await close(`${op} [1,2] of [4,5,6,7] (shipped)`, () => f(t([4, 5, 6, 7], 515), [1, 2]));
      await close(`${op} all of [4,5,6] (shipped)`, () => f(t([4, 5, 6], 516), [0, 1, 2]));
      await close(`${op} int32 (shipped)`, () => f(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0).cast('float32'));
    }
  });

  test('Slice: padded interiors in runs (ZeroPadding2D gradients), size −1, contiguous and int32 (shipped), all exact', async () => {
    await exact('interior of [2,6,7,5]', () => tf.slice(t([2, 6, 7, 5], 530), [0, 1, 2, 0], [2, 4, 3, 5]));
    await exact('channels window of [3,4,6]', () => tf.slice(t([3, 4, 6], 531), [1, 0, 2], [2, -1, 3]));
    await exact('[1,9,9,4] to its last rows (contiguous, shipped)', () => tf.slice(t([1, 9, 9, 4], 532), [0, 3, 0, 0], [1, 6, 9, 4]));
    await exact('int32 (shipped)', () => tf.slice(tf.tensor([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32'), [0, 1], [2, 2]).cast('float32'));
  });

  test('SplitV: channel splits (Concatenate gradients), uneven and −1 sizes, leading axis, int32 (shipped), all exact', async () => {
    // Every piece flattened, in order: a wrong offset or size anywhere changes the result.
    const pieces = (parts: TF.Tensor[]): TF.Tensor => tf.concat(parts.map((p) => p.flatten()));
    await exact('[2,5,6,7] into 3 + 4 channels', () => pieces(tf.split(t([2, 5, 6, 7], 540), [3, 4], 3)));
    await exact('[4,3,8] into 1, the rest, 1 rows', () => pieces(tf.split(t([4, 3, 8], 541), [1, -1, 1], 1)));
    await exact('[6,4] on axis 0', () => pieces(tf.split(t([6, 4], 542), 3, 0)));
    await exact('int32 (shipped)', () => pieces(tf.split(tf.tensor([[1, 2, 3, 4]], [1, 4], 'int32'), 2, 1)).cast('float32'));
  });

  test('BatchMatMul with transposeA (transposed first), with and without transposeB, batched', async () => {
    await close('aᵀ·b [30,12]ᵀ×[30,9]', () => tf.matMul(t([30, 12], 520), t([30, 9], 521), true, false));
    await close('aᵀ·bᵀ [30,12]ᵀ×[9,30]ᵀ', () => tf.matMul(t([30, 12], 522), t([9, 30], 523), true, true));
    await close('batched aᵀ·b [3,8,5]ᵀ×[3,8,4]', () => tf.matMul(t([3, 8, 5], 524), t([3, 8, 4], 525), true, false));
    await close('a·b (shipped)', () => tf.matMul(t([5, 8], 526), t([8, 4], 527)));
  });
});
