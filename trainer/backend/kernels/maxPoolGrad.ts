import type { KernelConfig, KernelFunc, MaxPoolGradAttrs } from '@tensorflow/tfjs';
import { tf } from '../tf';
import type { WasmHeapBackend } from './wasmKernelScope';

/**
 * The wasm backend's own MaxPoolGrad seeds its running maximum with `numeric_limits<float>::min()` (the
 * smallest positive float, not the lowest), so a window with no positive value sends its gradient to flat
 * index 0 or nowhere, and its `>=` picks the last of tied maxima where TensorFlow and the cpu backend pick the
 * first. This replacement routes each dy to the first maximum of its window, padding excluded.
 *
 * It is a plain loop over the heap rather than a composition of kernels: the work is one pass over the
 * windows (no multiply-adds), and every composed form would need a scatter-add that wasm lacks.
 */
const maxPoolGrad: KernelFunc = ({ inputs, attrs, backend }) => {
  const dy = inputs['dy']!;
  const input = inputs['input']!;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth, dilationHeight, dilationWidth, padInfo } = info;
  const wasm = backend as unknown as WasmHeapBackend;
  const out = wasm.makeOutput(input.shape, 'float32');
  const dx = wasm.typedArrayFromHeap(out);
  dx.fill(0);
  const x = wasm.typedArrayFromHeap(input);
  const dyValues = wasm.typedArrayFromHeap(dy);
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padInfo.top;
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * strideWidth - padInfo.left;
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let fh = 0; fh < effectiveFilterHeight; fh += dilationHeight) {
          const h = top + fh;
          if (h < 0 || h >= inHeight) continue;
          for (let fw = 0; fw < effectiveFilterWidth; fw += dilationWidth) {
            const w = left + fw;
            if (w < 0 || w >= inWidth) continue;
            const base = ((b * inHeight + h) * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[base + c]!;
              if (v > best[c]!) {
                best[c] = v;
                bestAt[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          const at = bestAt[c]!;
          if (at >= 0) dx[at] = dx[at]! + dyValues[dyBase + c]!;
        }
      }
    }
  }
  return out;
};

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
