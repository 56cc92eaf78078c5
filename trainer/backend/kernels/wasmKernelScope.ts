import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';

/**
 * The two BackendWasm methods a kernel needs to write its output straight into the wasm heap. Take views only
 * after the last makeOutput: allocating may grow the heap and detach earlier views.
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * Runs registered wasm kernels directly on the backend, the way tfjs-backend-wasm composes its own kernels,
 * rather than through `tf.*` ops: a kernel must return a bare TensorInfo, and intermediates made through the
 * engine would be tracked as tensors (and recorded on a gradient tape) that nothing downstream knows about.
 */
export class WasmKernelScope {
  private readonly made: TensorInfo[] = [];

  constructor(private readonly backend: KernelBackend) {}

  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`wasm kernel '${kernelName}' is not registered; the wasm backend must be initialised first`);
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /** An uninitialised float32 tensor of `shape`, for a kernel that writes every element itself. */
  allocate(shape: number[]): TensorInfo {
    const out = (this.backend as unknown as WasmHeapBackend).makeOutput(shape, 'float32');
    this.made.push(out);
    return out;
  }

  /** A float32 tensor of `shape` holding `value` everywhere, written straight into the heap. */
  filled(shape: number[], value: number): TensorInfo {
    const heap = this.backend as unknown as WasmHeapBackend;
    const out = heap.makeOutput(shape, 'float32');
    heap.typedArrayFromHeap(out).fill(value);
    this.made.push(out);
    return out;
  }

  /**
   * x[begin : begin + size] of a float32 tensor, copied on the heap in contiguous runs. wasm's Slice walks
   * element by element with a multi-index: on a convolution's input it took tens of milliseconds for what is
   * a few thousand memcpy-sized copies.
   */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    const heap = this.backend as unknown as WasmHeapBackend;
    const out = heap.makeOutput(size, 'float32');
    this.made.push(out);
    const dst = heap.typedArrayFromHeap(out);
    const src = heap.typedArrayFromHeap(x);
    const strides = x.shape.map((_, axis) => x.shape.slice(axis + 1).reduce((a, b) => a * b, 1));
    // The run: trailing axes taken whole, times the extent of the first axis (from the end) that is not.
    let axis = x.shape.length - 1;
    let run = 1;
    while (axis >= 0 && begin[axis] === 0 && size[axis] === x.shape[axis]) run *= x.shape[axis--]!;
    if (axis >= 0) run *= size[axis]!;
    const outer = size.slice(0, Math.max(axis, 0));
    const index = outer.map(() => 0);
    const last = Math.max(axis, 0);
    for (let o = 0; o < dst.length; o += run) {
      let from = axis >= 0 ? begin[axis]! * strides[axis]! : 0;
      for (let a = 0; a < outer.length; a++) from += (begin[a]! + index[a]!) * strides[a]!;
      dst.set(src.subarray(from, from + run), o);
      for (let a = last - 1; a >= 0; a--) {
        if (++index[a]! < outer[a]!) break;
        index[a] = 0;
      }
    }
    return out;
  }

  /** Frees every intermediate except `result`; a reshape shares its input's data, so each holds its own reference. */
  release(keep?: TensorInfo): void {
    for (const t of this.made) if (t !== keep) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/** Runs `body` with a scope whose intermediates are freed whether it returns or throws. */
export function withWasmKernels(backend: KernelBackend, body: (k: WasmKernelScope) => TensorInfo): TensorInfo {
  const scope = new WasmKernelScope(backend);
  let result: TensorInfo | undefined;
  try {
    result = body(scope);
    return result;
  } finally {
    scope.release(result);
  }
}

/**
 * The window [begin, end) of an axis of length `size`, where either end may lie outside it: the part outside
 * becomes zero padding, the part inside a slice. Convolution gradients need exactly such windows.
 */
export interface AxisWindow {
  begin: number;
  end: number;
}

export function cropAndPad(
  k: WasmKernelScope,
  x: TensorInfo,
  windows: readonly (AxisWindow | null)[],
): { cropped: TensorInfo; pads: [number, number][] } {
  const begin = x.shape.map((_, axis) => Math.max(windows[axis]?.begin ?? 0, 0));
  const size = x.shape.map((len, axis) => Math.min(windows[axis]?.end ?? len, len) - begin[axis]!);
  const pads = x.shape.map((len, axis): [number, number] => {
    const w = windows[axis];
    return w ? [Math.max(-w.begin, 0), Math.max(w.end - len, 0)] : [0, 0];
  });
  const needsSlice = size.some((s, axis) => s !== x.shape[axis]);
  return { cropped: needsSlice ? (x.dtype === 'float32' ? k.slice(x, begin, size) : k.run('Slice', { x }, { begin, size })) : x, pads };
}
