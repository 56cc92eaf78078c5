import type { backend_util, Conv2DBackpropInputAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { inputGradientByColumns, usefulTaps } from './conv2dBackpropInputColumns';
import { type AxisWindow, cropAndPad, type WasmHeapBackend, withWasmKernels } from './wasmKernelScope';

/**
 * dx[h] = Σ_{oh,kh : oh·s + kh = h + pad} dy[oh] · W[kh]ᵀ (per spatial axis; channels contract over co).
 *
 * The textbook route convolves dy dilated by the stride (s−1 zeros between pixels) with the rotated filter,
 * so for stride 2 three quarters of the multiplications hit zeros. Instead split dx by phase r = h mod s:
 * each phase is an ordinary stride-1 convolution of the undilated dy with the taps W[r + pad + j·s], and all
 * s² phases share one convolution when their sub-filters are stacked along the output channels (the
 * "sub-pixel" form of a transposed convolution). One pass then interleaves the phases back into the image.
 * For stride 1 this is the plain convolution with the 180°-rotated filter.
 */
interface AxisPlan {
  stride: number;
  /** Taps per phase: the sub-filter size along this axis. */
  taps: number;
  /** The filter index of phase 0's last tap (≤ 0: taps before the filter's start are zeros). */
  firstTap: number;
  /** Rows of dy the stride-1 convolution reads (outside dy: zeros). */
  dyWindow: AxisWindow;
  /** Output rows per phase: dx has blocks × stride rows before the final crop. */
  blocks: number;
}

function planAxis(inSize: number, stride: number, filterSize: number, padBefore: number): AxisPlan {
  // With h = q·s + r and kh = r + pad + j·s, the filter tap j multiplies dy[q − j].
  const jMax = Math.floor((filterSize - 1 - padBefore) / stride);
  const jMin = -Math.floor((stride - 1 + padBefore) / stride);
  const taps = jMax - jMin + 1;
  const firstTap = padBefore + jMin * stride;
  const blocks = Math.ceil(inSize / stride);
  return {
    stride,
    taps,
    firstTap,
    dyWindow: { begin: -jMax, end: blocks - jMin },
    blocks,
  };
}

export type InputGradientRoute = 'phases' | 'columns';

/**
 * Which route multiplies less for this layer (measured per ResNet-18 layer at batch 128, 2 threads): a strided
 * layer wastes most of its phase sub-filters on zero taps, and a 1×1 image wastes 8 of 9 taps on the padding
 * ring, while on a larger stride-1 image the phase convolution is one threaded kernel where the columns route
 * adds a single-threaded scatter (layer1, 7×7×64: 9 vs 29 ms).
 */
export function inputGradientRoute(info: backend_util.Conv2DInfo): InputGradientRoute {
  if (info.strideHeight > 1 || info.strideWidth > 1) return 'columns';
  const rows = usefulTaps(info.inHeight, info.outHeight, 1, info.filterHeight, info.padInfo.top);
  const cols = usefulTaps(info.inWidth, info.outWidth, 1, info.filterWidth, info.padInfo.left);
  return rows.count < info.filterHeight || cols.count < info.filterWidth ? 'columns' : 'phases';
}

/** The kernel with its route fixed (tests check each route on every shape) or chosen per layer. */
export function conv2dBackpropInputKernel(route?: InputGradientRoute): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const dy = inputs['dy']!;
    const filter = inputs['filter']!;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput on wasm supports NHWC only, as does wasm Conv2D');
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    return (route ?? inputGradientRoute(info)) === 'columns'
      ? inputGradientByColumns(backend as KernelBackend, dy, filter, info)
      : inputGradientByPhases(backend as KernelBackend, dy, filter, info);
  };
}

