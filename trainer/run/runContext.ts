import type { BackendName, ParamsOf, StartRunParams, TrainerToHostMethod } from '../../protocol/messages';

/** What a submodule's run needs from whoever started it (the trainer process or the CLI). */
export interface RunContext {
  readonly params: StartRunParams;
  readonly backend: BackendName;
  readonly backendVersion: string;
  /** Threads the backend computes with (null: a native build's own pool), for the run record. */
  readonly backendThreads: number | null;
  emit<M extends TrainerToHostMethod>(method: M, params: ParamsOf<M>): void;
  /** True once cancellation was asked for; long work polls it and stops with a `cancelled` LabError. */
  isCancelled(): boolean;
}

export class CancellationFlag {
  private requested = false;

  cancel(): void {
    this.requested = true;
  }

  get isCancelled(): boolean {
    return this.requested;
  }
}
