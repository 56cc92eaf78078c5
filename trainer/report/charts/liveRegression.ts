/**
 * The chart the results webview shows while a regression run is still training: every finished split adds
 * one row per model, and the boxes and dots grow as the rows arrive.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResult, RegressionMetrics } from '../../../protocol/messages';
import type { AxisScale } from './scale';
import { accents, themeConfig, type ChartTheme } from './theme';

/** The name of the vega dataset the webview inserts rows into (`view.insert(LIVE_DATASET, rows)`). */
export const LIVE_DATASET = 'live';

/** One model's test MAE on one split, in the target's units (from a `run/metric` message named "mae"). */
export interface LiveMaeRow {
  model: string;
  split: number;
  mae: number;
}

export interface LiveRegressionOptions {
  theme: ChartTheme;
  /** The target's unit label, for the axis title. */
  units: string;
  /**
   * The models the run will train, in display order. Rows are matched on `name`; a row for a model not
   * listed still shows, under its raw name. Omit when the list is not known yet.
   */
  models?: readonly Pick<ModelResult, 'name' | 'label' | 'featureSet'>[];
  /** Labels for the models' feature sets; a feature set not listed shows under its raw name. */
  featureSets?: readonly Pick<RegressionMetrics['featureSets'][number], 'name' | 'label'>[];
  /**
   * The error axis. Defaults to 'log' because the data is not known when the chart is built and the
   * course network's errors are tens of times the baselines' (see errorBoxes.ts).
   */
  scale?: AxisScale;
}

/**
 * A strip of one dot per split over a box per model. The spec starts empty: it reads only the named data
 * source LIVE_DATASET, and vega recomputes the boxes each time the webview inserts rows.
 */
export function liveRegressionSpec(options: LiveRegressionOptions): TopLevelSpec {
  const { theme, units, scale = 'log' } = options;
  const setLabels = new Map((options.featureSets ?? []).map((s) => [s.name, s.label]));
  const catalog = (options.models ?? []).map((m) => ({
    name: m.name,
    label: m.label,
    featureSet: setLabels.get(m.featureSet) ?? m.featureSet,
  }));
  const modelOrder = [...new Set(catalog.map((m) => m.label))];
  const setOrder = [...new Set(catalog.map((m) => m.featureSet))];

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Test MAE of each model on each finished split, updated while training runs',
    config: themeConfig(theme),
    width: 560,
    height: { step: 16 },
    data: { name: LIVE_DATASET },
    transform: [
      // Rows carry only the model's name; the label and feature set come from the catalogue. An unknown
      // model keeps its name as label so a row is never dropped.
      {
        lookup: 'model',
        from: { data: { values: catalog }, key: 'name', fields: ['label', 'featureSet'] },
      },
      { calculate: 'datum.label == null ? datum.model : datum.label', as: 'label' },
      { calculate: "datum.featureSet == null ? '' : datum.featureSet", as: 'featureSet' },
    ],
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        title: null,
        ...(modelOrder.length > 0 ? { sort: modelOrder } : {}),
      },
      yOffset: { field: 'featureSet', type: 'nominal', ...(setOrder.length > 0 ? { sort: setOrder } : {}) },
      x: {
        field: 'mae',
        type: 'quantitative',
        title: `MAE per split (${units}${scale === 'log' ? ', log scale' : ''})`,
        scale: scale === 'log' ? { type: 'log' } : { zero: true },
      },
      color: {
        field: 'featureSet',
        type: 'nominal',
        title: 'Feature set',
        scale: setOrder.length > 0 ? { domain: setOrder, range: accents(theme, setOrder.length) } : {},
        // The boxes are translucent so the dots show through; the legend should show the full colour.
        legend: { orient: 'bottom', direction: 'horizontal', symbolOpacity: 1 },
      },
    },
    layer: [
      { mark: { type: 'boxplot', extent: 'min-max', size: 12, opacity: 0.35, median: { strokeWidth: 2 } } },
      {
        mark: { type: 'tick', thickness: 1, opacity: 0.8, tooltip: true },
        encoding: {
          tooltip: [
            { field: 'label', type: 'nominal', title: 'Model' },
            { field: 'featureSet', type: 'nominal', title: 'Feature set' },
            { field: 'split', type: 'quantitative', title: 'Split' },
            { field: 'mae', type: 'quantitative', title: `MAE (${units})`, format: '.4~g' },
          ],
        },
      },
    ],
  };
}
