import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import { LabError } from '../../core/labError';
import type { LearnerModule } from '../../learner/loadLearnerModule';
import { COURSE_TRAINING, type RegressionExercise, type TrainingSettings } from '../../learner/regressionExercise';

/** The course's own network, used when no learner file is given: one dense unit, y = w·x + b. */
export const COURSE_NETWORK: RegressionExercise = {
  training: COURSE_TRAINING,
  buildNetwork: (inputFeatures) => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [inputFeatures] })] }),
};

/**
 * Checks what a learner's file exports and wraps every call into it, so that a mistake is reported at the
 * learner's line with what to change, instead of failing somewhere deep inside the trainer.
 */
export function exerciseFromModule(mod: LearnerModule): RegressionExercise {
  const where = { file: mod.file, line: 1, column: 0 };
  const build = mod.exports['buildNetwork'];
  if (typeof build !== 'function') {
    throw new LabError('learner-runtime', `${mod.file}: export a function named buildNetwork(inputFeatures) that returns a tf.LayersModel.`, where);
  }
  const training = readTraining(mod.exports['training'], mod.file);
  return {
    training,
    buildNetwork(inputFeatures) {
      const model = mod.call('buildNetwork', () => (build as (n: number) => unknown)(inputFeatures));
      return checkModel(model, inputFeatures, mod.file);
    },
  };
}

function readTraining(value: unknown, file: string): TrainingSettings {
  if (value === undefined) return COURSE_TRAINING;
  const where = { file, line: 1, column: 0 };
  if (typeof value !== 'object' || value === null) {
    throw new LabError('learner-runtime', `${file}: "training" must be an object like { learningRate: 0.0001, epochs: 100, batchSize: 32 }.`, where);
  }
  const v = value as Record<string, unknown>;
  const field = (name: keyof TrainingSettings, integer: boolean): number => {
    const x = v[name] ?? COURSE_TRAINING[name];
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x))) {
      throw new LabError(
        'learner-runtime',
        `${file}: training.${name} is ${JSON.stringify(x)}; it must be a positive ${integer ? 'whole number' : 'number'}.`,
        where,
      );
    }
    return x;
  };
  return { learningRate: field('learningRate', false), epochs: field('epochs', true), batchSize: field('batchSize', true) };
}

function checkModel(model: unknown, inputFeatures: number, file: string): TF.LayersModel {
  const where = { file, line: 1, column: 0 };
  if (!(model instanceof tf.LayersModel)) {
    throw new LabError('learner-runtime', `${file}: buildNetwork must return a tf.LayersModel (e.g. tf.sequential({...})), not ${describe(model)}.`, where);
  }
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  if (model.inputs.length !== 1 || input?.length !== 2 || input[1] !== inputFeatures) {
    throw new LabError(
      'learner-runtime',
      `${file}: the network's input shape is ${JSON.stringify(input)} but each row has ${inputFeatures} features; use inputShape: [inputFeatures].`,
      where,
    );
  }
  if (model.outputs.length !== 1 || output?.length !== 2 || output[1] !== 1) {
    throw new LabError(
      'learner-runtime',
      `${file}: the network's output shape is ${JSON.stringify(output)}; a regression network predicts one number per row, so end with a dense layer of 1 unit.`,
      where,
    );
  }
  return model;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return `an object (${(x as object).constructor?.name ?? 'Object'})`;
  return typeof x;
}
