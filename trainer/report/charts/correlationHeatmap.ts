/** Heat map of the Pearson correlation between every pair of features. */
import type { TopLevelSpec } from 'vega-lite';
import type { RegressionMetrics } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { themeConfig, type ChartTheme } from './theme';

export function correlationHeatmap(metrics: RegressionMetrics, theme: ChartTheme): ChartSpec {
  const { features, matrix } = metrics.correlation;
  const cells = features.flatMap((row, i) =>
    features.map((column, j) => ({ row, column, r: matrix[i]?.[j] ?? 0 })),
  );

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Pearson correlation between each pair of ${features.length} features`,
    config: themeConfig(theme),
    width: { step: 14 },
    height: { step: 14 },
    data: { values: cells },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: { field: 'column', type: 'nominal', sort: features, title: null, axis: { labelAngle: -60 } },
      y: { field: 'row', type: 'nominal', sort: features, title: null },
      color: {
        field: 'r',
        type: 'quantitative',
        title: 'Correlation r',
        // A diverging scheme pinned to -1..1 puts "no correlation" at the neutral midpoint whatever the data;
        // blue-orange stays distinguishable for red-green colour blindness.
        scale: { scheme: 'blueorange', domain: [-1, 1] },
        legend: { gradientLength: 180 },
      },
      tooltip: [
        { field: 'row', type: 'nominal', title: 'Feature' },
        { field: 'column', type: 'nominal', title: 'with' },
        { field: 'r', type: 'quantitative', title: 'r', format: '.2f' },
      ],
    },
  };

  return {
    id: 'correlation',
    title: 'Correlation between features',
    description:
      'Each cell is the Pearson correlation between two features, from −1 (blue: one rises as the other ' +
      'falls) through 0 (pale: no linear relation) to +1 (orange: they rise together). Blocks of orange ' +
      'cells are features that carry nearly the same information.',
    spec,
  };
}
