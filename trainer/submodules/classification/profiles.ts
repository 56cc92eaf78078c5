import type { Profile } from '../../../protocol/messages';

export interface ClassificationProfile {
  readonly epochs: number;
  /** Training images per epoch: a stratified subset of the training split, or all of it when undefined. */
  readonly trainImages: number | undefined;
}

/** The paper's optimiser, the same for every experiment and profile. */
export const TRAINING = { optimizer: 'SGD', learningRate: 0.001, momentum: 0.9, batchSize: 128 } as const;

/**
 * `full` is the paper's setting. `quick` is sized so one experiment that trains every layer finishes in about
 * seven minutes on a 2-core machine on the wasm backend, leaving room under ten when the machine is busy.
 * Measured there (other jobs running): a training step of batch 128 took 2.2–2.7 s, a head-only step
 * 0.35–0.45 s, and scoring ~2.9 ms per image (PathMNIST's validation split ≈ 29 s, test ≈ 21 s). Three epochs
 * of 40 batches (5,120 images): 120 × 2.6 s + 3 × 29 s + 21 s ≈ 7 min; the head-only experiment ≈ 3 min.
 * Three epochs rather than two give each validation curve a shape; validation and test stay whole.
 */
export const CLASSIFICATION_PROFILES: Readonly<Record<Profile, ClassificationProfile>> = {
  quick: { epochs: 3, trainImages: 40 * TRAINING.batchSize },
  full: { epochs: 5, trainImages: undefined },
};
