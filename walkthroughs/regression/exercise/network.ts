// Regression exercise: the network that predicts the mean nucleus radius (radius_mean).
//
// The lab calls buildNetwork() once per train/test split, so every split starts from fresh weights.
// Inputs arrive min-max scaled to [0, 1] using the training rows only; the target is scaled the same way
// and the lab turns predictions back into the radius's own units before it measures the error.
//
// Try it: run "Biomedical Deep Learning Lab: Run Regression" and compare the network with the baselines.
// Then raise the learning rate to 0.01 and to 0.1 and run again. What changes, and why?
import * as tf from '@tensorflow/tfjs';

export const training = {
  learningRate: 1e-4,
  epochs: 100,
  batchSize: 32,
};

export function buildNetwork(inputFeatures: number): tf.LayersModel {
  // One dense layer with a single unit is y = w·x + b: the same family of models as linear regression.
  return tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [inputFeatures] })],
  });
}
