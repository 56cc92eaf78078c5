import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { maxPoolGradConfig } from './maxPoolGrad';

/**
 * Gradient kernels the wasm backend lacks (Conv2DBackpropFilter), ships only as a slow scalar loop
 * (Conv2DBackpropInput) or ships wrong (MaxPoolGrad, for windows without a positive value). Everything else
 * ResNet-18 and the U-Net need for training (AvgPoolGrad, ResizeBilinearGrad, ResizeNearestNeighborGrad, the
 * pieces of the batch-norm gradient) the backend registers itself, and test/unit/kernels-cpu-parity checks them.
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig, maxPoolGradConfig];

let shippedInputGradient: KernelFunc | undefined;

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

/** Idempotent: the ladder may start wasm more than once in one process. */
export function registerWasmTrainingKernels(): void {
  shippedInputGradient ??= tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc;
  const configs = WASM_TRAINING_KERNELS.map((c) =>
    c === conv2dBackpropInputConfig && shippedInputGradient ? inputGradientByShape(shippedInputGradient) : c,
  );
  for (const config of configs) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc || registered.has(config.kernelName)) continue;
    // Replacing a registered kernel: unregister first, or the registry warns on every start.
    if (current) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
    registered.add(config.kernelName);
  }
}

const registered = new Set<string>();
