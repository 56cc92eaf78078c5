// Wall time per ResNet-18 training step (28×28×3, batch 128, SGD momentum) on wasm, 1 thread vs N threads,
// alternating in one process so both see the same machine load; PROFILE=1 adds tf.profile kernels by name.
//   N=2 ROUNDS=2 PROFILE=1 node --import tsx scripts/wasm-step/threads.ts
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type * as TF from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { createResNet18 } from '../../trainer/models/resnet18';

const wasmDir = join(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');
async function measure(threads: number, steps: number): Promise<number[]> {
  await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir, threads });
  const xs = tf.randomNormal([128, 28, 28, 3]);
  const ys = tf.oneHot(tf.randomUniform([128], 0, 9, 'int32'), 9);
  const model = createResNet18({ channels: 3, classes: 9, height: 28, width: 28 });
  const optimizer = tf.train.momentum(0.01, 0.9);
  const step = (): TF.Scalar => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as TF.Tensor), true)!;
  const t: number[] = [];
  for (let i = 0; i < steps + 1; i++) { const t0 = performance.now(); const l = step(); await l.data(); l.dispose(); if (i > 0) t.push(performance.now() - t0); }
  if (process.env.PROFILE) {
    const profile = await tf.profile(() => tf.dispose(step()));
    const by = new Map<string, [number, number]>();
    for (const k of profile.kernels) { if (k.name.endsWith('__op')) continue; const e = by.get(k.name) ?? [0, 0]; by.set(k.name, [e[0] + (k.kernelTimeMs as number), e[1] + 1]); }
    const total = [...by.values()].reduce((a, b) => a + b[0], 0);
    console.log(`threads ${threads}: per-kernel profile, kernel time ${total.toFixed(0)} ms (load ${loadavg().map((l) => l.toFixed(1))})`);
    for (const [k, [ms, n]] of [...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 14)) console.log(`  ${k.padEnd(22)} ${ms.toFixed(1).padStart(8)} ms ×${n}`);
  }
  tf.dispose([xs, ys]); model.dispose(); optimizer.dispose();
  return t;
}
(async () => {
  const n = Number(process.env.N ?? 2);
  const res: Record<number, number[]> = { 1: [], [n]: [] };
  for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) for (const th of [1, n]) res[th]!.push(...(await measure(th, 2)));
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!.toFixed(0);
  console.log(`wall median ms/step: 1 thread ${med(res[1]!)} [${res[1]!.map((x) => x.toFixed(0))}]  ${n} threads ${med(res[n]!)} [${res[n]!.map((x) => x.toFixed(0))}]  load ${loadavg().map((l) => l.toFixed(1))}`);
  process.exit(0);
})();
