import type { SubmoduleId, SubmoduleMetrics } from '../../protocol/messages';
import type { RunContext } from '../run/runContext';
import { runClassification } from './classification/run';
import { runRegression } from './regression/run';

/** What every submodule's run hands back: its validated metrics and where it wrote them. */
export interface SubmoduleRunOutput {
  metrics: SubmoduleMetrics;
  metricsPath: string;
  reportPath: string;
}

export type SubmoduleRunner = (ctx: RunContext) => Promise<SubmoduleRunOutput>;

export interface SubmoduleEntry {
  readonly run: SubmoduleRunner;
  /**
   * Compute threads for the run's own backend when the submodule trains elsewhere: Regression trains each
   * split in a worker thread with its own single-threaded engine, so a pool on the main thread would only cost
   * start-up time and memory. Absent: the run's thread setting (one per core by default).
   */
  readonly mainThreads?: number;
}

/** One line per submodule: adding one means adding its folder and a line here. */
export const SUBMODULE_RUNNERS: Partial<Record<SubmoduleId, SubmoduleEntry>> = {
  regression: { run: runRegression, mainThreads: 1 },
  classification: { run: runClassification },
};
