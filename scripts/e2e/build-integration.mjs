// Bundles test/integration/ for VS Code's extension host: index.js (the module VS Code loads as
// `extensionTestsPath`) and one bundle per `*.test.ts`, which index.js hands to mocha. `vscode` is the host's
// own module; mocha stays external because it finds its reporters and interfaces by `require` at run time,
// and resolves from the repository's node_modules. Prints the folder it wrote.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = join(root, 'test', 'integration');
const outdir = join(root, 'out', 'integration');

rmSync(outdir, { recursive: true, force: true });
const entries = readdirSync(source).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
await esbuild.build({
  entryPoints: entries.map((f) => join(source, f)),
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Inline, so a failure's stack points at the test's own TypeScript lines wherever the bundle is read.
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(outdir);
