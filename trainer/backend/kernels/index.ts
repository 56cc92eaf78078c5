import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { batchMatMulConfig } from './batchMatMul';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { meanConfig, sumConfig } from './leadingReduce';
import { maxPoolGradConfig } from './maxPoolGrad';
import { sliceConfig } from './slice';
import { splitVConfig } from './splitV';
import { tileConfig } from './tile';

/**
 * Gradient kernels the wasm backend lacks (Conv2DBackpropFilter), ships wrong (MaxPoolGrad, for windows
 * without a positive value) or ships as a scalar loop slower than ours at every shape training uses
 * (Conv2DBackpropInput: 3–40× at the ResNet-18 layers, so nothing is handed back to it). Everything else ResNet-18 and the U-Net need for training (AvgPoolGrad,
 * ResizeBilinearGrad, ResizeNearestNeighborGrad, the pieces of the batch-norm gradient) the backend registers
 * itself, and test/unit/kernels-cpu-parity checks them.
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig, maxPoolGradConfig];

/**
 * Shipped kernels that are slow scalar loops for the shapes training uses, each replaced by a faster route
 * for the cases it covers and handing every other case to the shipped kernel.
 */
const FASTER_ROUTES: Record<string, (shipped: KernelFunc) => KernelConfig> = {
  Tile: tileConfig,
  BatchMatMul: batchMatMulConfig,
  Sum: sumConfig,
  Mean: meanConfig,
  Slice: sliceConfig,
  SplitV: splitVConfig,
};

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
