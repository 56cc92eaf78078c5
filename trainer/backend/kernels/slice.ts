import type { KernelBackend, KernelConfig, KernelFunc, SliceAttrs, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { withWasmKernels } from './wasmKernelScope';

/**
 * wasm's Slice copies a non-contiguous float32 window element by element in JavaScript; every ZeroPadding2D's
 * gradient is such a slice (the interior of a padded activation). The scope's slice copies the same window
 * in contiguous runs (a whole row of pixels at a time). Other dtypes go to the shipped kernel.
 */
export function sliceConfig(shipped: KernelFunc): KernelConfig {
  return {
    kernelName: 'Slice',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs['x']!;
      if (x.dtype !== 'float32') return shipped(args);
      const { begin, size } = args.attrs as unknown as SliceAttrs;
      const [begin_, size_] = tf.slice_util.parseSliceParams(x as unknown as Parameters<typeof tf.slice_util.parseSliceParams>[0], begin, size);
      if (tf.slice_util.isSliceContinous(x.shape, begin_, size_)) return shipped(args);
      return withWasmKernels(args.backend as KernelBackend, (k): TensorInfo => k.slice(x, begin_, size_));
    },
  };
}
