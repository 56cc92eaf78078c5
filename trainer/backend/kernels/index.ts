import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { batchMatMulConfig } from './batchMatMul';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { meanConfig, sumConfig } from './leadingReduce';
import { maxPoolGradConfig } from './maxPoolGrad';
import { tileConfig } from './tile';

/**
 * Gradient kernels the wasm backend lacks (Conv2DBackpropFilter) or ships wrong (MaxPoolGrad, for windows
 * without a positive value). Everything else ResNet-18 and the U-Net need for training (AvgPoolGrad,
 * ResizeBilinearGrad, ResizeNearestNeighborGrad, the pieces of the batch-norm gradient) the backend registers
 * itself, and test/unit/kernels-cpu-parity checks them.
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [conv2dBackpropFilterConfig, maxPoolGradConfig];

/**
 * Shipped kernels that are slow scalar loops for the shapes training uses, each replaced by a faster route
 * for the cases it covers and handing every other case to the shipped kernel.
 */
const FASTER_ROUTES: Record<string, (shipped: KernelFunc) => KernelConfig> = {
  Conv2DBackpropInput: inputGradientByShape,
  Tile: tileConfig,
  BatchMatMul: batchMatMulConfig,
  Sum: sumConfig,
  Mean: meanConfig,
};

/**
 * The phase-split input gradient wins wherever the gradient image is at least 4×4, but at ResNet-18's last
 * stage (1×1 and 2×2 images) repacking a 3×3×512×512 filter per call costs more than the shipped loop's
 * multiply-adds (measured: 42 vs 10 ms at layer4.0), so small images keep the shipped kernel.
 */
function inputGradientByShape(shipped: KernelFunc): KernelConfig {
  return {
    ...conv2dBackpropInputConfig,
    kernelFunc: (args) => {
      const dy = (args.inputs as { dy: TensorInfo }).dy;
      const [, height, width] = dy.shape;
      const ours = (height ?? 0) * (width ?? 0) >= 16;
      return (ours ? conv2dBackpropInputConfig.kernelFunc : shipped)(args);
    },
  };
}

/** The package's own configs, captured before they are replaced. */
const shipped = new Map<string, KernelConfig>();
const registered = new Set<string>();

/** Idempotent: the ladder may start wasm more than once in one process. */
export function registerWasmTrainingKernels(): void {
  const configs = [...WASM_TRAINING_KERNELS];
  for (const [name, route] of Object.entries(FASTER_ROUTES)) {
    const own = shipped.get(name) ?? tf.getKernel(name, 'wasm');
    if (!own) continue;
    shipped.set(name, own);
    // The shipped kernel binds its wasm function in setupFunc, run again whenever a new wasm module starts
    // (another thread count): the replacement must keep it, or the fallback would call a disposed module.
    configs.push({ ...route(own.kernelFunc), setupFunc: own.setupFunc, disposeFunc: own.disposeFunc });
  }
  for (const config of configs) {
    if (registered.has(config.kernelName)) continue;
    // Replacing a registered kernel: unregister first, or the registry warns on every start.
    if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
    registered.add(config.kernelName);
  }
}
