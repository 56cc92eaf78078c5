import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { LabError } from '../../core/labError';
import type { Split } from '../../core/splits';
import type { ModelError, SplitOutcome } from './splitJob';
import type { FromWorker, SplitWorkerInit, ToWorker } from './splitWorkerProtocol';

export interface SplitPoolHooks {
  onModel(index: number, error: ModelError): void;
  onEpoch(index: number, model: string, epoch: number): void;
  /** When a split is done, with its wall time from hand-out to result (for the run record). */
  onSplit?(index: number, seconds: number): void;
  /** Polled while waiting; returning true terminates every worker at once. */
  isCancelled(): boolean;
}

/** The worker's entry: the bundled file in dist/, or the TypeScript source when running under tsx (tests). */
function workerEntry(): { file: string; execArgv: string[] } {
  return __filename.endsWith('.ts')
    ? { file: join(__dirname, 'splitWorker.ts'), execArgv: ['--import', 'tsx'] }
    : { file: join(__dirname, 'regression-worker.js'), execArgv: [] };
}

/**
 * Runs the splits on `workers` threads, handing the next split to whichever worker finishes first. Results
 * are returned in split order whatever order they finish in, so a run does not depend on the worker count.
 */
export function runSplitsInPool(init: SplitWorkerInit, splits: readonly Split[], workers: number, hooks: SplitPoolHooks): Promise<SplitOutcome[]> {
  const { file, execArgv } = workerEntry();
  const outcomes: SplitOutcome[] = new Array(splits.length);
  let next = 0;
  let finished = 0;
  const pool: Worker[] = [];
  const busy = new Set<Worker>();
  const handedOut = new Map<number, number>();

  return new Promise<SplitOutcome[]>((resolve, reject) => {
    let settled = false;
    const stopAll = (): void => {
      clearInterval(watch);
      for (const w of pool) void w.terminate();
    };
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      stopAll();
      if (err) reject(err);
      else resolve(outcomes);
    };
    const watch = setInterval(() => {
      if (hooks.isCancelled()) settle(new LabError('cancelled', 'The run was cancelled; nothing was written.'));
    }, 50);
    const feed = (w: Worker): void => {
      if (next >= splits.length) {
        w.postMessage({ type: 'stop' } satisfies ToWorker);
        return;
      }
      busy.add(w);
      const index = next++;
      const split = splits[index]!;
      handedOut.set(index, performance.now());
      w.postMessage({ type: 'split', index, train: [...split.train], test: [...split.test] } satisfies ToWorker);
    };

    for (let i = 0; i < Math.max(1, Math.min(workers, splits.length)); i++) {
      const w = new Worker(file, { workerData: init, execArgv });
      pool.push(w);
      w.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            feed(w);
            break;
          case 'model':
            hooks.onModel(message.index, message.error);
            break;
          case 'epoch':
            hooks.onEpoch(message.index, message.model, message.epoch);
            break;
          case 'done':
            busy.delete(w);
            outcomes[message.outcome.index] = message.outcome;
            hooks.onSplit?.(message.outcome.index, (performance.now() - handedOut.get(message.outcome.index)!) / 1000);
            finished++;
            if (finished === splits.length) settle();
            else feed(w);
            break;
          case 'failed':
            settle(new LabError(message.code, message.message, message.location));
            break;
        }
      });
      w.on('error', (err) => settle(new LabError('internal', `a split worker crashed: ${err.message}`)));
      w.on('exit', (code) => {
        // Learner code can end its thread (process.exit) in the middle of a split: that is a failure even
        // with exit code 0, or the run would wait for the split forever.
        if (!settled && (code !== 0 || busy.has(w))) {
          settle(new LabError('learner-runtime', `training stopped: a split worker exited with code ${code} in the middle of a split (does your file call process.exit?)`));
        }
      });
    }
  });
}
