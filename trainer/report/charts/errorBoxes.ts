/** Box plots of each model's error across the random train/test splits. */
import type { TopLevelSpec } from 'vega-lite';
import type { RegressionMetrics } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { labelsOf } from './labels';
import { chooseScale } from './scale';
import { accents, themeConfig, type ChartTheme } from './theme';

export type ErrorMetric = 'mae' | 'rmse';

const NAMES: Record<ErrorMetric, { short: string; long: string }> = {
  mae: { short: 'MAE', long: 'mean absolute error' },
  rmse: { short: 'RMSE', long: 'root mean squared error' },
};

export function errorBoxChart(metrics: RegressionMetrics, metric: ErrorMetric, theme: ChartTheme): ChartSpec {
  const labels = labelsOf(metrics);
  const { short, long } = NAMES[metric];
  const rows = metrics.models.flatMap((m) =>
    m.perSplit[metric].map((value, i) => ({
      model: m.label,
      featureSet: labels.featureSet(m.featureSet),
      split: i + 1,
      value,
    })),
  );
  const modelOrder = [...new Set(metrics.models.map((m) => m.label))];
  // One shared axis keeps every model comparable with every other. The course network's errors are tens of
  // times the baselines', so on a linear axis the baselines' boxes collapse onto zero; a log axis keeps all
  // boxes readable and shows the ratio between models as a distance. Quartiles and whiskers are order
  // statistics, so the boxes themselves mean the same on either axis.
  const scale = chooseScale(metrics.models.map((m) => m.perSplit[metric]));
  const axisTitle = `${short} per split (${metrics.units}${scale === 'log' ? ', log scale' : ''})`;

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${short} of each model on each of ${metrics.splits.count} random train/test splits`,
    config: themeConfig(theme),
    width: 560,
    height: { step: 16 },
    data: { values: rows },
    mark: { type: 'boxplot', extent: 1.5, size: 12 },
    encoding: {
      y: { field: 'model', type: 'nominal', sort: modelOrder, title: null },
      yOffset: { field: 'featureSet', type: 'nominal', sort: labels.featureSetOrder },
      x: {
        field: 'value',
        type: 'quantitative',
        title: axisTitle,
        scale: scale === 'log' ? { type: 'log' } : { zero: true },
      },
      color: {
        field: 'featureSet',
        type: 'nominal',
        title: 'Feature set',
        scale: { domain: labels.featureSetOrder, range: accents(theme, labels.featureSetOrder.length) },
        legend: { orient: 'bottom', direction: 'horizontal' },
      },
    },
  };

  return {
    id: `${metric}-boxes`,
    title: `${short} across ${metrics.splits.count} splits`,
    description:
      `Each box summarises one model's ${long} over the ${metrics.splits.count} random train/test splits, in ` +
      `${metrics.units}: the line inside is the median, the box spans the middle half of the splits and ` +
      `the whiskers reach 1.5 box-lengths; dots are outlying splits. Colour shows the feature set.` +
      (scale === 'log' ? ' The axis is logarithmic because the models differ by more than ten times.' : ''),
    spec,
  };
}
