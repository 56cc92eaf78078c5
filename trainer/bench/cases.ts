/**
 * What the benchmark times: one training step of each course network at the course's settings. The same
 * spec goes to the PyTorch side (scripts/reference/bench_torch.py), so both time the same work.
 */
export type BenchModel = 'resnet18' | 'unet';

export interface BenchCase {
  /** Derived from the spec, e.g. `resnet18-28-b128`, so a changed size or batch never hides behind a name. */
  readonly name: string;
  readonly model: BenchModel;
  /** Square input side in pixels. */
  readonly size: number;
  readonly batch: number;
  readonly channels: number;
  readonly classes: number;
  /** U-Net only: filters of the first level. */
  readonly base?: number;
  readonly optimizer: 'sgd-momentum' | 'adam';
  readonly learningRate: number;
}

type Spec = Omit<BenchCase, 'name'>;

/** Classification (REFERENCE §1): PathMNIST 28×28 RGB, 9 classes, SGD lr 0.001 momentum 0.9, batch 128. */
const RESNET18: Spec = { model: 'resnet18', size: 28, batch: 128, channels: 3, classes: 9, optimizer: 'sgd-momentum', learningRate: 0.001 };
/** Segmentation (REFERENCE §3) at the lab's size: 128×128 RGB crops, 4 classes, base 32, Adam lr 0.001, batch 4. */
const UNET: Spec = { model: 'unet', size: 128, batch: 4, channels: 3, classes: 4, base: 32, optimizer: 'adam', learningRate: 0.001 };

export const BENCH_MODELS: readonly BenchModel[] = ['resnet18', 'unet'];

export function caseName(spec: Spec): string {
  return `${spec.model}-${spec.size}-b${spec.batch}`;
}

/** The course's case for a model, with its size and batch optionally changed (smaller cases for tests). */
export function benchCase(model: BenchModel, overrides: { size?: number; batch?: number } = {}): BenchCase {
  const spec = { ...(model === 'resnet18' ? RESNET18 : UNET), ...overrides };
  return { name: caseName(spec), ...spec };
}

/** `--case` accepts a model name or a default case's full name. */
export function resolveCaseName(text: string): BenchModel | undefined {
  return BENCH_MODELS.find((m) => m === text || benchCase(m).name === text);
}
