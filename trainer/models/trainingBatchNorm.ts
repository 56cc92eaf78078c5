/**
 * A BatchNormalization layer whose training-mode gradient is one closed-form step.
 *
 * tfjs-layers normalises a training batch with `tf.moments` and `tf.batchNorm` and lets autodiff walk back
 * through both: about twenty full-size element-wise kernels per layer per step (Multiply, Sub, Tile, Sum, the
 * Mean gradient's broadcasts), which made the reductions and multiplies a quarter of a ResNet-18 step on wasm.
 * Here the forward pass is the same arithmetic, and the gradient is the textbook one,
 *   dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)),  dγ = Σ dy · x̂,  dβ = Σ dy,
 * in eight full-size passes. Inference, the moving averages (updated exactly as tfjs does), weights, names,
 * class name and config are BatchNormalization's own, so weight import and checkpoints see no difference.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../backend/tf';

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type BatchNormalization = ReturnType<typeof tf.layers.batchNormalization>;
type BatchNormalizationClass = new (args: BatchNormArgs) => BatchNormalization;
type Kwargs = Parameters<BatchNormalization['call']>[1];

let trainingBatchNormClass: BatchNormalizationClass | undefined;

/** Normalises the last axis, with a learned scale and offset: the form torch's BatchNorm2d has. */
export function trainingBatchNorm(args: Omit<BatchNormArgs, 'axis' | 'center' | 'scale'>): BatchNormalization {
  trainingBatchNormClass ??= defineTrainingBatchNorm();
  return new trainingBatchNormClass({ ...args, axis: -1, center: true, scale: true });
}

interface Moments {
  mean: TF.Tensor;
  variance: TF.Tensor;
}

/**
 * y = (x − mean) / √(var + ε) · γ + β over every axis but the last, with its closed-form gradient. The batch's
 * mean and variance come back beside y, computed outside the tape (they only feed the moving averages).
 */
function normalizeInTraining(x: TF.Tensor, gamma: TF.Tensor, beta: TF.Tensor, epsilon: number): { y: TF.Tensor } & Moments {
  const axes = [...Array(x.rank - 1).keys()];
  const count = x.size / x.shape[x.rank - 1]!;
  let moments: Moments | undefined;
  const op = tf.customGrad((...args: (TF.Tensor | TF.GradSaveFunc)[]) => {
    const [input, g, b, save] = args as [TF.Tensor, TF.Tensor, TF.Tensor, TF.GradSaveFunc];
    const mean = tf.mean(input, axes);
    const variance = tf.mean(tf.squaredDifference(input, mean), axes);
    // Kept past the op's own tidy; the caller disposes them.
    moments = { mean: tf.keep(mean), variance: tf.keep(variance) };
    const inverse = tf.rsqrt(tf.add(variance, epsilon));
    save([input, mean, inverse, g]);
    return {
      value: tf.batchNorm(input, mean, variance, b, g, epsilon),
      gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => {
        const [xs, mu, inv, scale] = saved as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
        const centred = tf.sub(xs, mu);
        const dBeta = tf.sum(dy, axes);
        // Σ dy · x̂ = (Σ dy · (x − mean)) / σ: x̂ itself is never materialised.
        const dGamma = tf.mul(tf.sum(tf.mul(dy, centred), axes), inv);
        const a = tf.mul(scale, inv);
        const b = tf.mul(tf.mul(a, tf.mul(dGamma, inv)), -1 / count);
        const c = tf.mul(tf.mul(a, dBeta), -1 / count);
        const dx = tf.add(tf.add(tf.mul(dy, a), tf.mul(centred, b)), c);
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = op(x, gamma, beta);
  return { y, ...moments! };
}

function defineTrainingBatchNorm(): BatchNormalizationClass {
  // The class itself is not exported, only its factory; the serialisation registry holds it under its name.
  const registered = tf.serialization.SerializationMap.getMap().classNameMap['BatchNormalization'];
  if (!registered) throw new Error('tfjs-layers did not register BatchNormalization');
  const Base = registered[0] as unknown as BatchNormalizationClass;
  return class TrainingBatchNorm extends Base {
    override call(inputs: TF.Tensor | TF.Tensor[], kwargs: Kwargs): TF.Tensor | TF.Tensor[] {
      if (kwargs['training'] !== true) return super.call(inputs, kwargs);
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs)!;
        const weight = (role: string): TF.LayerVariable => {
          const found = this.weights.find((w) => w.originalName.split('/').pop() === role);
          if (!found) throw new Error(`${this.name} has no ${role}`);
          return found;
        };
        const { momentum, epsilon } = this.getConfig() as { momentum: number; epsilon: number };
        const { y, mean, variance } = normalizeInTraining(x, weight('gamma').read(), weight('beta').read(), epsilon);
        // tfjs-layers' own update: moving ← moving − (moving − batch) · (1 − momentum), with the biased variance.
        for (const [role, batch] of [['moving_mean', mean], ['moving_variance', variance]] as const) {
          const moving = weight(role);
          tf.tidy(() => {
            const old = moving.read();
            moving.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - momentum)));
          });
        }
        tf.dispose([mean, variance]);
        return y;
      });
    }
  };
}
