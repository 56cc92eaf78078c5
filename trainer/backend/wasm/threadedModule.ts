import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ThreadedWasmFiles } from './threadedFiles';

type WasmModule = ConstructorParameters<typeof BackendWasm>[0];

interface PThreads {
  runningWorkers: { unref(): void }[];
  terminateAllThreads(): void;
}

interface EmscriptenThreadedModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: PThreads;
}

/** The WebAssembly API the trainer's ES2022 lib does not declare (it lives in the DOM lib). */
interface WebAssemblyApi {
  instantiate(binary: Uint8Array, imports: object): Promise<{ instance: object; module: object }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

type Instantiate = (imports: Record<string, Record<string, unknown>>, receive: (instance: object, module: object) => void) => object;

interface FactoryConfig {
  /** Emscripten builds the module on this very object, so its workers can be reached even if the build fails. */
  PThread?: PThreads;
  mainScriptUrlOrBlob: string;
  locateFile(path: string, prefix: string): string;
  instantiateWasm: Instantiate;
  onAbort(what: unknown): void;
}

type Factory = (config: FactoryConfig) => Promise<EmscriptenThreadedModule>;

/** Emscripten pre-creates this many workers, and the C++ side never uses more (tfjs-backend-wasm's cc/BUILD). */
export const MAX_WASM_THREADS = 8;

/**
 * Builds tfjs-backend-wasm's threaded-SIMD module the way the package's init() does, with two differences
 * that make it work under Node: the glue and the worker are real files (the package hands Node's Worker a
 * `blob:` URL, which it refuses), and the core count the C++ reads is `threads` × 2 — it sizes its pool at
 * half the logical cores, assuming hyper-threading, which would leave a 2-core machine with one thread.
 */
export async function createThreadedWasmBackend(files: ThreadedWasmFiles, threads: number): Promise<BackendWasm> {
  const factory = createRequire(files.glue)(files.glue) as Factory;
  const binary = readFileSync(files.wasm);
  let config: FactoryConfig | undefined;
  // Emscripten reports some failures only through onAbort or the instantiate callback, never by rejecting.
  const module = await new Promise<EmscriptenThreadedModule>((resolve, reject) => {
    config = {
      // Each worker evaluates this file to get the factory, then instantiates the same compiled module.
      mainScriptUrlOrBlob: files.glue,
      locateFile: (path, prefix) => (path.endsWith('.worker.js') ? files.worker : path.endsWith('.wasm') ? files.wasm : prefix + path),
      instantiateWasm: (imports, receive) => {
        imports['env']!['emscripten_num_logical_cores'] = () => threads * 2;
        webAssembly.instantiate(binary, imports).then(({ instance, module: compiled }) => receive(instance, compiled), reject);
        return {};
      },
      onAbort: (what) => reject(new Error(`the threaded wasm module aborted: ${String(what)}`)),
    };
    factory(config).then(resolve, reject);
  }).catch((err: unknown) => {
    // Its workers were started before the binary failed to load; left running they would keep Node alive.
    config?.PThread?.terminateAllThreads();
    throw err;
  });
  const tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  const backend = new BackendWasm(Object.assign(module, { tfjs }) as unknown as WasmModule);
  // The pool's threads now wait between kernels for as long as the backend lives, and Emscripten keeps a
  // running thread's worker referenced: Node would never exit. Disposing the backend terminates them.
  for (const worker of module.PThread.runningWorkers) worker.unref();
  return backend;
}
