/**
 * PyTorch (torchvision) state-dict tensors ⇄ the weights of a model built by `createResNet18`.
 *
 * The model's layers carry torchvision's names, so the mapping is derived from the model itself: each
 * layer's kind says which torch tensors it holds and how their layout differs (torch is channels-first).
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../backend/tf';
import { LabError } from '../core/labError';
import { FLOAT32_READABLE, type SafetensorsFile } from './safetensors';

/** One tensor of a torchvision state dict, in PyTorch's layout. */
export interface TorchTensorSpec {
  key: string;
  shape: number[];
  dtype: 'float32' | 'int64';
}

export interface LoadTorchvisionOptions {
  /**
   * Keep the model's own (freshly initialised) `fc` and ignore the file's: for a new head with a different
   * class count, as in transfer learning from ImageNet's 1000 classes to PathMNIST's 9.
   */
  newHead?: boolean;
  /**
   * For a 1-channel model and a 3-channel (RGB) file: use the sum of conv1's three colour filters. A grey image
   * copied into R, G and B gives Σc Wc·x = (Σc Wc)·x, so the summed filter reproduces exactly what the RGB
   * network computes on that image, and the statistics the following BatchNorm learnt still fit. (The mean
   * would shrink conv1's output threefold and put every BatchNorm downstream off its learnt statistics.)
   * Exact when every channel is normalised alike, as in the course (mean 0.5, std 0.5).
   */
  greyFromRgb?: boolean;
}

export interface LoadReport {
  /** torch keys whose values were copied into the model. */
  loaded: string[];
  /** torch keys in the file that were deliberately not used (`num_batches_tracked`, the old head). */
  ignored: string[];
}

/** How one torch tensor becomes one tfjs weight. */
interface Mapping {
  spec: TorchTensorSpec;
  variable: TF.LayerVariable;
  /** torch → tfjs axis order, or undefined when the layouts agree. */
  permutation?: number[];
}

/** Every tensor torchvision's `state_dict()` holds for this model, in PyTorch layout. */
export function torchvisionTensorSpecs(model: TF.LayersModel): TorchTensorSpec[] {
  const specs: TorchTensorSpec[] = [];
  for (const layer of model.layers) {
    specs.push(...layerMappings(layer).map((m) => m.spec));
    // torch's BatchNorm also keeps a step counter; it only matters for momentum=None, so it is never loaded.
    if (layer.getClassName() === 'BatchNormalization') specs.push({ key: `${layer.name}.num_batches_tracked`, shape: [], dtype: 'int64' });
  }
  return specs;
}

/**
 * Copies a torchvision state dict into the model. Every name and shape is checked before anything is
 * written, so on error the model is unchanged.
 */
export function loadTorchvisionWeights(model: TF.LayersModel, file: SafetensorsFile, options: LoadTorchvisionOptions = {}): LoadReport {
  const mappings = model.layers.flatMap(layerMappings);
  const known = new Set(torchvisionTensorSpecs(model).map((s) => s.key));
  assertNoWrapperPrefix(file, known);
  const problems: string[] = [];
  const ignored: string[] = [];
  const toLoad: Mapping[] = [];

  for (const mapping of mappings) {
    const { key, shape } = mapping.spec;
    if (options.newHead && key.startsWith('fc.')) continue;
    const entry = file.entry(key);
    if (!entry) {
      problems.push(`tensor "${key}" is missing (expected shape ${fmt(shape)}): the file is not a complete resnet18 state dict`);
      continue;
    }
    if (!FLOAT32_READABLE.includes(entry.dtype)) problems.push(`tensor "${key}" is ${entry.dtype}; weights must be ${FLOAT32_READABLE.join(', ')}`);
    else if (sameShape(entry.shape, shape) || (options.greyFromRgb && isRgbToGrey(key, entry.shape, shape))) toLoad.push(mapping);
    else problems.push(shapeProblem(key, entry.shape, shape));
  }
  for (const name of file.names()) {
    if (!known.has(name)) problems.push(`tensor "${name}" is not part of a torchvision ResNet-18; use a resnet18 state dict (torchvision's, or timm's resnet18.tv_in1k)`);
    else if (name.endsWith('.num_batches_tracked') || (options.newHead && name.startsWith('fc.'))) ignored.push(name);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 6).join('\n  ');
    const more = problems.length > 6 ? `\n  … and ${problems.length - 6} more` : '';
    throw new LabError('bad-data', `${file.source} does not fit this ResNet-18 (torchvision layout):\n  ${shown}${more}`);
  }

  tf.tidy(() => {
    for (const { spec, variable, permutation } of toLoad) {
      const entry = file.entry(spec.key)!;
      let value: TF.Tensor = tf.tensor(file.float32(spec.key), entry.shape, 'float32');
      if (!sameShape(entry.shape, spec.shape)) value = tf.sum(value, 1, true); // greyFromRgb, checked above
      variable.write(permutation ? tf.transpose(value, permutation) : value);
    }
  });
  return { loaded: toLoad.map((m) => m.spec.key), ignored };
}