function inputGradientByPhases(backend: KernelBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, padInfo } = info;
  const rows = planAxis(inHeight, info.strideHeight, info.filterHeight, padInfo.top);
  const cols = planAxis(inWidth, info.strideWidth, info.filterWidth, padInfo.left);
  const phases = rows.stride * cols.stride;
  const heap = backend as unknown as WasmHeapBackend;
  const subFilters = buildSubFilters(heap, filter, rows, cols);
  try {
    return withWasmKernels(backend, (k): TensorInfo => {
      const { cropped, pads } = cropAndPad(k, dy, [null, rows.dyWindow, cols.dyWindow, null]);
      const byPhase = k.run(
        'Conv2D',
        { x: cropped, filter: subFilters },
        { strides: 1, pad: [[0, 0], pads[1]!, pads[2]!, [0, 0]], dilations: 1, dataFormat: 'NHWC' },
      );
      return phases === 1 && byPhase.shape[1] === inHeight && byPhase.shape[2] === inWidth
        ? byPhase
        : interleavePhases(heap, byPhase, [batchSize, inHeight, inWidth, inChannels], rows, cols);
    });
  } finally {
    backend.disposeData(subFilters.dataId);
  }
}

/**
 * W[kh, kw, ci, co] → F[tap_h, tap_w, co, (r_h, r_w, ci)] with kh = firstTap + (taps−1−tap)·s + r (zero outside
 * W): the taps are reversed so the scatter becomes a correlation. One pass in JavaScript over the heap: wasm's
 * PadV2, Reverse and rank-6 Transpose are scalar loops, ~40× slower on a 3×3×512×512 filter than this.
 */
function buildSubFilters(heap: WasmHeapBackend, filter: TensorInfo, rows: AxisPlan, cols: AxisPlan): TensorInfo {
  const [kH, kW, ci, co] = filter.shape as [number, number, number, number];
  const out = heap.makeOutput([rows.taps, cols.taps, co, rows.stride * cols.stride * ci], 'float32');
  const f = heap.typedArrayFromHeap(out);
  const w = heap.typedArrayFromHeap(filter);
  let i = 0;
  for (let th = 0; th < rows.taps; th++) {
    for (let tw = 0; tw < cols.taps; tw++) {
      for (let o = 0; o < co; o++) {
        for (let rh = 0; rh < rows.stride; rh++) {
          const kh = rows.firstTap + (rows.taps - 1 - th) * rows.stride + rh;
          for (let rw = 0; rw < cols.stride; rw++) {
            const kw = cols.firstTap + (cols.taps - 1 - tw) * cols.stride + rw;
            if (kh < 0 || kh >= kH || kw < 0 || kw >= kW) {
              f.fill(0, i, i + ci);
              i += ci;
              continue;
            }
            const base = (kh * kW + kw) * ci * co + o;
            for (let c = 0; c < ci; c++) f[i++] = w[base + c * co]!;
          }
        }
      }
    }
  }
  return out;
}

/** [n, blocks_h, blocks_w, (r_h, r_w, ci)] → dx[n, q·s_h + r_h, p·s_w + r_w, ci], cropped to the input size. */
function interleavePhases(heap: WasmHeapBackend, byPhase: TensorInfo, shape: [number, number, number, number], rows: AxisPlan, cols: AxisPlan): TensorInfo {
  const [n, height, width, ci] = shape;
  const out = heap.makeOutput(shape, 'float32');
  const dx = heap.typedArrayFromHeap(out);
  const src = heap.typedArrayFromHeap(byPhase);
  const phaseStride = rows.stride * cols.stride * ci;
  let i = 0;
  for (let b = 0; b < n; b++) {
    for (let h = 0; h < height; h++) {
      const q = Math.floor(h / rows.stride);
      const rh = h - q * rows.stride;
      for (let w = 0; w < width; w++) {
        const p = Math.floor(w / cols.stride);
        const rw = w - p * cols.stride;
        const from = ((b * rows.blocks + q) * cols.blocks + p) * phaseStride + (rh * cols.stride + rw) * ci;
        dx.set(src.subarray(from, from + ci), i);
        i += ci;
      }
    }
  }
  return out;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputKernel(),
};
