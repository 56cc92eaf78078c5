/** Per-epoch lines of the three experiments: validation accuracy (the paper's plot) and training loss. */
import type { TopLevelSpec } from 'vega-lite';
import type { ClassificationMetrics } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { experimentColours, experimentTitle } from './classificationLabels';
import { themeConfig, type ChartTheme } from './theme';

type Measure = 'valAcc' | 'trainLoss';

const MEASURES: Record<Measure, { id: string; title: string; axis: string; description: string }> = {
  valAcc: {
    id: 'validation-accuracy',
    title: 'Validation accuracy per epoch',
    axis: 'Validation accuracy',
    description:
      'Accuracy on the whole validation split after each epoch, one line per experiment. A line that is still ' +
      'rising at the last epoch had more to learn; a line far below the others is held back by what it may not change.',
  },
  trainLoss: {
    id: 'training-loss',
    title: 'Training loss per epoch',
    axis: 'Mean cross-entropy',
    description:
      'Mean cross-entropy over the training images of each epoch. It is measured while the weights change, so ' +
      'it lags the network at the end of the epoch; compare its trend, not single points, with the validation curve.',
  },
};

export function epochCurveChart(metrics: ClassificationMetrics, measure: Measure, theme: ChartTheme): ChartSpec {
  const m = MEASURES[measure];
  const points = metrics.experiments.flatMap((e) =>
    e.epochs.map((r) => ({ experiment: experimentTitle(e), epoch: r.epoch, value: measure === 'valAcc' ? r.val.acc : r.trainLoss })),
  );
  const { domain, range } = experimentColours(metrics, theme);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: m.title,
    config: themeConfig(theme),
    width: 560,
    height: 260,
    data: { values: points },
    mark: { type: 'line', point: true, tooltip: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: m.axis,
        ...(measure === 'valAcc' ? { scale: { domain: [0, 1] }, axis: { format: '.0%' } } : { scale: { zero: true } }),
      },
      color: { field: 'experiment', type: 'nominal', title: 'Experiment', scale: { domain, range }, legend: { orient: 'bottom', direction: 'vertical' } },
      tooltip: [
        { field: 'experiment', type: 'nominal', title: 'Experiment' },
        { field: 'epoch', type: 'quantitative', title: 'Epoch' },
        { field: 'value', type: 'quantitative', title: m.axis, format: measure === 'valAcc' ? '.1%' : '.4f' },
      ],
    },
  };
  return { id: m.id, title: m.title, description: m.description, spec };
}
