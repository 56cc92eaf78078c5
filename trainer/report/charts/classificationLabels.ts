/** Names and colours of the experiments, shared by every classification chart so A, B and C look alike everywhere. */
import type { ClassificationMetrics, ExperimentResult } from '../../../protocol/messages';
import { accents, type ChartTheme } from './theme';

export function experimentTitle(e: Pick<ExperimentResult, 'name' | 'label'>): string {
  return `${e.name}: ${e.label}`;
}

export function experimentColours(metrics: ClassificationMetrics, theme: ChartTheme): { domain: string[]; range: string[] } {
  const domain = metrics.experiments.map(experimentTitle);
  return { domain, range: accents(theme, domain.length) };
}
