/** Test accuracy of each experiment as bars (the paper's summary plot), with the AUC printed beside it. */
import type { TopLevelSpec } from 'vega-lite';
import type { ClassificationMetrics } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { experimentColours, experimentTitle } from './classificationLabels';
import { themeConfig, type ChartTheme } from './theme';

export function testAccuracyChart(metrics: ClassificationMetrics, theme: ChartTheme): ChartSpec {
  const rows = metrics.experiments.map((e) => ({
    experiment: experimentTitle(e),
    acc: e.test.acc,
    auc: e.test.auc,
    text: `${(e.test.acc * 100).toFixed(1)} % · AUC ${e.test.auc.toFixed(3)}`,
  }));
  const { domain, range } = experimentColours(metrics, theme);
  const y = { field: 'experiment', type: 'nominal', sort: domain, title: null } as const;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Test accuracy of each experiment',
    config: themeConfig(theme),
    width: 420,
    height: { step: 34 },
    data: { values: rows },
    encoding: {
      y,
      x: { field: 'acc', type: 'quantitative', title: 'Test accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
    },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          color: { field: 'experiment', type: 'nominal', scale: { domain, range }, legend: null },
          tooltip: [
            { field: 'experiment', type: 'nominal', title: 'Experiment' },
            { field: 'acc', type: 'quantitative', title: 'Test ACC', format: '.2%' },
            { field: 'auc', type: 'quantitative', title: 'Test AUC', format: '.3f' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4, color: theme.foreground }, encoding: { text: { field: 'text', type: 'nominal' } } },
    ],
  };
  return {
    id: 'test-accuracy',
    title: 'Test accuracy',
    description: `Accuracy on all ${metrics.data.classCounts.test.reduce((a, b) => a + b, 0)} test images, which no experiment saw while training or choosing anything; the AUC is printed beside each bar.`,
    spec,
  };
}
