/**
 * The chart the results webview shows while a classification run trains: training loss and validation
 * accuracy of each experiment after every epoch, side by side, growing as the epochs finish. The final
 * charts (classificationCurves.ts) draw the same lines from metrics.json once the run is done.
 */
import type { TopLevelSpec } from 'vega-lite';
import { EXPERIMENT_NAMES } from '../../../protocol/messages';
import type { LiveEpochMetric } from '../../../protocol/webview';
import { LIVE_DATASET } from './liveRegression';
import { accents, themeConfig, type ChartTheme } from './theme';

const PANEL = { width: 260, height: 200 };

/**
 * The spec starts empty and reads only the named data source LIVE_DATASET, like the regression live chart;
 * the webview inserts the run's epoch rows (`EpochLiveRow` in protocol/webview.ts) as they arrive.
 */
export function liveClassificationSpec(theme: ChartTheme): TopLevelSpec {
  // Rows carry only the letter; the labels arrive with the metrics. Ordered as the final charts order them,
  // so an experiment keeps its colour when the live chart gives way to the final ones.
  const domain = EXPERIMENT_NAMES.map((n) => `Experiment ${n}`);
  const color = {
    field: 'experiment',
    type: 'nominal',
    title: null,
    scale: { domain, range: accents(theme, domain.length) },
    legend: { orient: 'top', direction: 'horizontal' },
  } as const;
  const x = { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1, format: 'd' } } as const;
  const panel = (metric: LiveEpochMetric, title: string, y: object, format: string) => ({
    ...PANEL,
    transform: [{ filter: { field: 'metric', equal: metric } }],
    mark: { type: 'line', point: true, tooltip: true, strokeWidth: 2 } as const,
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative' as const, title, ...y },
      color,
      tooltip: [
        { field: 'experiment', type: 'nominal' as const, title: 'Experiment' },
        { field: 'epoch', type: 'quantitative' as const, title: 'Epoch' },
        { field: 'value', type: 'quantitative' as const, title, format },
      ],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Training loss and validation accuracy of each experiment after every epoch, updated while training runs',
    config: themeConfig(theme),
    data: { name: LIVE_DATASET },
    transform: [{ calculate: "'Experiment ' + datum.model", as: 'experiment' }],
    hconcat: [
      panel('trainLoss', 'Training loss', { scale: { zero: true } }, '.4f'),
      panel('valAcc', 'Validation accuracy', { scale: { domain: [0, 1] }, axis: { format: '.0%' } }, '.1%'),
    ],
  };
}
