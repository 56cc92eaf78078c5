/**
 * The chart shown while a run trains: regression's per-split error, or classification's per-epoch loss and
 * accuracy. Created once per run, then fed only the rows it has not seen.
 */
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { LiveRow, ResultsState } from '../../protocol/webview';
import { liveClassificationSpec } from '../../trainer/report/charts/liveClassification';
import { LIVE_DATASET, liveRegressionSpec } from '../../trainer/report/charts/regressionCharts';
import type { ChartTheme } from '../../trainer/report/charts/theme';
import { el, replaceChildren } from '../shared/dom';
import { readChartTheme } from './theme';
import { renderVegaLite } from './vegaChart';

/** The chart for each kind of live row, with its heading and what a screen reader hears for it. */
export const LIVE_CHARTS: Record<LiveRow['kind'], { heading: string; label: string; spec: (theme: ChartTheme) => TopLevelSpec }> = {
  split: {
    heading: 'While it trains: test error per split',
    label: 'Live chart: test mean absolute error of each model on each finished split',
    spec: (theme) => liveRegressionSpec({ theme, units: 'radius units' }),
  },
  epoch: {
    heading: 'While it trains: loss and accuracy per epoch',
    label: 'Live chart: training loss and validation accuracy of experiments A, B and C after each finished epoch',
    spec: liveClassificationSpec,
  },
};

export class LiveChart {
  private view: View | undefined;
  private runId: string | undefined;
  private shown = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly container: HTMLElement,
    private readonly reportError: (message: string) => void,
  ) {}

  /** Serialised, so rows arriving while the chart is still being built are inserted once, in order. */
  show(state: ResultsState): Promise<void> {
    this.pending = this.pending.then(() => this.update(state)).catch((err: unknown) => this.fail(err));
    return this.pending;
  }

  reset(): void {
    this.view?.finalize();
    this.view = undefined;
    this.runId = undefined;
    this.shown = 0;
  }

  private async update(state: ResultsState): Promise<void> {
    const kind = state.live[0]?.kind;
    if (!kind) return;
    const runId = state.run?.runId;
    if (runId !== this.runId || !this.view) {
      this.reset();
      this.runId = runId;
      replaceChildren(this.container);
      this.view = await renderVegaLite(this.container, LIVE_CHARTS[kind].spec(readChartTheme()));
    }
    // The reducer may drop the oldest rows past its cap; then start over rather than double-insert.
    if (state.live.length < this.shown) {
      this.view.remove(LIVE_DATASET, () => true);
      this.shown = 0;
    }
    const fresh = state.live.slice(this.shown);
    if (fresh.length === 0) return;
    this.shown = state.live.length;
    // resize(): the chart's size was computed while it was empty; without it, a concatenated chart keeps
    // that size and cuts off its lowest axis title once data arrives.
    await this.view.insert(LIVE_DATASET, fresh).resize().runAsync();
  }

  private fail(err: unknown): void {
    replaceChildren(this.container, el('p', { class: 'error', role: 'alert' }, `The live chart could not be drawn: ${String(err)}`));
    this.reportError(`live chart: ${String(err)}`);
  }
}
