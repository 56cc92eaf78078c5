import { LabError } from '../../core/labError';
import { npyToInt32, type NpyArray } from '../npy';
import { NpzReader } from '../npz';
import { MEDMNIST, MEDMNIST_SPLITS, type MedmnistFlag, type MedmnistSize, type MedmnistSplit, type MedmnistTask } from './catalog';
import { publishedFile } from './published';

/** One split of a MedMNIST dataset, as the files store it. */
export interface MedmnistSplitData {
  /** Pixels 0–255, row-major count×height×width×channels (channels last); a view of the file's bytes, not a copy. */
  readonly images: Uint8Array;
  /**
   * Row-major count×labelColumns. Single-label tasks have one column holding the class index (0-based);
   * the multi-label task has one 0/1 column per finding. Int32 because every MedMNIST label fits and
   * TensorFlow.js takes int32 class indices as they are.
   */
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly labelColumns: number;
}

export interface MedmnistDataset {
  readonly name: string;
  readonly task: MedmnistTask;
  readonly labelNames: readonly string[];
  readonly splits: Readonly<Record<MedmnistSplit, MedmnistSplitData>>;
}

/** What a file must hold to be accepted; `samples` left out means split sizes are not checked. */
export interface MedmnistExpectation {
  /** Names the dataset in messages, e.g. "pathmnist (28×28)". */
  readonly name: string;
  readonly task: MedmnistTask;
  readonly labelNames: readonly string[];
  readonly channels: 1 | 3;
  readonly size: number;
  readonly samples?: Readonly<Record<MedmnistSplit, number>>;
}

/** The catalog's description of one published file, which is what the loader holds a file to. */
export function expectationFor(flag: MedmnistFlag, size: MedmnistSize): MedmnistExpectation {
  const info = MEDMNIST[flag];
  if (info.dimensions !== 2) {
    throw new LabError('bad-request', `${flag} holds 3D volumes; the lab reads only the 2D MedMNIST datasets.`);
  }
  publishedFile(flag, size); // refuses a size MedMNIST does not publish, before the file is opened
  return { name: `${flag} (${size}×${size})`, task: info.task, labelNames: info.labels, channels: info.channels, size, samples: info.samples };
}

/** Loads all three splits of a published MedMNIST file and checks them against the catalog. */
export async function loadMedmnist(file: string, flag: MedmnistFlag, size: MedmnistSize = 28): Promise<MedmnistDataset> {
  return readMedmnistNpz(file, expectationFor(flag, size));
}

/** Loads only one split (e.g. the test split for an evaluation), reading nothing else from the file. */
export async function loadMedmnistSplit(file: string, flag: MedmnistFlag, size: MedmnistSize, split: MedmnistSplit): Promise<MedmnistSplitData> {
  const npz = await NpzReader.open(file);
  try {
    return await readSplit(npz, expectationFor(flag, size), split);
  } finally {
    await npz.close();
  }
}

/** Loads a MedMNIST-format .npz (e.g. a subset or a course fixture) against an explicit expectation. */
export async function readMedmnistNpz(file: string, expect: MedmnistExpectation): Promise<MedmnistDataset> {
  const npz = await NpzReader.open(file);
  try {
    const splits = {} as Record<MedmnistSplit, MedmnistSplitData>;
    // One split at a time, so at most one member's compressed stream is open.
    for (const split of MEDMNIST_SPLITS) splits[split] = await readSplit(npz, expect, split);
    return { name: expect.name, task: expect.task, labelNames: expect.labelNames, splits };
  } finally {
    await npz.close();
  }
}

async function readSplit(npz: NpzReader, expect: MedmnistExpectation, split: MedmnistSplit): Promise<MedmnistSplitData> {
  const imagesName = `${split}_images.npy`;
  const labelsName = `${split}_labels.npy`;
  const fail = (what: string, fix = 'Delete the file and download it again.'): LabError =>
    new LabError('bad-data', `${npz.file}: ${what}. ${fix}`);

  const imagesArray = await npz.array(`${split}_images`);
  const { count, height, width, channels } = imageShape(imagesArray, imagesName, fail);
  if (height !== expect.size || width !== expect.size) {
    throw fail(`${imagesName} holds ${height}×${width} images but ${expect.name} has ${expect.size}×${expect.size}`, 'Is this the file of another image size?');
  }
  if (channels !== expect.channels) {
    throw fail(`${imagesName} has ${channels} channel(s) per pixel but ${expect.name} has ${expect.channels}`, 'Is this the file of another dataset?');
  }
  const expectedCount = expect.samples?.[split];
  if (expectedCount !== undefined && count !== expectedCount) {
    throw fail(`${imagesName} has ${count} images but the MedMNIST catalog lists ${expectedCount} for the ${split} split of ${expect.name}`);
  }

  const labelsArray = await npz.array(`${split}_labels`);
  const multiLabel = expect.task === 'multi-label, binary-class';
  const labelColumns = multiLabel ? expect.labelNames.length : 1;
  const [rows, columns = 1, ...rest] = labelsArray.shape;
  if (rows === undefined || rest.length > 0) {
    throw fail(`${labelsName} has shape (${labelsArray.shape.join(', ')}); labels are N×${labelColumns}`);
  }
  if (rows !== count) throw fail(`${labelsName} has ${rows} rows but ${imagesName} has ${count}`);
  if (columns !== labelColumns) {
    throw fail(`${labelsName} has ${columns} column(s) but ${expect.name} has ${labelColumns} (${multiLabel ? 'one per finding' : 'the class index'})`);
  }
  const labels = npyToInt32(labelsArray, `${npz.file}, entry ${labelsName}`);
  const highest = multiLabel ? 1 : expect.labelNames.length - 1;
  const outside = labels.findIndex((v) => v < 0 || v > highest);
  if (outside >= 0) {
    throw fail(
      `row ${Math.floor(outside / labelColumns)} of ${labelsName} holds label ${labels[outside]}, outside 0–${highest} for ${expect.name}`,
      'The labels do not belong to this dataset: delete the file and download it again.',
    );
  }
  return { images: imagesArray.data, labels, count, height, width, channels, labelColumns };
}

function imageShape(array: NpyArray, entry: string, fail: (what: string) => LabError): Omit<MedmnistSplitData, 'images' | 'labels' | 'labelColumns'> {
  if (array.dtype !== 'uint8') throw fail(`${entry} has dtype ${array.descr}; MedMNIST images are uint8 (|u1)`);
  const [count, height, width, channels = 1, ...rest] = array.shape;
  if (count === undefined || height === undefined || width === undefined || rest.length > 0 || (channels !== 1 && channels !== 3)) {
    throw fail(`${entry} has shape (${array.shape.join(', ')}); MedMNIST images are N×H×W or N×H×W×3`);
  }
  return { count, height, width, channels };
}
