import * as vscode from 'vscode';
import { BACKEND_CHOICES, PROFILES, type BackendChoice, type Profile } from '../protocol/messages';

/** The `biomedLab.*` settings, read fresh for every run so a change applies without a reload. */
export interface LabSettings {
  /** Absolute dataset cache folder, or undefined for the extension's global storage. */
  dataDirectory: string | undefined;
  backend: BackendChoice;
  trainerHost: 'local';
  seed: number;
  profile: Profile;
  /** Regression splits per run; undefined means the profile's own number. */
  splits: number | undefined;
  /** The MedMNIST flag the Classification lab trains on. */
  classificationDataset: ClassificationDataset;
  /** A local torchvision-layout ResNet-18 .safetensors file, or undefined to download (and cache) ImageNet's. */
  imagenetWeights: string | undefined;
}

/** The single-label 2D MedMNIST sets: one softmax over classes, which is what the three experiments compare. */
export const CLASSIFICATION_DATASETS = [
  'pathmnist', 'dermamnist', 'octmnist', 'pneumoniamnist', 'retinamnist', 'breastmnist', 'bloodmnist', 'tissuemnist', 'organamnist', 'organcmnist', 'organsmnist',
] as const;
export type ClassificationDataset = (typeof CLASSIFICATION_DATASETS)[number];

export function readSettings(): LabSettings {
  const c = vscode.workspace.getConfiguration('biomedLab');
  const backend = c.get<string>('backend', 'auto');
  const profile = c.get<string>('profile', 'quick');
  const seed = c.get<number>('seed', 42);
  const dataDirectory = c.get<string>('dataDirectory', '').trim();
  const splits = c.get<number>('splits', 0);
  const dataset = c.get<string>('classification.dataset', 'pathmnist');
  const weights = c.get<string>('imagenetWeights', '').trim();
  return {
    dataDirectory: dataDirectory === '' ? undefined : expandHome(dataDirectory),
    backend: oneOf(BACKEND_CHOICES, backend, 'auto'),
    trainerHost: 'local',
    seed: Number.isInteger(seed) ? seed : 42,
    profile: oneOf(PROFILES, profile, 'quick'),
    splits: Number.isInteger(splits) && splits > 0 ? splits : undefined,
    classificationDataset: oneOf(CLASSIFICATION_DATASETS, dataset, 'pathmnist'),
    imagenetWeights: weights === '' ? undefined : expandHome(weights),
  };
}

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function expandHome(path: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  return home && (path === '~' || path.startsWith('~/')) ? home + path.slice(1) : path;
}
