import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import type { backend_util } from '@tensorflow/tfjs';
import { type WasmHeapBackend, withWasmKernels } from './wasmKernelScope';

/**
 * dx as a matrix product and a scatter ("col2im"): columns[m, (kh, kw, ci)] = Σ_co dy[m, co] · W[kh, kw, ci, co]
 * for every output pixel m, one XNNPACK product on the thread pool; then each column block is added into dx at
 * the pixel its tap reads in the forward pass.
 *
 * Against the phase-split convolution (conv2dBackpropInput.ts) it multiplies only what the forward pass
 * multiplied: no zero-padding ring around a small dy and no zero taps of a strided sub-filter, and taps that
 * only ever meet padding (a 3×3 'same' filter on a 1×1 image uses its centre alone) are dropped before the
 * product. What it pays instead is a single-threaded scatter over out-pixels × taps × ci, so it wins on the
 * small images and strided layers of ResNet-18's later stages and loses on large stride-1 images (U-Net).
 */
export interface TapRange {
  first: number;
  count: number;
}

/** Filter taps along one axis that land on a pixel of the image for at least one output position. */
export function usefulTaps(inSize: number, outSize: number, stride: number, filterSize: number, padBefore: number): TapRange {
  const first = Math.max(0, padBefore - (outSize - 1) * stride);
  const last = Math.min(filterSize - 1, inSize - 1 + padBefore);
  return { first, count: Math.max(0, last - first + 1) };
}

export function inputGradientByColumns(backend: KernelBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  const rows = usefulTaps(inHeight, outHeight, strideHeight, filterHeight, padInfo.top);
  const cols = usefulTaps(inWidth, outWidth, strideWidth, filterWidth, padInfo.left);
  const heap = backend as unknown as WasmHeapBackend;
  return withWasmKernels(backend, (k): TensorInfo => {
    // Padding wider than the filter's reach: no tap ever meets the image, so nothing flows back.
    if (rows.count === 0 || cols.count === 0) return k.filled([batchSize, inHeight, inWidth, inChannels], 0);
    const width = rows.count * cols.count * inChannels;
    // wasm's BatchMatMul with transposeB is a scalar loop (~15× slower), so the weights are laid out [co, taps] here.
    const weights = k.allocate([1, outChannels, width]);
    transposeTaps(heap.typedArrayFromHeap(filter), heap.typedArrayFromHeap(weights), filter.shape as number[], rows, cols);
    const pixels = batchSize * outHeight * outWidth;
    const dyMatrix = k.run('Reshape', { x: dy }, { shape: [1, pixels, outChannels] });
    const columns = k.run('BatchMatMul', { a: dyMatrix, b: weights }, { transposeA: false, transposeB: false });
    const out = heap.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
    const dx = heap.typedArrayFromHeap(out);
    const src = heap.typedArrayFromHeap(columns);
    dx.fill(0);
    // Without overlap (stride ≥ the useful window) every tap writes its own pixel once: a copy, not a sum.
    const overlapping = rows.count > strideHeight || cols.count > strideWidth;
    let from = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          for (let th = 0; th < rows.count; th++) {
            const h = oh * strideHeight + rows.first + th - padInfo.top;
            for (let tw = 0; tw < cols.count; tw++, from += inChannels) {
              const w = ow * strideWidth + cols.first + tw - padInfo.left;
              if (h < 0 || h >= inHeight || w < 0 || w >= inWidth) continue;
              const to = ((b * inHeight + h) * inWidth + w) * inChannels;
              if (overlapping) {
                for (let c = 0; c < inChannels; c++) dx[to + c] += src[from + c]!;
              } else {
                dx.set(src.subarray(from, from + inChannels), to);
              }
            }
          }
        }
      }
    }
    return out;
  });
}

/** W[first_h + th, first_w + tw, c, o] → T[o, (th, tw, c)], in 32 × 32 tiles so reads and writes both stay in cache. */
function transposeTaps(w: Float32Array, t: Float32Array, shape: number[], rows: TapRange, cols: TapRange): void {
  const [, kW, ci, co] = shape as [number, number, number, number];
  const width = rows.count * cols.count * ci;
  const TILE = 32;
  for (let th = 0; th < rows.count; th++) {
    for (let tw = 0; tw < cols.count; tw++) {
      const srcBase = ((rows.first + th) * kW + cols.first + tw) * ci * co;
      const dstBase = (th * cols.count + tw) * ci;
      for (let c0 = 0; c0 < ci; c0 += TILE) {
        const c1 = Math.min(c0 + TILE, ci);
        for (let o0 = 0; o0 < co; o0 += TILE) {
          const o1 = Math.min(o0 + TILE, co);
          for (let c = c0; c < c1; c++) {
            const from = srcBase + c * co;
            for (let o = o0; o < o1; o++) t[o * width + dstBase + c] = w[from + o]!;
          }
        }
      }
    }
  }
}
