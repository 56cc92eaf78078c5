import type { TopLevelSpec } from 'vega-lite';

/** One chart as both the report and the webview show it: a vega-lite spec plus the words around it. */
export interface ChartSpec {
  /** Stable id, also used as an HTML anchor and a webview element id. */
  id: string;
  title: string;
  /** One or two sentences on how to read the chart; shown as the caption and given to screen readers. */
  description: string;
  spec: TopLevelSpec;
}
