/**
 * What the native TensorFlow.js builds need. One place, read by the GPU probe's verdicts, the installer and
 * the backend ladder, so a version bump cannot leave one of them behind.
 */

import type { InstallFlavour } from '../../../protocol/install';

export type NativeFlavour = InstallFlavour;

export const NATIVE_PACKAGE: Record<NativeFlavour, string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  cpu: '@tensorflow/tfjs-node',
};

/**
 * The native build must match the bundled tfjs exactly: it brings its own tfjs-core, and models built with
 * one version's layers are trained by the other's kernels. A unit test checks this against node_modules.
 */
export const NATIVE_VERSION = '4.22.0';

/**
 * tfjs-node(-gpu) 4.22 links libtensorflow 2.9.1, which was built against CUDA 11.2 and cuDNN 8.1 and
 * dlopens the CUDA 11 sonames (libcudart.so.11.0, libcudnn.so.8); a CUDA 12 runtime has other sonames.
 */
export const GPU_NEEDS = {
  cuda: '11.2',
  cudnn: '8.1',
  cudartSoname: 'libcudart.so.11.0',
  cudnnSoname: 'libcudnn.so.8',
  /** NVIDIA's minimum Linux driver for CUDA 11.2 (shown by nvidia-smi as "CUDA Version: 11.2" or higher). */
  minDriverCuda: '11.2',
} as const;
