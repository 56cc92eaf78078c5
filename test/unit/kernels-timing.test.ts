import { join } from 'node:path';
import { test } from 'node:test';
import type { KernelConfig, NamedAttrMap } from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { conv2dBackpropInputConfig } from '../../trainer/backend/kernels/conv2dBackpropInput';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../trainer/backend/tf';
import { createResNet18 } from '../../trainer/models/resnet18';

// Prints timings, asserts nothing: KERNELS_BENCH=1 node --test --import tsx test/unit/kernels-timing.test.ts
const wasmDir = join(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');
const skip = process.env['KERNELS_BENCH'] === '1' ? false : 'timings only: set KERNELS_BENCH=1';

/** wasm's own Conv2DBackpropInput (a scalar C++ loop), loaded from the package for comparison. */
async function shippedConv2dBackpropInput(): Promise<KernelConfig> {
  const mod = (await import(join(wasmDir, 'kernels/Conv2DBackpropInput.js'))) as { conv2DBackpropInputConfig: KernelConfig };
  mod.conv2DBackpropInputConfig.setupFunc!(tf.engine().backend);
  return mod.conv2DBackpropInputConfig;
}

function useInputKernel(config: KernelConfig): void {
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

async function msPerCall(f: () => TF.Tensor, repeats: number): Promise<number> {
  tf.dispose(tf.tidy(f));
  const start = performance.now();
  for (let i = 0; i < repeats; i++) {
    const out = tf.tidy(f);
    await out.data();
    tf.dispose(out);
  }
  return (performance.now() - start) / repeats;
}

const LAYERS: [string, number[], number[], number, number][] = [
  ['conv1 7×7/2', [32, 28, 28, 3], [7, 7, 3, 64], 2, 3],
  ['layer1 3×3 64', [32, 7, 7, 64], [3, 3, 64, 64], 1, 1],
  ['layer2.0 3×3/2 64→128', [32, 7, 7, 64], [3, 3, 64, 128], 2, 1],
  ['layer2.0 ds 1×1/2', [32, 7, 7, 64], [1, 1, 64, 128], 2, 0],
  ['layer2 3×3 128', [32, 4, 4, 128], [3, 3, 128, 128], 1, 1],
  ['layer3.0 3×3/2 128→256', [32, 4, 4, 128], [3, 3, 128, 256], 2, 1],
  ['layer3 3×3 256', [32, 2, 2, 256], [3, 3, 256, 256], 1, 1],
  ['layer4.0 3×3/2 256→512', [32, 2, 2, 256], [3, 3, 256, 512], 2, 1],
  ['layer4 3×3 512', [32, 1, 1, 512], [3, 3, 512, 512], 1, 1],
];

test('timings: ResNet-18 training step at 28×28×3, batch 32, and the gradient kernels per layer', { skip }, async () => {
  await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir });
  const shipped = await shippedConv2dBackpropInput();
  const xs = tf.randomNormal([32, 28, 28, 3]);
  const ys = tf.oneHot(tf.randomUniform([32], 0, 9, 'int32'), 9);
  const model = createResNet18({ channels: 3, classes: 9, height: 28, width: 28 });
  const optimizer = tf.train.adam(1e-3);
  const step = (): TF.Tensor => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as TF.Tensor), true)!;

  console.log(`ResNet-18 step, our kernels: ${(await msPerCall(step, 3)).toFixed(0)} ms`);
  const profile = await tf.profile(() => tf.dispose(step()));
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  console.log(`per-kernel profile of one step (kernel time ${total.toFixed(0)} ms):`);
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${name.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms`);
  useInputKernel(shipped);
  console.log(`ResNet-18 step, wasm's own Conv2DBackpropInput: ${(await msPerCall(step, 2)).toFixed(0)} ms`);
  useInputKernel(conv2dBackpropInputConfig);

  console.log('per layer (batch 32): filter grad | input grad ours | input grad wasm-own');
  for (const [name, xShape, fShape, stride, p] of LAYERS) {
    const pad = [[0, 0], [p, p], [p, p], [0, 0]];
    const x = tf.randomNormal(xShape);
    const filter = tf.randomNormal(fShape);
    const dy = tf.randomNormal(tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], fShape as [number, number, number, number], stride, 1, pad as unknown as 'same').outShape);
    const attrs = { strides: stride, pad, dataFormat: 'NHWC' };
    const dw = await msPerCall(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: fShape } as unknown as NamedAttrMap) as TF.Tensor, 5);
    const inputGrad = (): TF.Tensor => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: xShape } as unknown as NamedAttrMap) as TF.Tensor;
    const dxOurs = await msPerCall(inputGrad, 5);
    useInputKernel(shipped);
    const dxOwn = await msPerCall(inputGrad, 5);
    useInputKernel(conv2dBackpropInputConfig);
    console.log(`  ${name.padEnd(24)} ${dw.toFixed(1).padStart(7)} ms | ${dxOurs.toFixed(1).padStart(7)} ms | ${dxOwn.toFixed(1).padStart(7)} ms`);
    tf.dispose([x, filter, dy]);
  }
  tf.dispose([xs, ys]);
  model.dispose();
});
