import type { backend_util, Conv2DBackpropFilterAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { filterGradientByColumns } from './conv2dBackpropFilterColumns';
import { usefulTaps } from './conv2dBackpropInputColumns';
import { cropAndPad, withWasmKernels } from './wasmKernelScope';

export type FilterGradientRoute = 'convolution' | 'columns';

/**
 * The columns route where some taps only ever meet padding (a 3×3 'same' filter on ResNet-18's 1×1 images:
 * measured 8 vs 77 ms per layer on a busy machine, since the convolution route runs a 1×1 "filter" over
 * mostly zeros); elsewhere the two were within noise of each other and the convolution route needs no patch
 * matrix, which on the U-Net's 128 × 128 images would be 9 × the activation.
 */
export function filterGradientRoute(info: backend_util.Conv2DInfo): FilterGradientRoute {
  const rows = usefulTaps(info.inHeight, info.outHeight, info.strideHeight, info.filterHeight, info.padInfo.top);
  const cols = usefulTaps(info.inWidth, info.outWidth, info.strideWidth, info.filterWidth, info.padInfo.left);
  return rows.count < info.filterHeight || cols.count < info.filterWidth ? 'columns' : 'convolution';
}

/** The kernel with its route fixed (tests check each route on every shape) or chosen per layer. */
export function conv2dBackpropFilterKernel(route?: FilterGradientRoute): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const x = inputs['x']!;
    const dy = inputs['dy']!;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only, as does wasm Conv2D');
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    return (route ?? filterGradientRoute(info)) === 'columns'
      ? filterGradientByColumns(backend as KernelBackend, x, dy, info)
      : filterGradientByConvolution(backend as KernelBackend, x, dy, info);
  };
}

/**
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+kh−pad, ow·s+kw−pad, ci] · dy[n,oh,ow,co].
 *
 * Read with the batch axis as the channel axis, that sum is itself a convolution: x transposed to
 * [ci, H, W, n] (ci plays the batch) convolved with dy transposed to [OH, OW, n, co] (a filter as large as the
 * output image) at dilation = the forward stride and stride 1. Its output [ci, KH, KW, co] is dW with two axes
 * swapped. One XNNPACK convolution instead of im2col + matmul: no patch matrix is ever materialised.
 */
function filterGradientByConvolution(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  return withWasmKernels(backend, (k): TensorInfo => {
    // The rows and columns of x the forward pass read, padding included: exactly what the convolution needs so
    // that its output is KH × KW (trailing rows a strided 'valid' convolution never reached are cut off).
    const { cropped, pads } = cropAndPad(k, x, [
      null,
      { begin: -padInfo.top, end: (outHeight - 1) * strideHeight + filterHeight - padInfo.top },
      { begin: -padInfo.left, end: (outWidth - 1) * strideWidth + filterWidth - padInfo.left },
      null,
    ]);
    const xT = k.run('Transpose', { x: cropped }, { perm: [3, 1, 2, 0] });
    const dyT = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const dwT = k.run(
      'Conv2D',
      { x: xT, filter: dyT },
      { strides: 1, pad: [[0, 0], pads[1]!, pads[2]!, [0, 0]], dilations: [strideHeight, strideWidth], dataFormat: 'NHWC' },
    );
    return k.run('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] });
  });
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterKernel(),
};
