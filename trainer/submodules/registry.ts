import type { SubmoduleId } from '../../protocol/messages';
import type { RunContext } from '../run/runContext';
import { runRegression, type RegressionRunOutput } from './regression/run';

export type SubmoduleRunner = (ctx: RunContext) => Promise<RegressionRunOutput>;

/** One line per submodule: adding one means adding its folder and a line here. */
export const SUBMODULE_RUNNERS: Partial<Record<SubmoduleId, SubmoduleRunner>> = {
  regression: runRegression,
};
