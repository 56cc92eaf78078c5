/**
 * The three experiments and the network each starts from. The public notebook got two of them wrong: its
 * "random" experiment loaded ImageNet weights (so A and C were one run twice), and its frozen backbone still
 * updated BatchNorm's running statistics. Here A never opens the weights file, and B runs the backbone in
 * inference mode with no trainable weight outside the head.
 */
import type * as TF from '@tensorflow/tfjs';
import { type ExperimentName } from '../../../protocol/messages';
import { LabError } from '../../core/labError';
import { withSeededMathRandom } from '../../core/random';
import type { BatchNormMode, ClassificationExercise, TransferMode } from '../../learner/classificationExercise';
import { createResNet18 } from '../../models/resnet18';
import type { SafetensorsFile } from '../../models/safetensors';
import { loadTorchvisionWeights } from '../../models/torchvisionWeights';
import { REFERENCE_TRANSFER, disposeTransfer } from './transfer';

export interface ExperimentSpec {
  readonly name: ExperimentName;
  readonly label: string;
  /** ImageNet weights for everything but the head, or torchvision's random initialisation. */
  readonly start: 'random' | 'imagenet';
  /** Which weights the optimiser changes. */
  readonly trains: 'all' | 'head';
  /** How BatchNorm runs while the network learns; a frozen backbone keeps its ImageNet statistics. */
  readonly batchNorm: BatchNormMode;
}

export const EXPERIMENTS: readonly ExperimentSpec[] = [
  { name: 'A', label: 'Random init, all layers trained', start: 'random', trains: 'all', batchNorm: 'training' },
  { name: 'B', label: 'ImageNet weights, frozen backbone, new head', start: 'imagenet', trains: 'head', batchNorm: 'inference' },
  { name: 'C', label: 'ImageNet weights, all layers trained', start: 'imagenet', trains: 'all', batchNorm: 'training' },
];

/** The head torchvision's ResNet-18 calls `fc`; createResNet18 and the reference transfer keep the name. */
export const HEAD = 'fc';

export interface ModelShape {
  readonly channels: number;
  readonly classes: number;
  readonly size: number;
}

/** An experiment's network, and the spec as it will run (the transfer step decides BatchNorm's mode). */
export interface ExperimentNetwork {
  readonly model: TF.LayersModel;
  readonly spec: ExperimentSpec;
  dispose(): void;
}

/**
 * Builds an experiment's network under `seed`. A is torchvision's random initialisation and never reads
 * `weights`. B and C start from the pretrained network exactly as the weights file has it (its own head
 * included) and hand it to `transfer` (the course's solution, or the learner's transfer.ts), which
 * replaces the head and decides what trains.
 */
export function buildExperimentModel(
  spec: ExperimentSpec,
  shape: ModelShape,
  seed: number,
  weights: SafetensorsFile | undefined,
  transfer: ClassificationExercise = REFERENCE_TRANSFER,
): ExperimentNetwork {
  const options = { channels: shape.channels, height: shape.size, width: shape.size, name: `resnet18-${spec.name}` };
  if (spec.start === 'random') {
    const model = withSeededMathRandom(seed, () => createResNet18({ ...options, classes: shape.classes }));
    return { model, spec, dispose: () => model.dispose() };
  }
  if (!weights) throw new Error(`experiment ${spec.name} starts from ImageNet weights, but none were loaded`);
  const pretrainedClasses = weights.entry(`${HEAD}.weight`)?.shape[0];
  if (pretrainedClasses === undefined) throw new LabError('bad-data', `${weights.source} has no "${HEAD}.weight": it is not a complete resnet18 state dict`);
  const pretrained = withSeededMathRandom(seed, () => createResNet18({ ...options, classes: pretrainedClasses, name: `resnet18-${spec.name}-pretrained` }));
  try {
    // A 1-channel dataset gets conv1's colour filters summed: exactly what the RGB network computes on a grey image.
    loadTorchvisionWeights(pretrained, weights, { greyFromRgb: shape.channels === 1 });
  } catch (err) {
    pretrained.dispose();
    throw err;
  }
  // Taken before the learner's code runs: after a failed check the layers may be disposed, and reading them throws.
  const pretrainedVariables = pretrained.weights.map((w) => w.read() as TF.Variable);
  let network;
  try {
    network = withSeededMathRandom(seed, () => transfer.prepareForTransfer(pretrained, shape.classes, transferMode(spec)));
  } catch (err) {
    // A network that failed its checks was freed with its result already; a throw leaves the pretrained one.
    for (const v of pretrainedVariables) if (!v.isDisposed) v.dispose();
    throw err;
  }
  return {
    model: network.model,
    spec: { ...spec, batchNorm: network.batchNorm },
    dispose: () => disposeTransfer(pretrained, network),
  };
}

function transferMode(spec: ExperimentSpec): TransferMode {
  return spec.trains === 'head' ? 'frozen-backbone' : 'fine-tune';
}

/** Whether the network runs in training mode while it learns: a frozen backbone keeps BatchNorm in inference mode. */
export function trainingMode(spec: ExperimentSpec): boolean {
  return spec.batchNorm === 'training';
}
