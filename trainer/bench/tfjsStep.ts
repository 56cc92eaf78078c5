/**
 * One benchmark case as a TensorFlow.js training step: the model, a fixed random batch, the optimizer, and
 * a function that runs one step and resolves once the backend has finished it.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../backend/tf';
import { pixelCrossEntropy } from '../models/pixelCrossEntropy';
import { createResNet18 } from '../models/resnet18';
import { createUNet } from '../models/unet';
import type { BenchCase } from './cases';

export interface TrainingStep {
  /** Runs one step; resolves after the loss has been read, so the work is really done when it resolves. */
  run(): Promise<void>;
  /** The step without the read-back, for `tf.profile`. */
  runSync(): void;
  dispose(): void;
}

export function createTrainingStep(spec: BenchCase): TrainingStep {
  const model =
    spec.model === 'resnet18'
      ? createResNet18({ channels: spec.channels, classes: spec.classes, height: spec.size, width: spec.size })
      : createUNet({ channels: spec.channels, classes: spec.classes, base: spec.base ?? 32, height: spec.size, width: spec.size });
  const optimizer = spec.optimizer === 'adam' ? tf.train.adam(spec.learningRate) : tf.train.momentum(spec.learningRate, 0.9);
  // Timing does not depend on the values, but a fixed seed keeps a profile comparable between runs.
  const x = tf.randomNormal([spec.batch, spec.size, spec.size, spec.channels], 0, 1, 'float32', 1);
  const labelShape: number[] = spec.model === 'resnet18' ? [spec.batch] : [spec.batch, spec.size, spec.size];
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform(labelShape, 0, spec.classes, 'int32', 2) as TF.Tensor, spec.classes));
  const variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
  const loss = (): TF.Scalar => {
    const output = model.apply(x, { training: true }) as TF.Tensor;
    return spec.model === 'resnet18' ? (tf.losses.softmaxCrossEntropy(y, output) as TF.Scalar) : pixelCrossEntropy(y, output);
  };
  const step = (): TF.Scalar => optimizer.minimize(loss, true, variables)!;
  return {
    async run() {
      const cost = tf.tidy(step);
      await cost.data();
      cost.dispose();
    },
    runSync() {
      tf.tidy(step).dispose();
    },
    dispose() {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    },
  };
}
