import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { type TapRange, usefulTaps } from './conv2dBackpropInputColumns';
import { type WasmHeapBackend, withWasmKernels } from './wasmKernelScope';

/**
 * dW as one matrix product over image patches ("im2col"): dWᵀ[co, (kh, kw, ci)] = Σ_m dyᵀ[co, m] · P[m, (kh, kw, ci)],
 * where row m of P holds the pixels output pixel m's window read in the forward pass (zeros for padding).
 *
 * The convolution route (conv2dBackpropFilter.ts) runs XNNPACK with dy as a filter as large as the image; on
 * ResNet-18's 1×1 and 2×2 stages that is a convolution with a few huge taps, which XNNPACK runs poorly, and on a
 * 1×1 image 8 of the 9 taps only ever meet padding. Here the product has the batch as its inner dimension,
 * taps that only meet padding are never gathered (their gradient is zero), and the transposes are of dy and
 * of the result, which for these layers are smaller than the patch matrix.
 */
export function filterGradientByColumns(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  const rows = usefulTaps(inHeight, outHeight, strideHeight, filterHeight, padInfo.top);
  const cols = usefulTaps(inWidth, outWidth, strideWidth, filterWidth, padInfo.left);
  const heap = backend as unknown as WasmHeapBackend;
  return withWasmKernels(backend, (k): TensorInfo => {
    const filterShape = [filterHeight, filterWidth, inChannels, outChannels];
    if (rows.count === 0 || cols.count === 0) return k.filled(filterShape, 0);
    const width = rows.count * cols.count * inChannels;
    const pixels = batchSize * outHeight * outWidth;
    const patches = k.allocate([1, pixels, width]);
    gatherPatches(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(patches), info, rows, cols);
    const dyT = k.allocate([1, outChannels, pixels]);
    transpose2d(heap.typedArrayFromHeap(dy), heap.typedArrayFromHeap(dyT), pixels, outChannels);
    const dwT = k.run('BatchMatMul', { a: dyT, b: patches }, { transposeA: false, transposeB: false });
    if (rows.count === filterHeight && cols.count === filterWidth) {
      const out = k.allocate(filterShape);
      transpose2d(heap.typedArrayFromHeap(dwT), heap.typedArrayFromHeap(out), outChannels, width);
      return out;
    }
    // Only some taps were gathered: transpose them into a scratch block, then place each tap; the rest are zero.
    const block = k.allocate([width, outChannels]);
    const out = k.allocate(filterShape);
    transpose2d(heap.typedArrayFromHeap(dwT), heap.typedArrayFromHeap(block), outChannels, width);
    const placed = heap.typedArrayFromHeap(block);
    const dw = heap.typedArrayFromHeap(out);
    dw.fill(0);
    const tapSize = inChannels * outChannels;
    for (let th = 0; th < rows.count; th++) {
      for (let tw = 0; tw < cols.count; tw++) {
        const from = (th * cols.count + tw) * tapSize;
        dw.set(placed.subarray(from, from + tapSize), ((rows.first + th) * filterWidth + cols.first + tw) * tapSize);
      }
    }
    return out;
  });
}

/** Row m of P: the useful taps of output pixel m's window, ci values each, zeros where the window meets padding. */
function gatherPatches(src: Float32Array, p: Float32Array, info: backend_util.Conv2DInfo, rows: TapRange, cols: TapRange): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, padInfo } = info;
  let to = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let th = 0; th < rows.count; th++) {
          const h = oh * strideHeight + rows.first + th - padInfo.top;
          for (let tw = 0; tw < cols.count; tw++, to += inChannels) {
            const w = ow * strideWidth + cols.first + tw - padInfo.left;
            if (h < 0 || h >= inHeight || w < 0 || w >= inWidth) {
              p.fill(0, to, to + inChannels);
            } else {
              const from = ((b * inHeight + h) * inWidth + w) * inChannels;
              p.set(src.subarray(from, from + inChannels), to);
            }
          }
        }
      }
    }
  }
}

/** dst[c, r] = src[r, c] for a rows × columns matrix, in 32 × 32 tiles so reads and writes both stay in cache. */
export function transpose2d(src: Float32Array, dst: Float32Array, rows: number, columns: number): void {
  const TILE = 32;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(r0 + TILE, rows);
    for (let c0 = 0; c0 < columns; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, columns);
      for (let r = r0; r < r1; r++) {
        const from = r * columns;
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[from + c]!;
      }
    }
  }
}
