import type { Conv2DBackpropFilterAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { cropAndPad, withWasmKernels } from './wasmKernelScope';

/**
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+kh−pad, ow·s+kw−pad, ci] · dy[n,oh,ow,co].
 *
 * Read with the batch axis as the channel axis, that sum is itself a convolution: x transposed to
 * [ci, H, W, n] (ci plays the batch) convolved with dy transposed to [OH, OW, n, co] (a filter as large as the
 * output image) at dilation = the forward stride and stride 1. Its output [ci, KH, KW, co] is dW with two axes
 * swapped. One XNNPACK convolution instead of im2col + matmul: no patch matrix is ever materialised.
 */
const conv2dBackpropFilter: KernelFunc = ({ inputs, attrs, backend }) => {
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
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  return withWasmKernels(backend as KernelBackend, (k): TensorInfo => {
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
  kernelFunc: conv2dBackpropFilter,
};
