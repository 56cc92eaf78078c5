import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { THREADED_GLUE, THREADED_WASM, THREADED_WORKER, threadedWasmFiles, workerScript } from '../../trainer/backend/wasm/threadedFiles';

const wasmDir = join(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');
const wasmOut = join(wasmDir, '../wasm-out');

/** A convolution and a matrix product (the work XNNPACK spreads over threads) on the active backend. */
async function convAndMatMul(): Promise<Float32Array> {
  const x = tf.linspace(-1, 1, 2 * 9 * 9 * 8).reshape([2, 9, 9, 8]) as import('@tensorflow/tfjs').Tensor4D;
  const w = tf.linspace(1, -1, 3 * 3 * 8 * 16).reshape([3, 3, 8, 16]) as import('@tensorflow/tfjs').Tensor4D;
  const y = tf.conv2d(x, w, 2, 'same');
  const z = tf.matMul(y.reshape([-1, 16]), tf.linspace(0, 1, 16 * 5).reshape([16, 5]));
  const out = (await z.data()) as Float32Array;
  tf.dispose([x, w, y, z]);
  return out;
}

async function onCpu(): Promise<Float32Array> {
  await tf.setBackend('cpu');
  return convAndMatMul();
}

test('threads: 2 runs the threaded build on 2 threads (past the half-the-cores cap) and computes what cpu does', async () => {
  const result = await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir, threads: 2 });
  assert.equal(result.threads, 2);
  assert.match(result.ladder.find((r) => r.backend === 'wasm')!.reason, /on 2 threads/);
  const wasm = await convAndMatMul();
  const cpu = await onCpu();
  for (let i = 0; i < cpu.length; i++) assert.ok(Math.abs(wasm[i]! - cpu[i]!) <= 1e-4 * Math.max(1, Math.abs(cpu[i]!)), `element ${i}: ${wasm[i]} vs ${cpu[i]}`);
});

test('threads: 1 is the single-threaded build, and a later run can switch back and forth', async () => {
  const one = await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir, threads: 1 });
  assert.equal(one.threads, 1);
  assert.match(one.ladder.find((r) => r.backend === 'wasm')!.reason, /on 1 thread\b/);
  const single = await convAndMatMul();
  const two = await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir, threads: 2 });
  assert.equal(two.threads, 2);
  assert.deepEqual(await convAndMatMul(), single);
});

test('more threads than the build has workers are capped, and the reason says so', async () => {
  const result = await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir, threads: 12 });
  assert.equal(result.threads, 8);
  assert.match(result.ladder.find((r) => r.backend === 'wasm')!.reason, /on 8 threads \(12 asked for; the wasm build has at most 8\)/);
});

test('a threaded build that cannot start falls back to the single-threaded one, with the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-broken-'));
  for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) copyFileSync(join(wasmDir, name), join(dir, name));
  copyFileSync(join(wasmOut, THREADED_GLUE), join(dir, THREADED_GLUE));
  writeFileSync(join(dir, THREADED_WASM), readFileSync(join(wasmDir, THREADED_WASM)).subarray(0, 1000));
  writeFileSync(join(dir, THREADED_WORKER), workerScript(loadWorkerContents()));
  const result = await selectBackend({ choice: 'wasm', searchPaths: [], wasmDir: dir, threads: 2 });
  assert.equal(result.backend, 'wasm');
  assert.equal(result.threads, 1);
  assert.match(result.ladder.find((r) => r.backend === 'wasm')!.reason, /on 1 thread: .*; the threaded build could not start \(.+\), so this is the single-threaded one/);
  assert.ok((await convAndMatMul()).every(Number.isFinite));
});

function loadWorkerContents(): string {
  return (createRequire(__filename)(join(wasmOut, THREADED_WORKER)) as { wasmWorkerContents: string }).wasmWorkerContents;
}

test('the threaded files: copied ones beside the binaries (dist/wasm) first, else the package with its worker written out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-copied-'));
  for (const name of [THREADED_GLUE, THREADED_WASM, THREADED_WORKER]) writeFileSync(join(dir, name), '');
  assert.deepEqual(threadedWasmFiles(dir), { glue: join(dir, THREADED_GLUE), wasm: join(dir, THREADED_WASM), worker: join(dir, THREADED_WORKER) });

  const fromPackage = threadedWasmFiles(wasmDir);
  assert.equal(fromPackage.glue, join(wasmOut, THREADED_GLUE));
  assert.ok(existsSync(fromPackage.worker));
  const script = readFileSync(fromPackage.worker, 'utf8');
  assert.equal(script, workerScript(loadWorkerContents()));
  // The export came out of a template literal: unescaped, its "\n" string literals would be syntax errors.
  assert.doesNotThrow(() => new Function(script));
  assert.throws(() => new Function(loadWorkerContents()), SyntaxError);
});
