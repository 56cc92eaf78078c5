import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import { SeededRandom, childSeed } from '../../core/random';
import type { TrainingSettings } from '../../learner/regressionExercise';

export interface NetworkFit {
  /** Predictions for the test rows, in the scaled target units the network was trained in. */
  testPredictions: number[];
  /** Mean training loss of each epoch. */
  epochLoss: number[];
  /** The weights the network started from, flattened per weight tensor (for the PyTorch cross-check). */
  initialWeights: number[][];
}

export interface NetworkTrainingInput {
  model: TF.LayersModel;
  settings: TrainingSettings;
  xTrain: readonly (readonly number[])[];
  yTrain: readonly number[];
  xTest: readonly (readonly number[])[];
  /** Seeds the batch order; epoch e of split s shuffles with childSeed(seed, e). */
  seed: number;
  onEpoch?: (epoch: number, loss: number) => void;
  /** Checked between epochs; the run stops with whatever the callback throws. */
  checkCancelled?: () => void;
}

/**
 * Mini-batch SGD on mean squared error. The loop is written out rather than using model.fit so the batch order
 * comes from the lab's seeded generator (reproducible in the PyTorch reference) and cancellation is prompt.
 */
export async function trainNetwork(input: NetworkTrainingInput): Promise<NetworkFit> {
  const { model, settings, xTrain, yTrain, xTest } = input;
  const n = xTrain.length;
  const initialWeights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const optimizer = tf.train.sgd(settings.learningRate);
  const xs = tf.tensor2d(xTrain as number[][]);
  const ys = tf.tensor2d(yTrain as number[], [n, 1]);
  const epochLoss: number[] = [];
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      input.checkCancelled?.();
      const order = new SeededRandom(childSeed(input.seed, epoch)).permutation(n);
      // Summed on the backend and read once per epoch: a read per batch would stall every step.
      let lossSum: TF.Scalar = tf.scalar(0);
      for (let start = 0; start < n; start += settings.batchSize) {
        const idx = order.slice(start, start + settings.batchSize);
        const next = tf.tidy(() => {
          const indices = tf.tensor1d(idx, 'int32');
          const xb = tf.gather(xs, indices);
          const yb = tf.gather(ys, indices);
          const loss = optimizer.minimize(
            () => tf.losses.meanSquaredError(yb, model.apply(xb, { training: true }) as TF.Tensor) as TF.Scalar,
            true,
          )!;
          return lossSum.add(loss.mul(idx.length)) as TF.Scalar;
        });
        lossSum.dispose();
        lossSum = next;
      }
      const mean = (await lossSum.data())[0]! / n;
      lossSum.dispose();
      epochLoss.push(mean);
      input.onEpoch?.(epoch, mean);
    }
    const testPredictions = tf.tidy(() => (model.predict(tf.tensor2d(xTest as number[][])) as TF.Tensor).reshape([-1]));
    const values = Array.from(await testPredictions.data());
    testPredictions.dispose();
    return { testPredictions: values, epochLoss, initialWeights };
  } finally {
    xs.dispose();
    ys.dispose();
    optimizer.dispose();
  }
}
