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

/** One line per submodule: adding one means adding its folder and a line here. */
export const SUBMODULE_RUNNERS: Partial<Record<SubmoduleId, SubmoduleRunner>> = {
  regression: runRegression,
  classification: runClassification,
};
