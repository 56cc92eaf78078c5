/**
 * The three experiments and the network each starts from. The public notebook got two of them wrong: its
 * "random" experiment loaded ImageNet weights (so A and C were one run twice), and its frozen backbone still
 * updated BatchNorm's running statistics. Here A never opens the weights file, and B runs the backbone in
 * inference mode with no trainable weight outside the head.
 */
import type * as TF from '@tensorflow/tfjs';
import { type ExperimentName } from '../../../protocol/messages';
import { withSeededMathRandom } from '../../core/random';
import { createResNet18 } from '../../models/resnet18';
import type { SafetensorsFile } from '../../models/safetensors';
import { loadTorchvisionWeights } from '../../models/torchvisionWeights';

export interface ExperimentSpec {
  readonly name: ExperimentName;
  readonly label: string;
  /** ImageNet weights for everything but the head, or torchvision's random initialisation. */
  readonly start: 'random' | 'imagenet';
  /** Which weights the optimiser changes. */
  readonly trains: 'all' | 'head';
}

export const EXPERIMENTS: readonly ExperimentSpec[] = [
  { name: 'A', label: 'Random init, all layers trained', start: 'random', trains: 'all' },
  { name: 'B', label: 'ImageNet weights, frozen backbone, new head', start: 'imagenet', trains: 'head' },
  { name: 'C', label: 'ImageNet weights, all layers trained', start: 'imagenet', trains: 'all' },
];

/** The head torchvision's ResNet-18 calls `fc`; createResNet18 keeps the name. */
export const HEAD = 'fc';

export interface ModelShape {
  readonly channels: number;
  readonly classes: number;
  readonly size: number;
}

/**
 * Builds an experiment's network. Every experiment is built under the same seed, so all three draw the same
 * random head, and A's random backbone is the one B and C replace with ImageNet's: the experiments then differ
 * only in what the spec says. `weights` is read only when the spec starts from ImageNet.
 */
export function buildExperimentModel(spec: ExperimentSpec, shape: ModelShape, seed: number, weights: SafetensorsFile | undefined): TF.LayersModel {
  const model = withSeededMathRandom(seed, () =>
    createResNet18({ channels: shape.channels, classes: shape.classes, height: shape.size, width: shape.size, name: `resnet18-${spec.name}` }),
  );
  try {
    if (spec.start === 'imagenet') {
      if (!weights) throw new Error(`experiment ${spec.name} starts from ImageNet weights, but none were loaded`);
      // A 1-channel dataset gets conv1's colour filters summed: exactly what the RGB network computes on a grey image.
      loadTorchvisionWeights(model, weights, { newHead: true, greyFromRgb: shape.channels === 1 });
    }
    if (spec.trains === 'head') for (const layer of model.layers) if (layer.name !== HEAD) layer.trainable = false;
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** Whether the network runs in training mode while it learns: a frozen backbone keeps BatchNorm in inference mode. */
export function trainingMode(spec: ExperimentSpec): boolean {
  return spec.trains === 'all';
}
