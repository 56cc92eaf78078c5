import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { selectBackend } from '../../trainer/backend/ladder';
import { activeNamespace } from '../../trainer/backend/tf';

const wasmDir = join(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');

test('with no GPU and no native module, auto falls to wasm and says why each rung was skipped', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'ladder-'));
  const result = await selectBackend({ choice: 'auto', searchPaths: [empty], wasmDir, nvidiaProcFile: join(empty, 'no-driver') });
  assert.equal(result.backend, 'wasm');
  const byName = Object.fromEntries(result.ladder.map((r) => [r.backend, r]));
  assert.equal(byName['gpu']!.status, 'skipped');
  assert.match(byName['gpu']!.reason, /no NVIDIA GPU driver found/);
  assert.equal(byName['node']!.status, 'skipped');
  assert.match(byName['node']!.reason, /@tensorflow\/tfjs-node is not installed/);
  assert.match(byName['node']!.reason, /"Install Faster Backend \(tfjs-node\)…" in VS Code or `biomed-lab install-backend --cpu`/);
  assert.equal(byName['cpu']!.status, 'not-tried');
  assert.equal(activeNamespace().getBackend(), 'wasm');
});

test('missing wasm binaries fall through to cpu with the reason', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'ladder-'));
  const result = await selectBackend({ choice: 'auto', searchPaths: [empty], wasmDir: empty, nvidiaProcFile: join(empty, 'x') });
  assert.equal(result.backend, 'cpu');
  assert.match(result.ladder.find((r) => r.backend === 'wasm')!.reason, /wasm binaries are missing/);
});

test('an explicit backend that cannot start is an error listing the reason', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'ladder-'));
  await assert.rejects(selectBackend({ choice: 'node', searchPaths: [empty], wasmDir }), /No TensorFlow.js backend could be started \(node: .*not installed/);
});

test('a native module on the resolve path is selected (STAND-IN: a fake tfjs-node, since libtensorflow cannot be installed here)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'native-'));
  const pkg = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '0.0.0-stand-in', main: 'index.js' }));
  // The stand-in registers a backend under the native backend's name, the way tfjs-node does on require.
  writeFileSync(
    join(pkg, 'index.js'),
    `const tf = require(${JSON.stringify(require.resolve('@tensorflow/tfjs'))});
     const { MathBackendCPU } = require(${JSON.stringify(require.resolve('@tensorflow/tfjs-backend-cpu'))});
     tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
     module.exports = { ...tf, version: { ...tf.version, 'tfjs-node': '0.0.0-stand-in' } };`,
  );
  const result = await selectBackend({ choice: 'auto', searchPaths: [root], wasmDir, nvidiaProcFile: join(root, 'none') });
  assert.equal(result.backend, 'node');
  assert.equal(result.version, '0.0.0-stand-in');
  assert.match(result.ladder.find((r) => r.backend === 'node')!.reason, new RegExp(`loaded from ${root}`));
  assert.equal(activeNamespace().getBackend(), 'tensorflow');
});

test('a native module that throws on load is skipped with its error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'native-'));
  const pkg = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file');");
  const result = await selectBackend({ choice: 'auto', searchPaths: [root], wasmDir, nvidiaProcFile: join(root, 'none') });
  assert.equal(result.backend, 'wasm');
  assert.match(result.ladder.find((r) => r.backend === 'node')!.reason, /failed to load: libtensorflow\.so\.2/);
});

test('with an NVIDIA driver and a GPU build on the resolve path, auto selects gpu (FAKE /proc driver file, STAND-IN tfjs-node-gpu)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'native-gpu-'));
  const pkg = join(root, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node-gpu', version: '0.0.0-stand-in', main: 'index.js' }));
  writeFileSync(
    join(pkg, 'index.js'),
    `const tf = require(${JSON.stringify(require.resolve('@tensorflow/tfjs'))});
     const { MathBackendCPU } = require(${JSON.stringify(require.resolve('@tensorflow/tfjs-backend-cpu'))});
     tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
     module.exports = { ...tf, version: { ...tf.version, 'tfjs-node-gpu': '0.0.0-stand-in' } };`,
  );
  const driver = join(root, 'nvidia-version');
  writeFileSync(driver, 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\n');
  const result = await selectBackend({ choice: 'auto', searchPaths: [root], wasmDir, nvidiaProcFile: driver });
  assert.equal(result.backend, 'gpu');
  assert.equal(result.version, '0.0.0-stand-in');
  assert.match(result.ladder.find((r) => r.backend === 'gpu')!.reason, new RegExp(`tfjs-node-gpu loaded from ${root}`));
  assert.equal(result.ladder.find((r) => r.backend === 'node')!.status, 'not-tried');
});
