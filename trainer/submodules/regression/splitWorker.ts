/**
 * A worker thread that runs regression splits. Each worker owns a TensorFlow.js engine and a copy of the
 * learner's module, so splits train side by side on separate cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../../backend/ladder';
import { LabError } from '../../core/labError';
import { loadLearnerModule } from '../../learner/loadLearnerModule';
import { baselineModels } from './baselines';
import { loadRegressionTable } from './dataset';
import { COURSE_NETWORK, exerciseFromModule } from './exercise';
import { REGRESSION_PROFILES } from './profiles';
import { runSplit, type SplitEnvironment } from './splitJob';
import type { FromWorker, SplitWorkerInit, ToWorker } from './splitWorkerProtocol';

const port = parentPort!;
const init = workerData as SplitWorkerInit;
const post = (message: FromWorker): void => port.postMessage(message);

async function setUp(): Promise<SplitEnvironment> {
  // One compute thread per worker: the workers themselves already fill the cores.
  await selectBackend({ choice: init.backend, searchPaths: init.nativeSearchPaths, wasmDir: init.wasmDir, threads: 1 });
  return {
    table: loadRegressionTable(init.dataFile),
    exercise: init.learnerFile ? exerciseFromModule(await loadLearnerModule(init.learnerFile)) : COURSE_NETWORK,
    baselines: baselineModels(REGRESSION_PROFILES[init.profile].forest),
    seed: init.seed,
  };
}

function fail(err: unknown): void {
  const e = LabError.is(err) ? err : new LabError('internal', `split worker: ${(err as Error).stack ?? String(err)}`);
  post({ type: 'failed', code: e.code, message: e.message, ...(e.location ? { location: e.location } : {}) });
}

setUp().then(
  (env) => {
    post({ type: 'ready' });
    port.on('message', (message: ToWorker) => {
      if (message.type === 'stop') {
        port.close();
        return;
      }
      const { index } = message;
      runSplit(env, index, { train: message.train, test: message.test }, {
        onModel: (error) => post({ type: 'model', index, error }),
        onEpoch: (model, epoch) => post({ type: 'epoch', index, model, epoch }),
        throwIfCancelled: () => undefined,
      }).then((outcome) => post({ type: 'done', outcome }), fail);
    });
  },
  fail,
);
