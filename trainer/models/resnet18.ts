/**
 * ResNet-18 with torchvision's structure, in TensorFlow.js layers (channels last).
 *
 * Every layer that holds weights is named after its torchvision state-dict prefix (`conv1`, `bn1`,
 * `layer2.0.downsample.0`, `fc`), so importing PyTorch weights is a lookup by name. Layers without weights
 * (padding, ReLU, add) get names under the same prefixes so the model summary reads like torchvision's.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../backend/tf';
import { imageConv2d } from './imageConv2d';
import { trainingBatchNorm } from './trainingBatchNorm';

export interface ResNet18Options {
  /** Input channels: 3 for RGB (PathMNIST), 1 for greyscale (BreastMNIST). */
  channels: number;
  classes: number;
  /** Input height and width; leave out for any size (the global average pool accepts any). */
  height?: number;
  width?: number;
  /** Model name; defaults to "resnet18". */
  name?: string;
}

/** torch.nn.BatchNorm2d's defaults. torch's momentum weights the new batch (0.1); tfjs's weights the old average. */
const BN_EPSILON = 1e-5;
const BN_MOMENTUM = 0.9;

const STAGES: readonly { name: string; filters: number; stride: number }[] = [
  { name: 'layer1', filters: 64, stride: 1 },
  { name: 'layer2', filters: 128, stride: 2 },
  { name: 'layer3', filters: 256, stride: 2 },
  { name: 'layer4', filters: 512, stride: 2 },
];

/** Builds an untrained network. Pure: no weights are loaded and no global state is touched beyond tfjs's. */
export function createResNet18(options: ResNet18Options): TF.LayersModel {
  assertPositiveInteger('channels', options.channels);
  assertPositiveInteger('classes', options.classes);
  const input = tf.input({ shape: [options.height ?? null, options.width ?? null, options.channels], name: 'input' });

  let x = conv(input, { name: 'conv1', filters: 64, kernel: 7, stride: 2, pad: 3, readsImage: true });
  x = batchNorm(x, 'bn1');
  x = relu(x, 'relu');
  // torch pads a max pool with -inf. Here the input comes straight out of a ReLU, so every value is ≥ 0, and
  // with pad 1 < kernel 3 every window holds at least one real value: a zero in the padding can never exceed
  // the window's real maximum, so zero padding gives exactly torch's result.
  x = tf.layers.zeroPadding2d({ padding: 1, name: 'maxpool.pad' }).apply(x) as TF.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'maxpool' }).apply(x) as TF.SymbolicTensor;

  let inChannels = 64;
  for (const stage of STAGES) {
    x = basicBlock(x, `${stage.name}.0`, inChannels, stage.filters, stage.stride);
    x = basicBlock(x, `${stage.name}.1`, stage.filters, stage.filters, 1);
    inChannels = stage.filters;
  }

  x = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as TF.SymbolicTensor;
  const logits = tf.layers
    .dense({
      units: options.classes,
      name: 'fc',
      // torch.nn.Linear's default: weights and bias uniform in ±1/√fan_in (varianceScaling 1/3 gives that bound).
      kernelInitializer: tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' }),
      biasInitializer: tf.initializers.randomUniform({ minval: -1 / Math.sqrt(inChannels), maxval: 1 / Math.sqrt(inChannels) }),
    })
    .apply(x) as TF.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: options.name ?? 'resnet18' });
}

/** torchvision's BasicBlock: conv3×3 → BN → ReLU → conv3×3 → BN, plus the shortcut, then ReLU. */
function basicBlock(x: TF.SymbolicTensor, prefix: string, inChannels: number, filters: number, stride: number): TF.SymbolicTensor {
  let y = conv(x, { name: `${prefix}.conv1`, filters, kernel: 3, stride, pad: 1 });
  y = batchNorm(y, `${prefix}.bn1`);
  y = relu(y, `${prefix}.relu1`);
  y = conv(y, { name: `${prefix}.conv2`, filters, kernel: 3, stride: 1, pad: 1 });
  y = batchNorm(y, `${prefix}.bn2`);
  let shortcut = x;
  if (stride !== 1 || inChannels !== filters) {
    shortcut = conv(x, { name: `${prefix}.downsample.0`, filters, kernel: 1, stride, pad: 0 });
    shortcut = batchNorm(shortcut, `${prefix}.downsample.1`);
  }
  const sum = tf.layers.add({ name: `${prefix}.add` }).apply([y, shortcut]) as TF.SymbolicTensor;
  return relu(sum, `${prefix}.relu2`);
}

interface ConvSpec {
  name: string;
  filters: number;
  kernel: number;
  stride: number;
  /** torch's symmetric zero padding on every side. */
  pad: number;
  /** The input is the image, whose gradient nothing needs (see imageConv2d). */
  readsImage?: boolean;
}

function conv(x: TF.SymbolicTensor, spec: ConvSpec): TF.SymbolicTensor {
  // tfjs's 'same' puts the odd pixel of padding at the bottom/right, which differs from torch's symmetric
  // padding whenever the stride is 2. With stride 1 and pad = (kernel - 1) / 2, 'same' pads exactly `pad` on
  // each side, so it is used there and saves a Pad op per conv; everything else pads explicitly.
  const sameIsSymmetric = spec.stride === 1 && spec.pad * 2 === spec.kernel - 1;
  let input = x;
  if (spec.pad > 0 && !sameIsSymmetric) {
    input = tf.layers.zeroPadding2d({ padding: spec.pad, name: `${spec.name}.pad` }).apply(x) as TF.SymbolicTensor;
  }
  const args = {
    name: spec.name,
    filters: spec.filters,
    kernelSize: spec.kernel,
    strides: spec.stride,
    padding: sameIsSymmetric ? ('same' as const) : ('valid' as const),
    // torchvision's init: kaiming_normal_(mode="fan_out", nonlinearity="relu"), i.e. variance 2 / fan_out.
    // tfjs draws from a truncated normal (about 12 % narrower spread), close enough for training from scratch.
    kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal' }),
  };
  const layer = spec.readsImage ? imageConv2d(args) : tf.layers.conv2d({ ...args, useBias: false });
  return layer.apply(input) as TF.SymbolicTensor;
}

function batchNorm(x: TF.SymbolicTensor, name: string): TF.SymbolicTensor {
  return trainingBatchNorm({ name, epsilon: BN_EPSILON, momentum: BN_MOMENTUM }).apply(x) as TF.SymbolicTensor;
}

function relu(x: TF.SymbolicTensor, name: string): TF.SymbolicTensor {
  return tf.layers.reLU({ name }).apply(x) as TF.SymbolicTensor;
}

function assertPositiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`ResNet-18 needs a positive whole number of ${name}, not ${value}`);
}
