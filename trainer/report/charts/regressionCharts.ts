/**
 * Every chart of a finished regression run, as vega-lite specs. Pure: no Node and no DOM, so the Node report
 * and the browser webview draw the same charts from the same metrics.
 */
import type { RegressionMetrics } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { correlationHeatmap } from './correlationHeatmap';
import { errorBoxChart } from './errorBoxes';
import { featureRankingChart } from './featureRanking';
import { learningCurveChart } from './learningCurve';
import type { ChartTheme } from './theme';

export type { ChartSpec } from './chartSpec';
export { LIGHT_THEME, type ChartTheme } from './theme';
export { LIVE_DATASET, liveRegressionSpec, type LiveMaeRow, type LiveRegressionOptions } from './liveRegression';

/**
 * In reading order. A chart whose data the run did not produce (no network trained, no features ranked) is
 * left out rather than drawn empty.
 */
export function regressionCharts(metrics: RegressionMetrics, theme: ChartTheme): ChartSpec[] {
  const charts: ChartSpec[] = [];
  if (metrics.models.some((m) => m.perSplit.mae.length > 0)) {
    charts.push(errorBoxChart(metrics, 'mae', theme), errorBoxChart(metrics, 'rmse', theme));
  }
  if (metrics.correlation.features.length > 0) charts.push(correlationHeatmap(metrics, theme));
  if (metrics.featureRanking.length > 0) {
    charts.push(
      featureRankingChart(metrics, 'fScore', theme),
      featureRankingChart(metrics, 'mutualInformation', theme),
    );
  }
  if (metrics.networkCurve.length > 0) charts.push(learningCurveChart(metrics, theme));
  return charts;
}
