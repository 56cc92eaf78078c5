/**
 * Everything an experiment's training loop carries from one epoch to the next, read out of and written back
 * into tfjs: every weight of the network (BatchNorm's moving statistics included, which are not trainable but
 * do change in training mode) and SGD's momentum accumulators. The batch order needs no state: epoch e
 * shuffles with a generator seeded by childSeed(seed, e), so the epoch index restores it.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import type { NamedArray } from '../../checkpoint/tensorFile';
import { LabError } from '../../core/labError';
import type { EpochRecord } from './train';

export interface TrainingSnapshot {
  /** Epochs finished; training resumes with epoch index `completedEpochs`. */
  readonly completedEpochs: number;
  readonly records: readonly EpochRecord[];
  /** Wall time of each finished epoch (training and validation), in seconds. */
  readonly epochSeconds: readonly number[];
  /** By the weight's layer-scoped name (e.g. `layer1.0.bn1/moving_mean`), which is the same in every build. */
  readonly weights: readonly NamedArray[];
  /** Positional: accumulator i belongs to the i-th trained variable. */
  readonly momentum: readonly NamedArray[];
  readonly iterations: number;
}

export type TensorState = Pick<TrainingSnapshot, 'weights' | 'momentum' | 'iterations'>;

export async function captureTensorState(model: TF.LayersModel, optimizer: TF.MomentumOptimizer): Promise<TensorState> {
  const weights: NamedArray[] = [];
  for (const w of model.weights) weights.push({ name: w.originalName, shape: w.shape as number[], values: await float32(w.read()) });
  const [iterations, ...accumulators] = await optimizer.getWeights();
  const momentum: NamedArray[] = [];
  for (const a of accumulators) momentum.push({ name: a.name, shape: a.tensor.shape, values: await float32(a.tensor) });
  // getWeights makes a fresh scalar for the step count; the accumulators are the optimiser's own variables.
  const steps = iterations ? (await iterations.tensor.data())[0]! : 0;
  iterations?.tensor.dispose();
  return { weights, momentum, iterations: steps };
}

export async function restoreTensorState(model: TF.LayersModel, optimizer: TF.MomentumOptimizer, variables: number, saved: TensorState): Promise<void> {
  const byName = new Map(saved.weights.map((w) => [w.name, w]));
  if (byName.size !== model.weights.length) {
    throw new LabError('bad-data', `the checkpoint holds ${byName.size} weights, but the network has ${model.weights.length}`);
  }
  for (const w of model.weights) {
    const s = byName.get(w.originalName);
    if (!s || s.shape.join('x') !== w.shape.join('x')) {
      throw new LabError('bad-data', `the checkpoint's weight ${w.originalName} is ${s ? `[${s.shape.join(', ')}]` : 'missing'}, the network's is [${w.shape.join(', ')}]`);
    }
    const value = tf.tensor(s.values, [...s.shape], 'float32');
    w.write(value);
    value.dispose();
  }
  if (saved.momentum.length !== variables) {
    throw new LabError('bad-data', `the checkpoint holds ${saved.momentum.length} momentum accumulators, but ${variables} variables are trained`);
  }
  const tensors = [tf.scalar(saved.iterations, 'int32'), ...saved.momentum.map((m) => tf.tensor(m.values, [...m.shape], 'float32'))];
  // setWeights wraps each tensor in a new variable that shares its data, so these handles can go.
  await optimizer.setWeights(tensors.map((tensor, i) => ({ name: i === 0 ? 'iter' : saved.momentum[i - 1]!.name, tensor })));
  for (const t of tensors) t.dispose();
}

async function float32(t: TF.Tensor): Promise<Float32Array> {
  const values = await t.data();
  return values instanceof Float32Array ? values : Float32Array.from(values);
}
