import type * as TF from '@tensorflow/tfjs';

/** How the network is trained; the learner may change these in their exercise file. */
export interface TrainingSettings {
  learningRate: number;
  epochs: number;
  batchSize: number;
}

/** The course's settings: plain SGD, learning rate 1e-4, 100 epochs. */
export const COURSE_TRAINING: TrainingSettings = { learningRate: 1e-4, epochs: 100, batchSize: 32 };

/** What a regression exercise or challenge file exports. */
export interface RegressionExercise {
  buildNetwork(inputFeatures: number): TF.LayersModel;
  training: TrainingSettings;
}
