/**
 * The Classification challenge's data: BreastMNIST, small enough that a learner's classifier trains in
 * seconds while grading, and imbalanced enough (about 27 % malignant) that a class-weighted loss matters.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MedmnistFlag } from '../../data/medmnist/catalog';
import { ensureMedmnist } from '../../data/medmnist/ensure';

export const CHALLENGE_DATASET: MedmnistFlag = 'breastmnist';

/** `<dataDir>/breastmnist.npz` when it is there (read only); otherwise the catalog's file, downloaded once into the cache. */
export async function challengeDataFile(dataDir: string | undefined, cacheDir: string): Promise<string> {
  const local = dataDir ? join(dataDir, `${CHALLENGE_DATASET}.npz`) : undefined;
  if (local && existsSync(local)) return local;
  return ensureMedmnist(CHALLENGE_DATASET, 28, cacheDir);
}
