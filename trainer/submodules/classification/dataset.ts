/**
 * Which MedMNIST file a run reads, and the training subset it trains on. A file named `<flag>.npz` in the
 * data folder wins (the course machines keep copies there; an instructor may put a smaller cut of the data
 * there); otherwise the catalog's file is downloaded into the cache and MD5-checked.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../../core/labError';
import { SeededRandom } from '../../core/random';
import { MEDMNIST, MEDMNIST_SPLITS, type MedmnistFlag, type MedmnistInfo } from '../../data/medmnist/catalog';
import { ensureMedmnist } from '../../data/medmnist/ensure';
import { expectationFor, readMedmnistNpz, type MedmnistDataset, type MedmnistSplitData } from '../../data/medmnist/load';

/** The course's dataset when none is named. */
export const DEFAULT_DATASET: MedmnistFlag = 'pathmnist';

/** The lab trains on the 28×28 files, the size the paper and the MedMNIST ResNet-18 (28) benchmark use. */
const IMAGE_SIZE = 28;

export interface ClassificationDataset {
  readonly flag: MedmnistFlag;
  readonly info: MedmnistInfo;
  readonly file: string;
  readonly data: MedmnistDataset;
  /** Differences from the catalog's split sizes, e.g. a course cut of the data; empty for a published file. */
  readonly notes: string[];
}

export function datasetFlag(name: string | undefined): MedmnistFlag {
  const flag = (name ?? DEFAULT_DATASET).toLowerCase();
  if (!Object.hasOwn(MEDMNIST, flag)) {
    throw new LabError('bad-request', `"${name}" is not a MedMNIST dataset; use one of ${Object.keys(MEDMNIST).join(', ')}.`);
  }
  const info = MEDMNIST[flag as MedmnistFlag];
  if (info.dimensions !== 2) throw new LabError('bad-request', `${flag} holds 3D volumes; the Classification lab trains a 2D ResNet-18.`);
  // One softmax over classes is what the three experiments compare; a multi-label set needs a sigmoid per finding.
  if (info.task === 'multi-label, binary-class') {
    throw new LabError('bad-request', `${flag} is multi-label (several findings per image); the Classification lab trains single-label datasets such as pathmnist or breastmnist.`);
  }
  return flag as MedmnistFlag;
}

export async function loadClassificationDataset(
  flag: MedmnistFlag,
  dataDir: string | undefined,
  cacheDir: string,
  onDownload: (bytes: number, total: number | undefined) => void,
): Promise<ClassificationDataset> {
  const info = MEDMNIST[flag];
  const expectation = expectationFor(flag, IMAGE_SIZE);
  const local = dataDir ? join(dataDir, `${flag}.npz`) : undefined;
  if (local && existsSync(local)) {
    // Shapes, channels and labels are held to the catalog; the split sizes may differ (a course cut), and are reported.
    const { samples, ...withoutCounts } = expectation;
    const data = await readMedmnistNpz(local, withoutCounts);
    const notes = MEDMNIST_SPLITS.filter((s) => data.splits[s].count !== samples?.[s]).map(
      (s) => `${local}: the ${s} split has ${data.splits[s].count} images; the published ${flag} has ${samples?.[s]}`,
    );
    return { flag, info, file: local, data, notes };
  }
  const file = await ensureMedmnist(flag, IMAGE_SIZE, cacheDir, { onProgress: onDownload });
  return { flag, info, file, data: await readMedmnistNpz(file, expectation), notes: [] };
}

/**
 * `size` training rows drawn per class in proportion to the class's share (largest remainders get the
 * leftover rows), so a small subset keeps the class balance of the full split. Sorted, so the subset is a
 * set and its order plays no part; the epochs shuffle it. All rows when `size` is undefined or not smaller.
 */
export function stratifiedSubset(labels: Int32Array, classes: number, size: number | undefined, seed: number): number[] {
  const n = labels.length;
  if (size === undefined || size >= n) return Array.from({ length: n }, (_, i) => i);
  const byClass = Array.from({ length: classes }, () => [] as number[]);
  labels.forEach((y, i) => byClass[y]!.push(i));
  const exact = byClass.map((rows) => (rows.length * size) / n);
  const take = exact.map(Math.floor);
  const leftover = size - take.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (let k = 0; k < leftover; k++) take[byRemainder[k]!.c]!++;
  const rng = new SeededRandom(seed);
  return byClass.flatMap((rows, c) => rng.permutation(rows.length).slice(0, take[c]).map((p) => rows[p]!)).sort((a, b) => a - b);
}

/**
 * w_c = N ÷ (K × n_c): rarer classes weigh more, and the weights average to 1 over the training images. The
 * Classification challenge's answer, and the weights the Augmentation challenge's grader trains with.
 */
export function balancedWeights(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => total / (counts.length * n));
}

/** Images per class in each split, in class order, for the report's table. */
export function classCounts(split: MedmnistSplitData, classes: number, rows?: readonly number[]): number[] {
  const counts = new Array<number>(classes).fill(0);
  if (rows) for (const i of rows) counts[split.labels[i]!]!++;
  else for (const y of split.labels) counts[y]!++;
  return counts;
}
