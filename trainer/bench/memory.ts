import { tf } from '../backend/tf';

/**
 * The process's resident-set high-water mark. The kernel never lowers it, so in a run of several cases it
 * includes the cases before; `--case` with one case gives an isolated figure.
 */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Shape of the emscripten module the wasm backend keeps; tfjs does not export a type for it. */
interface WasmBackendLike {
  wasm?: { HEAPU8?: Uint8Array; tfjs?: { getThreadsCount?: () => number } };
}

/** The wasm linear memory's size, or null on another backend. It only grows, so it is the peak too. */
export function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  return (tf.backend() as unknown as WasmBackendLike).wasm?.HEAPU8?.buffer.byteLength ?? null;
}

/**
 * Threads the active backend computes with, so PyTorch can be given as many. Read from the wasm module
 * itself rather than the package's `getThreadsCount()`, which only knows about a backend its own `init()` built.
 */
export function backendThreads(availableCores: number): number {
  switch (tf.getBackend()) {
    case 'wasm':
      return (tf.backend() as unknown as WasmBackendLike).wasm?.tfjs?.getThreadsCount?.() ?? 1;
    case 'tensorflow':
      return availableCores;
    default:
      return 1;
  }
}