/** A model saved through nn.DataParallel (or a wrapper module) has every name prefixed; say so once. */
function assertNoWrapperPrefix(file: SafetensorsFile, known: ReadonlySet<string>): void {
  const prefixed = file.names().find((name) => /^(module|model)\./.test(name) && known.has(name.slice(name.indexOf('.') + 1)));
  if (prefixed === undefined) return;
  const prefix = prefixed.slice(0, prefixed.indexOf('.') + 1);
  throw new LabError(
    'bad-data',
    `${file.source}: tensor names such as "${prefixed}" start with "${prefix}" (saved from a wrapped model, e.g. nn.DataParallel); remove that prefix from every name, e.g. {k.removeprefix("${prefix}"): v for k, v in state.items()}`,
  );
}

function layerMappings(layer: TF.layers.Layer): Mapping[] {
  const byRole = new Map(layer.weights.map((w) => [w.originalName.split('/').pop()!, w]));
  const take = (role: string): TF.LayerVariable => {
    const variable = byRole.get(role);
    if (!variable) throw new Error(`layer ${layer.name} has no "${role}" weight; it was not built by createResNet18`);
    return variable;
  };
  const float = (suffix: string, shape: number[]): TorchTensorSpec => ({ key: `${layer.name}.${suffix}`, shape, dtype: 'float32' });
  switch (layer.getClassName()) {
    case 'Conv2D': {
      // tfjs kernels are [kh, kw, in, out]; torch's are [out, in, kh, kw].
      const kernel = take('kernel');
      const [kh, kw, cin, cout] = kernel.shape as number[];
      const weight: Mapping = { spec: float('weight', [cout!, cin!, kh!, kw!]), variable: kernel, permutation: [2, 3, 1, 0] };
      // ResNet-18's convolutions have no bias; the U-Net's 1×1 head does.
      return byRole.has('bias') ? [weight, { spec: float('bias', [cout!]), variable: take('bias') }] : [weight];
    }
    case 'Dense': {
      // tfjs computes x·K with K [in, out]; torch computes x·Wᵀ with W [out, in].
      const kernel = take('kernel');
      const bias = take('bias');
      const [cin, cout] = kernel.shape as number[];
      return [
        { spec: float('weight', [cout!, cin!]), variable: kernel, permutation: [1, 0] },
        { spec: float('bias', [cout!]), variable: bias },
      ];
    }
    case 'BatchNormalization': {
      const n = take('gamma').shape[0]!;
      return [
        { spec: float('weight', [n]), variable: take('gamma') },
        { spec: float('bias', [n]), variable: take('beta') },
        { spec: float('running_mean', [n]), variable: take('moving_mean') },
        { spec: float('running_var', [n]), variable: take('moving_variance') },
      ];
    }
    default:
      if (layer.weights.length > 0) throw new Error(`layer ${layer.name} (${layer.getClassName()}) has no torchvision equivalent`);
      return [];
  }
}

function isRgbToGrey(key: string, actual: number[], expected: number[]): boolean {
  return key === 'conv1.weight' && actual.length === 4 && expected[1] === 1 && actual[1] === 3 && sameShape([actual[0]!, 1, actual[2]!, actual[3]!], expected);
}

function shapeProblem(key: string, actual: number[], expected: number[]): string {
  const what = `tensor "${key}" has shape ${fmt(actual)}, expected ${fmt(expected)}`;
  if (isRgbToGrey(key, actual, expected)) {
    return `${what}: the file's first convolution takes RGB and the model 1 channel; load with greyFromRgb to sum the colour filters`;
  }
  if (key.startsWith('fc.')) {
    return `${what}: the file's head has ${actual[0]} classes and the model ${expected[0]}; load with newHead to train a new head, or build the model with ${actual[0]} classes`;
  }
  return `${what}: this is not a torchvision ResNet-18 of the same structure (conv weights are [out, in, kh, kw]); use a resnet18 state dict`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
