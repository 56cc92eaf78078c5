import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KernelBackend } from '@tensorflow/tfjs';
import { type BackendWasm, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../kernels';
import { bundledNamespace, useNamespace } from '../tf';
import { threadedWasmFiles } from './threadedFiles';
import { createThreadedWasmBackend, MAX_WASM_THREADS } from './threadedModule';

export type WasmStart = { ok: true; version: string; reason: string; threads: number } | { ok: false; reason: string };

const WASM_PRIORITY = 2;

/** The package's own factory (the single-threaded SIMD build), kept so a later run can go back to it. */
let shippedFactory: (() => KernelBackend | Promise<KernelBackend>) | undefined;
/** Threads of the build registered as 'wasm' now; the package registers its single-threaded one on import. */
let registeredThreads = 1;

/**
 * Starts the wasm backend with `threads` compute threads. More than one means the threaded-SIMD build, whose
 * XNNPACK pool runs convolutions and matrix products in parallel; if that build cannot start, the
 * single-threaded one does, and the reason says why.
 */
export async function startWasm(wasmDir: string, threads: number): Promise<WasmStart> {
  const tf = bundledNamespace();
  useNamespace(tf);
  if (!existsSync(join(wasmDir, 'tfjs-backend-wasm.wasm'))) {
    return { ok: false, reason: `the wasm binaries are missing from ${wasmDir}` };
  }
  shippedFactory ??= tf.findBackendFactory('wasm') ?? undefined;
  const wanted = Math.min(threads, MAX_WASM_THREADS);
  const capped = wanted < threads ? ` (${threads} asked for; the wasm build has at most ${MAX_WASM_THREADS})` : '';
  let fallback = '';
  if (wanted > 1) {
    try {
      const files = threadedWasmFiles(wasmDir);
      setThreadsCount(wanted);
      await useBuild(wanted, () => createThreadedWasmBackend(files, wanted));
      return started(`WebAssembly with SIMD on ${activeThreads()} threads${capped}: portable, no native install needed`);
    } catch (err) {
      fallback = `; the threaded build could not start (${firstLine(err)}), so this is the single-threaded one`;
    }
  }
  const shipped = shippedFactory;
  if (!shipped) return { ok: false, reason: 'the wasm backend is not registered' };
  try {
    setWasmPaths(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`);
    setThreadsCount(1);
    await useBuild(1, async () => shipped());
    return started(`WebAssembly with SIMD on 1 thread: portable, no native install needed${fallback}`);
  } catch (err) {
    return { ok: false, reason: `the wasm backend failed to initialise: ${firstLine(err)}` };
  }
}

/**
 * Makes the build `make` creates the 'wasm' backend, unless a build with that thread count already is. The
 * engine keeps one backend per name, so another thread count replaces it (its heap is freed and its workers
 * terminated). The backend is created before it is registered so that a failure comes back here with its
 * reason instead of as the engine's console warning.
 */
async function useBuild(threads: number, make: () => Promise<KernelBackend>): Promise<void> {
  const tf = bundledNamespace();
  if (registeredThreads !== threads || !tf.findBackend('wasm')) {
    if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
    registeredThreads = 0;
    const backend = await make();
    tf.registerBackend('wasm', () => backend, WASM_PRIORITY);
    registeredThreads = threads;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('setBackend("wasm") returned false');
  await tf.ready();
  registerWasmTrainingKernels();
}

function started(reason: string): WasmStart {
  return { ok: true, version: bundledNamespace().version_core, reason, threads: activeThreads() };
}

/** What XNNPACK's pool really has, read back from the running module. */
function activeThreads(): number {
  const backend = bundledNamespace().backend() as BackendWasm;
  return Math.max(1, backend.wasm.tfjs.getThreadsCount());
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
