import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { withWasmKernels } from './wasmKernelScope';

/**
 * Sum and Mean over the leading axes of a float32 tensor ([N, H, W] of [N, H, W, C]: batch-norm statistics and
 * their gradients, bias gradients). wasm first transposes the reduced axes innermost — a full copy — then
 * sums in a scalar loop. Seen as a matrix [M, C], the same reduction is one row vector times the matrix
 * (ones, or 1/M for the mean): a single XNNPACK matrix product on the thread pool, no transpose. The
 * summation order differs, so results differ from the cpu backend's by float rounding only.
 */
function leadingReduce(kernelName: 'Sum' | 'Mean', shipped: KernelFunc): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs['x']!;
      const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
      if (x.dtype !== 'float32' || !leading) return shipped(args);
      const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
      const kept = x.shape.slice(axes.length);
      const columns = kept.reduce((a, b) => a * b, 1);
      const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
      return withWasmKernels(args.backend as KernelBackend, (k): TensorInfo => {
        const weights = k.filled([1, 1, rows], kernelName === 'Mean' ? 1 / rows : 1);
        const matrix = k.run('Reshape', { x }, { shape: [1, rows, columns] });
        const row = k.run('BatchMatMul', { a: weights, b: matrix }, { transposeA: false, transposeB: false });
        return k.run('Reshape', { x: row }, { shape: outShape });
      });
    },
  };
}

export const sumConfig = (shipped: KernelFunc): KernelConfig => leadingReduce('Sum', shipped);
export const meanConfig = (shipped: KernelFunc): KernelConfig => leadingReduce('Mean', shipped);
