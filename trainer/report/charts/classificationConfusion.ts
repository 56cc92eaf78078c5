/** The test split's confusion matrix of each experiment, side by side: rows are true classes, columns predictions. */
import type { TopLevelSpec } from 'vega-lite';
import type { ClassificationMetrics, ExperimentResult } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { themeConfig, type ChartTheme } from './theme';

/** One cell of an experiment's confusion matrix, as the chart, the webview's matrix and the report read it. */
export interface ConfusionCell {
  trueClass: number;
  predictedClass: number;
  truth: string;
  predicted: string;
  count: number;
  /** Share of the true class, so a rare class's row is as readable as a common one's. */
  share: number;
  /** The test rows the metrics kept for this cell (at most a few, none on the diagonal). */
  testIndices: number[];
}

/** The cells row by row: `cells[true][predicted]`. */
export function confusionCells(classes: readonly string[], experiment: Pick<ExperimentResult, 'confusion' | 'misclassified'>): ConfusionCell[][] {
  const kept = new Map(experiment.misclassified.map((m) => [`${m.trueClass},${m.predicted}`, m.testIndices]));
  return experiment.confusion.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => ({
      trueClass: t,
      predictedClass: p,
      truth: classes[t] ?? String(t),
      predicted: classes[p] ?? String(p),
      count,
      share: total > 0 ? count / total : 0,
      testIndices: kept.get(`${t},${p}`) ?? [],
    }));
  });
}

/** What a screen reader says for a cell, e.g. "true adipose, predicted debris: 12 images". */
export function describeCell(cell: Pick<ConfusionCell, 'truth' | 'predicted' | 'count'>): string {
  return `true ${cell.truth}, predicted ${cell.predicted}: ${cell.count} ${cell.count === 1 ? 'image' : 'images'}`;
}

export function confusionChart(metrics: ClassificationMetrics, theme: ChartTheme): ChartSpec {
  const classes = metrics.classes;
  const cells = metrics.experiments.flatMap((e) =>
    confusionCells(classes, e)
      .flat()
      // The letter only: full titles side by side would overlap above matrices a few cells wide.
      .map(({ truth, predicted, count, share }) => ({ experiment: `Experiment ${e.name}`, truth, predicted, count, share })),
  );
  const step = classes.length > 4 ? 22 : 40;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Confusion matrices on the test split',
    config: themeConfig(theme),
    data: { values: cells },
    facet: { column: { field: 'experiment', type: 'nominal', title: null, sort: metrics.experiments.map((e) => `Experiment ${e.name}`), header: { labelLimit: 0 } } },
    spec: {
      width: { step },
      height: { step },
      encoding: {
        x: { field: 'predicted', type: 'nominal', sort: classes, title: 'Predicted', axis: { labelAngle: -50 } },
        y: { field: 'truth', type: 'nominal', sort: classes, title: 'True class' },
      },
      layer: [
        {
          mark: { type: 'rect', tooltip: true },
          encoding: {
            color: { field: 'share', type: 'quantitative', title: 'Share of row', scale: { scheme: 'blues', domain: [0, 1] }, legend: { format: '.0%', gradientLength: 140 } },
            tooltip: [
              { field: 'truth', type: 'nominal', title: 'True class' },
              { field: 'predicted', type: 'nominal', title: 'Predicted' },
              { field: 'count', type: 'quantitative', title: 'Images' },
              { field: 'share', type: 'quantitative', title: 'Share of the true class', format: '.1%' },
            ],
          },
        },
        {
          mark: { type: 'text', fontSize: classes.length > 4 ? 8 : 12 },
          encoding: {
            text: { field: 'count', type: 'quantitative' },
            color: { condition: { test: 'datum.share > 0.5', value: theme.background }, value: theme.foreground },
          },
        },
      ],
    },
    resolve: { scale: { color: 'shared' } },
  };
  return {
    id: 'confusion',
    title: 'Confusion matrices (test split)',
    description:
      'Each row is a true class and each column the class predicted, with the number of test images in each cell; ' +
      'the shade is the share of the row. A perfect classifier fills only the diagonal; a dark cell off it is a ' +
      'confusion the network makes often.',
    spec,
  };
}
