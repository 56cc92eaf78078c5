import type { RegressionMetrics } from '../../protocol/messages';
import { el } from '../shared/dom';

/** The numbers behind the box plots: mean ± standard deviation of MAE and RMSE per model, best first. */
export function resultsTable(metrics: RegressionMetrics): HTMLTableElement {
  const setLabels = new Map(metrics.featureSets.map((s) => [s.name, s.label]));
  const rows = [...metrics.models].sort((a, b) => a.mae.mean - b.mae.mean);
  const fmt = (x: number) => x.toFixed(4);
  return el(
    'table',
    { id: 'results-table', class: 'results-table' },
    el('caption', {}, `Test error over ${metrics.splits.count} random splits (${metrics.splits.trainRows} training / ${metrics.splits.testRows} test rows), in ${metrics.units}. Lower is better.`),
    el(
      'thead',
      {},
      el('tr', {}, el('th', { scope: 'col' }, 'Model'), el('th', { scope: 'col' }, 'Features'), el('th', { scope: 'col' }, 'MAE (mean ± sd)'), el('th', { scope: 'col' }, 'RMSE (mean ± sd)')),
    ),
    el(
      'tbody',
      {},
      ...rows.map((m) =>
        el(
          'tr',
          { 'data-model': m.name },
          el('th', { scope: 'row' }, m.label),
          el('td', {}, setLabels.get(m.featureSet) ?? m.featureSet),
          el('td', { class: 'num' }, `${fmt(m.mae.mean)} ± ${fmt(m.mae.sd)}`),
          el('td', { class: 'num' }, `${fmt(m.rmse.mean)} ± ${fmt(m.rmse.sd)}`),
        ),
      ),
    ),
  );
}
