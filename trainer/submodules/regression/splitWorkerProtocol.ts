import type { BackendName, ErrorCode, ProblemLocation, Profile } from '../../../protocol/messages';
import type { ModelError, SplitOutcome } from './splitJob';

/** Messages between the regression run and its split workers (worker_threads, same process). */
export interface SplitWorkerInit {
  dataFile: string;
  learnerFile?: string;
  backend: BackendName;
  wasmDir: string;
  nativeSearchPaths: string[];
  seed: number;
  profile: Profile;
}

export type ToWorker = { type: 'split'; index: number; train: number[]; test: number[] } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'model'; index: number; error: ModelError }
  | { type: 'epoch'; index: number; model: string; epoch: number }
  | { type: 'done'; outcome: SplitOutcome }
  | { type: 'failed'; code: ErrorCode; message: string; location?: ProblemLocation };
