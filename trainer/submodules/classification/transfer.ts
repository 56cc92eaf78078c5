/**
 * Turning a pretrained ResNet-18 into experiment B's or C's network: the course's own solution, and the
 * checks a learner's `prepareForTransfer` must pass. The checks run before any training, so a mistake
 * (a backbone left trainable, the ImageNet head kept, BatchNorm left in training mode under a frozen
 * backbone) is named at the learner's file instead of showing up later as a puzzling accuracy.
 */
import { existsSync, readFileSync } from 'node:fs';
import type * as TF from '@tensorflow/tfjs';
import type { ProblemLocation } from '../../../protocol/messages';
import { tf } from '../../backend/tf';
import { LabError } from '../../core/labError';
import type { ClassificationExercise, TransferMode, TransferNetwork } from '../../learner/classificationExercise';
import type { LearnerModule } from '../../learner/loadLearnerModule';

/** The layer whose output the head reads: the global average pool (512 features per image). */
const FEATURES = 'avgpool';

/** The course's solution, used when no learner file is given. */
export const REFERENCE_TRANSFER: ClassificationExercise = {
  prepareForTransfer(pretrained, classes, mode) {
    const features = pretrained.getLayer(FEATURES).output as TF.SymbolicTensor;
    // torch.nn.Linear's initialisation, as createResNet18 gives its own head: uniform in ±1/√fan_in.
    const bound = 1 / Math.sqrt(features.shape[features.shape.length - 1]!);
    const head = tf.layers.dense({
      units: classes,
      name: 'fc',
      kernelInitializer: tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' }),
      biasInitializer: tf.initializers.randomUniform({ minval: -bound, maxval: bound }),
    });
    const model = tf.model({ inputs: pretrained.inputs, outputs: head.apply(features) as TF.SymbolicTensor, name: `${pretrained.name}-${mode}` });
    if (mode === 'frozen-backbone') for (const layer of model.layers) if (layer !== head) layer.trainable = false;
    return { model, batchNorm: mode === 'frozen-backbone' ? 'inference' : 'training' };
  },
};

/**
 * Wraps the learner's export: a throw comes back at the learner's line (LearnerModule.call), and whatever
 * it returns is checked against what the experiment needs.
 */
export function transferFromModule(mod: LearnerModule): ClassificationExercise {
  const prepare = mod.exports['prepareForTransfer'];
  const where = exportLocation(mod.file, 'prepareForTransfer');
  if (typeof prepare !== 'function') {
    throw new LabError('learner-runtime', `${mod.file}: export a function prepareForTransfer(pretrained, classes, mode) that returns { model, batchNorm }.`, where);
  }
  return {
    prepareForTransfer(pretrained, classes, mode) {
      const result = mod.call('prepareForTransfer', () => (prepare as ClassificationExercise['prepareForTransfer'])(pretrained, classes, mode));
      const problem = transferProblem(result, pretrained, classes, mode);
      if (problem) {
        disposeTransfer(pretrained, result);
        throw new LabError('learner-runtime', `${mod.file}: prepareForTransfer(…, ${classes}, '${mode}'): ${problem}`, where);
      }
      return result as TransferNetwork;
    },
  };
}

