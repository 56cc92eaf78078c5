// The same ResNet-18 step with the package's Tile/Sum/Mean/BatchMatMul vs trainer/backend/kernels' faster routes,
// swapped back and forth in one process. Reports CPU time per step (WALL=1: wall time), which contention from
// other processes distorts far less than wall time on a single thread.
//   THREADS=1 ROUNDS=2 PROFILE=1 node --import tsx scripts/wasm-step/routes.ts
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type * as TF from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { createResNet18 } from '../../trainer/models/resnet18';

const NAMES = (process.env.NAMES ?? 'Tile,Sum,Mean,BatchMatMul').split(',');
const shipped = new Map(NAMES.map((n) => [n, tf.getKernel(n, 'wasm')!]));
const use = (configs: Map<string, TF.KernelConfig>) => {
  for (const c of configs.values()) { tf.unregisterKernel(c.kernelName, 'wasm'); tf.registerKernel(c); }
};
(async () => {
  const sel = await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir: join(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist'), threads: Number(process.env.THREADS ?? 1) });
  console.log(sel.ladder.find((r) => r.status === 'selected')?.reason);
  const ours = new Map(NAMES.map((n) => [n, tf.getKernel(n, 'wasm')!]));
  const batch = 128;
  const xs = tf.randomNormal([batch, 28, 28, 3]);
  const ys = tf.oneHot(tf.randomUniform([batch], 0, 9, 'int32'), 9);
  const model = createResNet18({ channels: 3, classes: 9, height: 28, width: 28 });
  const optimizer = tf.train.momentum(0.01, 0.9);
  const step = (): TF.Scalar => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as TF.Tensor), true)!;
  const timeSteps = async (n: number) => { const t: number[] = []; for (let i = 0; i < n; i++) { const c0 = process.cpuUsage(); const t0 = performance.now(); const l = step(); await l.data(); l.dispose(); const c = process.cpuUsage(c0); t.push(process.env.WALL ? performance.now() - t0 : (c.user + c.system) / 1000); } return t; };
  await timeSteps(2);
  const res: Record<string, number[]> = { shipped: [], ours: [] };
  for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
    for (const [name, configs] of [['shipped', shipped], ['ours', ours]] as const) {
      use(configs);
      await timeSteps(1);
      res[name]!.push(...(await timeSteps(2)));
    }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!.toFixed(0);
  console.log(`${process.env.WALL ? 'wall' : 'cpu'} median ms/step shipped ${med(res.shipped!)} [${res.shipped!.map((t) => t.toFixed(0))}]  ours ${med(res.ours!)} [${res.ours!.map((t) => t.toFixed(0))}]  load ${loadavg().map((l) => l.toFixed(1))}`);
  if (process.env.PROFILE) {
    for (const [name, configs] of [['shipped', shipped], ['ours', ours]] as const) {
      use(configs);
      const profile = await tf.profile(() => tf.dispose(step()));
      const by = new Map<string, [number, number]>();
      for (const k of profile.kernels) { if (k.name.endsWith('__op')) continue; const e = by.get(k.name) ?? [0, 0]; by.set(k.name, [e[0] + (k.kernelTimeMs as number), e[1] + 1]); }
      const total = [...by.values()].reduce((a, b) => a + b[0], 0);
      console.log(`${name}: per-kernel profile, kernel time ${total.toFixed(0)} ms`);
      for (const [k, [ms, n]] of [...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 16)) console.log(`  ${k.padEnd(22)} ${ms.toFixed(1).padStart(8)} ms ×${n}`);
    }
  }
  process.exit(0);
})();
