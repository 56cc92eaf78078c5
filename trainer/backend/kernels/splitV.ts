import type { KernelBackend, KernelConfig, KernelFunc, SplitVAttrs, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { WasmKernelScope } from './wasmKernelScope';

/**
 * wasm's SplitV slices each piece with its own Slice function, called directly (so the faster registered Slice
 * never sees it): a split of the channel axis is copied element by element in JavaScript. Every Concatenate's
 * gradient is such a split — the U-Net's decoder joins took 426 ms of a step. Each float32 piece is copied in
 * contiguous runs here instead; other dtypes go to the shipped kernel.
 */
export function splitVConfig(shipped: KernelFunc): KernelConfig {
  return {
    kernelName: 'SplitV',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs['x']!;
      if (x.dtype !== 'float32') return shipped(args);
      const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
      const along = tf.util.parseAxisParam(axis, x.shape)[0]!;
      const sizes = tf.backend_util.prepareSplitSize(x as unknown as Parameters<typeof tf.backend_util.prepareSplitSize>[0], numOrSizeSplits, along);
      // Every slice is an output, so none is released.
      const k = new WasmKernelScope(args.backend as KernelBackend);
      const begin = x.shape.map(() => 0);
      return sizes.map((size): TensorInfo => {
        const piece = k.slice(x, [...begin], x.shape.map((len, a) => (a === along ? size : len)));
        begin[along]! += size;
        return piece;
      });
    },
  };
}
