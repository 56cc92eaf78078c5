import type { LabCommand } from './types';

/** Opens the results panel; it shows the current run live, or the last run's results. */
export const showResults: LabCommand = (c) => c.results.show();
