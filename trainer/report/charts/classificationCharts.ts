/**
 * Every chart of a finished classification run, as vega-lite specs. Pure: no Node and no DOM, so the Node
 * report and a webview draw the same charts from the same metrics.
 */
import type { ClassificationMetrics } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { testAccuracyChart } from './classificationBars';
import { confusionChart } from './classificationConfusion';
import { epochCurveChart } from './classificationCurves';
import type { ChartTheme } from './theme';

export function classificationCharts(metrics: ClassificationMetrics, theme: ChartTheme): ChartSpec[] {
  if (metrics.experiments.length === 0) return [];
  return [
    epochCurveChart(metrics, 'valAcc', theme),
    testAccuracyChart(metrics, theme),
    confusionChart(metrics, theme),
    epochCurveChart(metrics, 'trainLoss', theme),
  ];
}
