/** Line chart of the network's training loss per epoch. */
import type { TopLevelSpec } from 'vega-lite';
import type { RegressionMetrics } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { labelsOf } from './labels';
import { chooseScale } from './scale';
import { accents, themeConfig, type ChartTheme } from './theme';

export function learningCurveChart(metrics: RegressionMetrics, theme: ChartTheme): ChartSpec {
  const labels = labelsOf(metrics);
  const points = metrics.networkCurve.map((p) => ({
    model: labels.distinctModel(p.model),
    epoch: p.epoch,
    loss: p.loss,
  }));
  const models = [...new Set(points.map((p) => p.model))];
  // A well-tuned run's loss falls by orders of magnitude and a linear axis would hide everything after the
  // first few epochs; the course's slow run falls only a little and reads better on a linear axis.
  const scale = chooseScale(points.map((p) => [p.loss]));

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Mean training loss of the network per epoch',
    config: themeConfig(theme),
    width: 560,
    height: 260,
    data: { values: points },
    mark: { type: 'line', point: points.length <= 60, tooltip: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'loss',
        type: 'quantitative',
        // Kept short: Node estimates text widths, and a long rotated title would pad the chart's top.
        title: `Training loss (${metrics.units}²${scale === 'log' ? ', log' : ''})`,
        scale: scale === 'log' ? { type: 'log' } : { zero: true },
      },
      color: {
        field: 'model',
        type: 'nominal',
        title: 'Network',
        scale: { domain: models, range: accents(theme, models.length) },
        legend: { orient: 'bottom', direction: 'horizontal' },
      },
      tooltip: [
        { field: 'model', type: 'nominal', title: 'Network' },
        { field: 'epoch', type: 'quantitative', title: 'Epoch' },
        { field: 'loss', type: 'quantitative', title: 'Loss', format: '.4~g' },
      ],
    },
  };

  return {
    id: 'learning-curve',
    title: 'Network learning curve',
    description:
      'The network\'s mean squared error on its training rows after each epoch, on the first split. A ' +
      'curve still falling steeply at the last epoch means training stopped before the network had learnt ' +
      'what it could.',
    spec,
  };
}
