import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The three files the threaded-SIMD build is made of; every path is a real file, as Node's Worker needs. */
export interface ThreadedWasmFiles {
  /** Emscripten's JavaScript glue: the module factory in this thread, and evaluated again by every worker. */
  glue: string;
  wasm: string;
  /** The pthread worker's script. */
  worker: string;
}

export const THREADED_GLUE = 'tfjs-backend-wasm-threaded-simd.js';
export const THREADED_WASM = 'tfjs-backend-wasm-threaded-simd.wasm';
export const THREADED_WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';

/**
 * The package ships its worker only as a string export (meant for a `blob:` URL, which Node's Worker refuses),
 * and that string came out of a template literal, so its "\n" escapes are real newlines inside string
 * literals: they are escaped again, as the package's own init() does before making its blob.
 */
export function workerScript(wasmWorkerContents: string): string {
  return wasmWorkerContents.replace(/\n/g, '\\n');
}

/**
 * Finds the threaded build: next to the other binaries in `wasmDir` when the build copied it there (dist/wasm,
 * the extension and the CLI), otherwise in the installed package (running from source). A worker script
 * that is only available as the package's string export is written once to the temp folder, named by its
 * content so that concurrent processes agree on it.
 */
export function threadedWasmFiles(wasmDir: string): ThreadedWasmFiles {
  const copied = { glue: join(wasmDir, THREADED_GLUE), wasm: join(wasmDir, THREADED_WASM), worker: join(wasmDir, THREADED_WORKER) };
  if (existsSync(copied.glue) && existsSync(copied.wasm) && existsSync(copied.worker)) return copied;
  const wasmOut = join(dirname(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const glue = join(wasmOut, THREADED_GLUE);
  const wasm = existsSync(copied.wasm) ? copied.wasm : join(wasmOut, THREADED_WASM);
  for (const file of [glue, wasm]) if (!existsSync(file)) throw new Error(`${file} is missing`);
  const { wasmWorkerContents } = createRequire(__filename)(join(wasmOut, THREADED_WORKER)) as { wasmWorkerContents: string };
  return { glue, wasm, worker: materialise(workerScript(wasmWorkerContents)) };
}

function materialise(script: string): string {
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const file = join(tmpdir(), `biomed-lab-wasm-worker-${hash}.js`);
  if (existsSync(file) && readFileSync(file, 'utf8') === script) return file;
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, script);
  renameSync(partial, file);
  return file;
}