/** What is wrong with a prepared network, in words that say what to change; undefined when nothing is. */
function transferProblem(result: unknown, pretrained: TF.LayersModel, classes: number, mode: TransferMode): string | undefined {
  if (result instanceof tf.LayersModel) {
    return "return { model, batchNorm } rather than the model alone, with batchNorm 'inference' or 'training' to say how BatchNorm runs while it trains.";
  }
  const { model, batchNorm } = (typeof result === 'object' && result !== null ? result : {}) as { model?: unknown; batchNorm?: unknown };
  if (!(model instanceof tf.LayersModel)) return 'the returned object needs a `model` that is a tf.LayersModel (built with tf.model({ inputs, outputs })).';
  if (batchNorm !== 'inference' && batchNorm !== 'training') return `batchNorm is ${JSON.stringify(batchNorm)}; it must be 'inference' or 'training'.`;

  const wantInput = pretrained.inputs[0]!.shape;
  if (model.inputs.length !== 1 || JSON.stringify(model.inputs[0]!.shape) !== JSON.stringify(wantInput)) {
    return `the network's input is ${shapes(model.inputs)} but the images arrive as ${shape(wantInput)}; build the model from pretrained.inputs.`;
  }
  const output = model.outputs[0]!;
  const units = output.shape[output.shape.length - 1];
  if (model.outputs.length !== 1 || output.shape.length !== 2) return `the network must end in one dense layer giving [batch, ${classes}] scores, not ${shapes(model.outputs)}.`;
  if (units !== classes) return `the head has ${units} units, expected ${classes} (one per class of this dataset).`;

  const pretrainedLayers = new Set(pretrained.layers);
  const head = output.sourceLayer;
  if (pretrainedLayers.has(head)) {
    return `the last layer is the pretrained network's own ${head.name}; apply a new tf.layers.dense({ units: classes }) to the output of pretrained.getLayer('${FEATURES}').`;
  }
  if (head.getClassName() !== 'Dense') return `the head is a ${head.getClassName()} layer; end with a new tf.layers.dense({ units: classes }).`;
  const activation = (head.getConfig() as { activation?: unknown }).activation;
  if (activation !== undefined && activation !== 'linear') {
    return `the head has a ${String(activation)} activation; leave it out, because the loss applies the softmax to the head's raw scores itself.`;
  }

  const used = new Set(model.layers);
  const oldHead = pretrained.outputs[0]!.sourceLayer;
  const missing = pretrained.layers.find((l) => l !== oldHead && l.weights.length > 0 && !used.has(l));
  if (missing) {
    return `the network does not use the pretrained layer ${missing.name}, so its ImageNet weights are lost; build the model from pretrained.inputs and the output of pretrained.getLayer('${FEATURES}').`;
  }

  const withWeights = model.layers.filter((l) => l.weights.length > 0);
  if (mode === 'frozen-backbone') {
    const thawed = withWeights.find((l) => pretrainedLayers.has(l) && l.trainableWeights.length > 0);
    if (thawed) return `backbone layer ${thawed.name} is still trainable; in 'frozen-backbone' mode set trainable = false on every pretrained layer.`;
    if (model.trainableWeights.length === 0) return 'nothing is left trainable; the new head must stay trainable, or the network cannot learn.';
    if (batchNorm !== 'inference') {
      return "batchNorm is 'training', so the frozen backbone's BatchNorm layers would still change their running statistics (the public notebook's defect); return batchNorm: 'inference'.";
    }
    return undefined;
  }
  const frozen = withWeights.find((l) => l.trainableWeights.length === 0);
  if (frozen) return `layer ${frozen.name} is frozen, but 'fine-tune' trains every layer; leave every layer trainable.`;
  return undefined;
}

/**
 * Frees both networks. They share the backbone's variables, so disposing the models one after the other
 * would free those twice (tfjs throws); each variable is freed once instead, the old head's included.
 */
export function disposeTransfer(pretrained: TF.LayersModel, result: unknown): void {
  const model = typeof result === 'object' && result !== null && 'model' in result ? (result as { model: unknown }).model : result;
  const models = model instanceof tf.LayersModel && model !== pretrained ? [pretrained, model] : [pretrained];
  const variables = new Map<number, TF.Variable>();
  for (const m of models) for (const w of m.weights) variables.set(w.id, w.read() as TF.Variable);
  for (const v of variables.values()) if (!v.isDisposed) v.dispose();
}

/** The line of the learner's export, so a squiggle lands on the function rather than on line 1. */
function exportLocation(file: string, name: string): ProblemLocation {
  if (existsSync(file)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => new RegExp(`\\b${name}\\b`).test(l) && /\bexport\b/.test(l));
    if (line >= 0) return { file, line: line + 1, column: lines[line]!.indexOf(name) };
  }
  return { file, line: 1, column: 0 };
}

function shape(s: readonly (number | null)[]): string {
  return `[${s.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;
}

function shapes(ts: readonly TF.SymbolicTensor[]): string {
  return ts.map((t) => shape(t.shape)).join(', ') || 'nothing';
}
