// Bundles every environment with esbuild: the extension host (CJS, vscode external), the trainer child
// process and the CLI (CJS for Node), and the webviews (IIFE for the browser). Assets the bundles read at run
// time (wasm binaries, the embedded dataset, exercise templates) are copied next to them in dist/.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const watch = process.argv.includes('--watch');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// Exact versions of what the trainer runs with, for the run record beside every result.
// The list is shared with trainer/run/runRecord.ts, which reads it when the trainer runs from source (tsx).
const recorded = JSON.parse(readFileSync(join(root, 'scripts/recorded-packages.json'), 'utf8'));
const packageVersions = Object.fromEntries(
  recorded.map((name) => [name, JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version]),
);

const node = {
  outdir: dist,
  define: { __PACKAGE_VERSIONS__: JSON.stringify(packageVersions) },
  // vega-canvas's Node build awaits an optional native `canvas` at top level, which CJS cannot express; the
  // browser build returns null canvases, and SVG rendering with renderer 'none' never needs one.
  alias: { 'vega-canvas': join(root, 'node_modules/vega-canvas/build/vega-canvas.browser.js') },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // esbuild is a run-time dependency (the trainer bundles learner files); native tfjs is optional and
  // resolved at run time by the backend ladder, never bundled.
  external: ['vscode', 'esbuild', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
};

const builds = [
  { ...node, entryPoints: { extension: 'extension/extension.ts' } },
  { ...node, entryPoints: { trainer: 'trainer/main.ts' } },
  { ...node, entryPoints: { 'regression-worker': 'trainer/submodules/regression/splitWorker.ts' } },
  { ...node, entryPoints: { 'grade-harness': 'trainer/grading/harness/main.ts' } },
  { ...node, entryPoints: { cli: 'trainer/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
];
for (const view of ['results', 'gradebook']) {
  builds.push({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    outdir: dist,
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    entryPoints: { [`webviews/${view}`]: `webviews/${view}/main.ts` },
  });
}

const assets = [
  ['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', 'wasm/tfjs-backend-wasm.wasm'],
  ['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', 'wasm/tfjs-backend-wasm-simd.wasm'],
  ['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm', 'wasm/tfjs-backend-wasm-threaded-simd.wasm'],
  // The threaded build's Emscripten glue: loaded by the trainer, and evaluated again by every pthread worker.
  ['node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js', 'wasm/tfjs-backend-wasm-threaded-simd.js'],
  ['trainer/submodules/regression/data', 'data/regression'],
];
for (const [from, to] of assets) {
  cpSync(join(root, from), join(dist, to), { recursive: true });
}
// The pthread worker ships only as a string export (for a blob: URL, which Node's Worker refuses); written out
// as the script itself, with its template literal's newlines escaped again as in trainer/backend/wasm/threadedFiles.ts.
const { wasmWorkerContents } = createRequire(import.meta.url)(
  join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js'),
);
writeFileSync(join(dist, 'wasm/tfjs-backend-wasm-threaded-simd.worker.js'), wasmWorkerContents.replace(/\n/g, '\\n'));

// TensorFlow.js type declarations, so the tsconfig scaffolded into the learner's workspace resolves
// `@tensorflow/tfjs` for IntelliSense without an npm install there.
for (const pkg of ['tfjs', 'tfjs-core', 'tfjs-layers', 'tfjs-converter', 'tfjs-data', 'tfjs-backend-cpu', 'tfjs-backend-webgl']) {
  const from = join(root, 'node_modules/@tensorflow', pkg);
  const to = join(dist, 'types/node_modules/@tensorflow', pkg);
  cpSync(join(from, 'dist'), join(to, 'dist'), {
    recursive: true,
    filter: (src) => !relative(from, src).includes('node_modules') && (statSync(src).isDirectory() || src.endsWith('.d.ts')),
  });
  const { name, version, types } = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  writeFileSync(join(to, 'package.json'), JSON.stringify({ name, version, types }));
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
