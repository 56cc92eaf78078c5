/**
 * The course's U-Net in TensorFlow.js layers (channels last), with the module names of the PyTorch reference
 * in scripts/reference/unet_reference.py, so a state dict moves between the two by name (the same importer
 * as ResNet-18's: `loadTorchvisionWeights`).
 *
 * Three encoder levels and a bottleneck (base, 2·base, 4·base, 8·base filters; the course's 64-128-256-512 is
 * base 64), each two 3×3 convolutions with batch norm and ReLU; 2×2 max-pool down; 2× nearest upsampling up,
 * concatenated with the encoder's features of that level; a 1×1 convolution to the classes; a per-pixel softmax.
 * Nearest upsampling is what the course's notebook used, and unlike bilinear it picks the same source pixel
 * in PyTorch and TensorFlow.js, so imported weights give the same output.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../backend/tf';
import { imageConv2d } from './imageConv2d';
import { trainingBatchNorm } from './trainingBatchNorm';

export interface UNetOptions {
  /** Input channels: 3 for the course's multiphoton images (collagen and two metabolic cofactors). */
  channels: number;
  classes: number;
  /** Filters of the first level; each level below doubles them. */
  base: number;
  /** Input height and width: multiples of 8, because three 2×2 pools must halve them exactly. */
  height: number;
  width: number;
  /** Model name; defaults to "unet". */
  name?: string;
}

/** The course's segmentation set-up at the lab's size: 128×128 RGB crops, 4 tissue classes. */
export const COURSE_UNET: Readonly<UNetOptions> = { channels: 3, classes: 4, base: 32, height: 128, width: 128 };

/** torch.nn.BatchNorm2d's defaults (tfjs's momentum weights the old average, torch's the new batch). */
const BN_EPSILON = 1e-5;
const BN_MOMENTUM = 0.9;
const LEVELS = 3;

export function createUNet(options: UNetOptions): TF.LayersModel {
  for (const key of ['channels', 'classes', 'base', 'height', 'width'] as const) {
    const value = options[key];
    if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`U-Net needs a positive whole number for ${key}, not ${value}`);
  }
  const step = 2 ** LEVELS;
  if (options.height % step !== 0 || options.width % step !== 0) {
    throw new RangeError(`U-Net input must be a multiple of ${step} in height and width (${LEVELS} poolings), not ${options.height}×${options.width}`);
  }
  const input = tf.input({ shape: [options.height, options.width, options.channels], name: 'input' });

  const skips: TF.SymbolicTensor[] = [];
  let x: TF.SymbolicTensor = input;
  for (let level = 1; level <= LEVELS; level++) {
    x = doubleConv(x, `enc${level}`, options.base * 2 ** (level - 1), level === 1);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool${level}` }).apply(x) as TF.SymbolicTensor;
  }
  x = doubleConv(x, 'bottleneck', options.base * 2 ** LEVELS);
  for (let level = LEVELS; level >= 1; level--) {
    const up = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest', name: `up${level}` }).apply(x) as TF.SymbolicTensor;
    // Upsampled features first, then the skip: the order torch.cat uses in the reference, which fixes the
    // input-channel order of the next convolution's weights.
    const joined = tf.layers.concatenate({ axis: -1, name: `cat${level}` }).apply([up, skips[level - 1]!]) as TF.SymbolicTensor;
    x = doubleConv(joined, `dec${level}`, options.base * 2 ** (level - 1));
  }
  const logits = tf.layers
    .conv2d({
      name: 'head',
      filters: options.classes,
      kernelSize: 1,
      kernelInitializer: torchConvInit(),
      biasInitializer: tf.initializers.randomUniform({ minval: -1 / Math.sqrt(options.base), maxval: 1 / Math.sqrt(options.base) }),
    })
    .apply(x) as TF.SymbolicTensor;
  // tf.layers.softmax's default axis is 1 (a row of the image here); the classes are the last axis.
  const probabilities = tf.layers.softmax({ axis: -1, name: 'softmax' }).apply(logits) as TF.SymbolicTensor;
  return tf.model({ inputs: input, outputs: probabilities, name: options.name ?? 'unet' });
}

/** conv3×3 → BN → ReLU, twice; no conv bias, since the batch norm right after it would cancel it. */
function doubleConv(x: TF.SymbolicTensor, prefix: string, filters: number, readsImage = false): TF.SymbolicTensor {
  let y = x;
  for (const i of [1, 2]) {
    // Stride 1 with 'same' pads one pixel on every side: exactly torch's padding=1.
    const args = { name: `${prefix}.conv${i}`, filters, kernelSize: 3, padding: 'same' as const, kernelInitializer: torchConvInit() };
    // The image's gradient is never needed (see imageConv2d).
    const layer = readsImage && i === 1 ? imageConv2d(args) : tf.layers.conv2d({ ...args, useBias: false });
    y = layer.apply(y) as TF.SymbolicTensor;
    y = trainingBatchNorm({ name: `${prefix}.bn${i}`, epsilon: BN_EPSILON, momentum: BN_MOMENTUM }).apply(y) as TF.SymbolicTensor;
    y = tf.layers.reLU({ name: `${prefix}.relu${i}` }).apply(y) as TF.SymbolicTensor;
  }
  return y;
}

/** torch.nn.Conv2d's default (kaiming_uniform with a = √5): uniform in ±1/√fan_in, which varianceScaling 1/3 gives. */
function torchConvInit(): ReturnType<typeof tf.initializers.varianceScaling> {
  return tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' });
}
