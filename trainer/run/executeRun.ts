import type { ParamsOf, StartRunParams, TrainerToHostMethod } from '../../protocol/messages';
import { selectBackend } from '../backend/ladder';
import { diskFullError, LabError } from '../core/labError';
import { SUBMODULE_RUNNERS } from '../submodules/registry';
import { nativeSearchPaths, wasmDir } from './paths';
import type { CancellationFlag } from './runContext';

export type Emit = <M extends TrainerToHostMethod>(method: M, params: ParamsOf<M>) => void;

/**
 * Runs one request start to finish and reports through `emit`. Never throws: every failure becomes one
 * `run/error` message, so the caller (trainer process or CLI) stays healthy for the next run.
 */
export async function executeRun(params: StartRunParams, emit: Emit, cancellation: CancellationFlag): Promise<boolean> {
  try {
    const entry = SUBMODULE_RUNNERS[params.submodule];
    if (!entry) {
      throw new LabError('bad-request', `The ${params.submodule} submodule has no hands-on run yet; its walkthrough says what is coming.`);
    }
    const threads = entry.mainThreads ?? params.threads;
    const selected = await selectBackend({ choice: params.backend, searchPaths: nativeSearchPaths(), wasmDir: wasmDir(), ...(threads ? { threads } : {}) });
    emit('run/backend/select', { runId: params.runId, ...selected });
    const output = await entry.run({
      params,
      backend: selected.backend,
      backendVersion: selected.version,
      backendThreads: selected.threads,
      emit,
      isCancelled: () => cancellation.isCancelled,
    });
    emit('run/result', { runId: params.runId, outDir: params.outDir, ...output });
    return true;
  } catch (err) {
    const e = LabError.is(err) ? err : (diskFullError(err) ?? new LabError('internal', `Unexpected trainer error: ${(err as Error).stack ?? String(err)}`));
    emit('run/error', { runId: params.runId, code: e.code, message: e.message, ...(e.location ? { location: e.location } : {}) });
    return false;
  }
}

