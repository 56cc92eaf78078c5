import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo, TileAttrs } from '@tensorflow/tfjs';
import { type WasmHeapBackend, withWasmKernels } from './wasmKernelScope';

/**
 * wasm's Tile is a scalar loop that recomputes a multi-index per element, and batch-norm gradients tile a
 * [1, 1, 1, C] tensor over the whole activation every step. Two exact shortcuts, else the shipped kernel:
 * - only leading axes tiled (the batch-norm case): the output is the input repeated end to end, written by
 *   doubling copies on the heap;
 * - every tiled axis of length 1: a broadcast, i.e. a multiply by ones of the output's shape (x · 1 = x for
 *   every float, NaN and −0 included) on XNNPACK's broadcasting multiply.
 */
export function tileConfig(shipped: KernelFunc): KernelConfig {
  return {
    kernelName: 'Tile',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs['x']!;
      const { reps } = args.attrs as unknown as TileAttrs;
      const outShape = x.shape.map((size, axis) => size * reps[axis]!);
      const tiled = reps.map((r) => r > 1);
      const lastTiled = tiled.lastIndexOf(true);
      if (x.dtype !== 'float32' || lastTiled < 0) return shipped(args);
      if (x.shape.slice(0, lastTiled + 1).every((size) => size === 1)) {
        return repeatWhole(args.backend as unknown as WasmHeapBackend, x, outShape);
      }
      if (!x.shape.every((size, axis) => size === 1 || !tiled[axis])) return shipped(args);
      return withWasmKernels(args.backend as KernelBackend, (k): TensorInfo => k.run('Multiply', { a: x, b: k.filled(outShape, 1) }));
    },
  };
}

function repeatWhole(heap: WasmHeapBackend, x: TensorInfo, outShape: number[]): TensorInfo {
  const out = heap.makeOutput(outShape, 'float32');
  const dst = heap.typedArrayFromHeap(out);
  const src = heap.typedArrayFromHeap(x);
  dst.set(src);
  for (let filled = src.length; filled < dst.length; filled *= 2) dst.copyWithin(filled, 0, Math.min(filled, dst.length - filled));
  return out;
}
