/**
 * Logits of a network with imported PyTorch weights for a batch stored as .npy: the library side of
 * `biomed-lab predict`, and the way the tests compare this port with PyTorch. No normalisation is applied:
 * the input is fed exactly as stored.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../backend/tf';
import { LabError } from '../core/labError';
import { parseNpy, type NpyArray } from '../data/npy';
import { createResNet18 } from './resnet18';
import { SafetensorsFile } from './safetensors';
import { loadTorchvisionWeights } from './torchvisionWeights';

/** Network structures whose weights can be imported from torchvision's layout. */
const BUILDERS = { resnet18: createResNet18 } as const;
export type PredictModel = keyof typeof BUILDERS;
export const PREDICT_MODELS = Object.keys(BUILDERS) as PredictModel[];

export interface PredictOptions {
  model: PredictModel;
  weightsFile: string;
  /** An N×H×W×C float32 .npy (channels last). */
  inputFile: string;
  /** Defaults to the class count of the file's head. */
  classes?: number;
  /** Examples per forward pass, to bound memory on large inputs. */
  batchSize?: number;
}

export interface PredictResult {
  /** One row of class scores (before softmax) per input example. */
  logits: number[][];
}

export async function predictFromFiles(options: PredictOptions): Promise<PredictResult> {
  const where = basename(options.inputFile);
  const images = imagesFromNpy(parseNpy(readFileSync(options.inputFile), where), where);
  const weights = SafetensorsFile.read(options.weightsFile);
  const classes = options.classes ?? headClasses(weights);
  const [, height, width, channels] = images.shape;
  const model = BUILDERS[options.model]({ channels, classes, height, width });
  try {
    loadTorchvisionWeights(model, weights);
    const logits = tf.tidy(() => model.predict(tf.tensor4d(images.values, images.shape), { batchSize: options.batchSize ?? 32 }) as TF.Tensor2D);
    try {
      return { logits: await logits.array() };
    } finally {
      logits.dispose();
    }
  } finally {
    model.dispose();
  }
}

interface Images {
  shape: [number, number, number, number];
  values: Float32Array;
}

function imagesFromNpy(array: NpyArray, where: string): Images {
  if (array.shape.length !== 4) {
    throw new LabError('bad-data', `${where}: has shape (${array.shape.join(', ')}); the input must be N×H×W×C (channels last), e.g. (2, 28, 28, 3).`);
  }
  if (array.dtype !== 'float32') {
    throw new LabError('bad-data', `${where}: has dtype ${array.descr}; the input must be float32. Save it with array.astype(numpy.float32).`);
  }
  // A DataView, not a Float32Array over the file: the data need not start on a 4-byte boundary.
  const view = new DataView(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const values = new Float32Array(array.data.byteLength / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return { shape: array.shape as Images['shape'], values };
}

function headClasses(weights: SafetensorsFile): number {
  const bias = weights.entry('fc.bias');
  if (!bias || bias.shape.length !== 1) {
    throw new LabError('bad-data', `${weights.source} has no "fc.bias" tensor to read the class count from; pass the number of classes.`);
  }
  return bias.shape[0]!;
}
