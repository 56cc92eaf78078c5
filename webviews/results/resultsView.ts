/**
 * The results panel: run status and progress, the live chart while training, then the final charts and
 * table. State comes from the shared reducer and is kept with setState, so switching tabs or reloading
 * the window shows the same picture. Element ids are stable; UI tests find them by id and aria-label.
 */
import type { View } from 'vega';
import {
  EMPTY_RESULTS,
  reduceResults,
  ResultsStateSchema,
  TO_RESULTS,
  type ResultsState,
  type WebviewAction,
} from '../../protocol/webview';
import type { RegressionMetrics } from '../../protocol/messages';
import { LIVE_DATASET, liveRegressionSpec, regressionCharts } from '../../trainer/report/charts/regressionCharts';
import { el, replaceChildren } from './dom';
import { resultsTable } from './resultsTable';
import { onThemeChange, readChartTheme } from './theme';
import { renderVegaLite } from './vegaChart';
import type { HostChannel } from './vscodeApi';

const STATUS_TEXT: Record<ResultsState['status'], string> = {
  idle: 'No run yet.',
  running: 'Training…',
  done: 'Finished.',
  failed: 'The run failed.',
  cancelled: 'The run was cancelled.',
};

export function mountResults(root: HTMLElement, host: HostChannel): void {
  const restored = ResultsStateSchema.safeParse((host.state as { results?: unknown } | undefined)?.results);
  let state: ResultsState = restored.success ? restored.data : EMPTY_RESULTS;

  const ui = skeleton(host);
  replaceChildren(root, ui.section);
  const live = new LiveChart(ui.liveChart, (m) => host.reportError(m));
  const finals = new FinalCharts(ui.charts, (m) => host.reportError(m));

  const render = () => {
    renderStatic(ui, state);
    ui.liveSection.hidden = state.live.length === 0 || state.metrics !== undefined;
    if (!ui.liveSection.hidden) void live.show(state);
    ui.finalSection.hidden = state.metrics === undefined;
    // Only Regression has in-panel charts so far; other submodules' results are in their report.
    if (state.metrics?.submodule === 'regression') {
      replaceChildren(ui.table, resultsTable(state.metrics));
      void finals.show(state.run?.runId ?? '', state.metrics);
    }
  };

  host.listen(TO_RESULTS, (message) => {
    state = reduceResults(state, message);
    host.state = { results: state };
    render();
  });
  onThemeChange(() => {
    live.reset();
    finals.reset();
    render();
  });
  render();
  host.post('webview/ready', { view: 'results' });
}

interface Skeleton {
  section: HTMLElement;
  summary: HTMLElement;
  status: HTMLElement;
  progress: HTMLProgressElement;
  percent: HTMLElement;
  buttons: Record<WebviewAction, HTMLButtonElement>;
  backend: HTMLDetailsElement;
  error: HTMLElement;
  empty: HTMLElement;
  liveSection: HTMLElement;
  liveChart: HTMLElement;
  finalSection: HTMLElement;
  table: HTMLElement;
  charts: HTMLElement;
}

function skeleton(host: HostChannel): Skeleton {
  const button = (action: WebviewAction, id: string, label: string, secondary = true) => {
    const b = el('button', { id, type: 'button', class: secondary ? 'secondary' : undefined, 'aria-label': label }, label);
    b.addEventListener('click', () => host.post('webview/action/invoke', { action }));
    return b;
  };
  const buttons: Record<WebviewAction, HTMLButtonElement> = {
    run: button('run', 'action-run', 'Run Regression', false),
    cancel: button('cancel', 'action-cancel', 'Cancel Run'),
    openReport: button('openReport', 'action-report', 'Open Report'),
    openQuiz: button('openQuiz', 'action-quiz', 'Take the Quiz'),
    openChallenge: button('openChallenge', 'action-challenge', 'Open the Challenge'),
    showLog: button('showLog', 'action-log', 'Show Log'),
  };
  const summary = el('p', { id: 'run-summary', class: 'muted' });
  const status = el('p', { id: 'run-status', role: 'status', 'aria-live': 'polite' });
  const progress = el('progress', { id: 'run-progress', max: 1, value: 0, 'aria-label': 'Training progress' });
  const percent = el('span', { id: 'run-percent', 'aria-hidden': 'true' });
  const backend = el('details', { id: 'backend-info' });
  const error = el('div', { id: 'error-state', role: 'alert', class: 'error', hidden: true });
  const empty = el(
    'p',
    { id: 'empty-state' },
    'Nothing to show yet. Run the Regression lab: its progress and a live chart of each model’s error appear here while it trains, and the full results when it finishes.',
  );
  const liveChart = el('figure', { id: 'live-chart', role: 'img', 'aria-label': 'Live chart: test mean absolute error of each model on each finished split' });
  const liveSection = el('section', { id: 'live-section', 'aria-labelledby': 'live-heading' }, el('h2', { id: 'live-heading' }, 'While it trains: test error per split'), liveChart);
  const table = el('div', { id: 'results-table-container' });
  const charts = el('div', { id: 'charts' });
  const finalSection = el('section', { id: 'final-section', 'aria-labelledby': 'final-heading' }, el('h2', { id: 'final-heading' }, 'Results'), table, charts);
  const section = el(
    'section',
    { id: 'results-root', 'aria-labelledby': 'results-heading' },
    el('h1', { id: 'results-heading' }, 'Lab Results'),
    summary,
    el('div', { class: 'status-line' }, status, progress, percent),
    el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Run actions' }, ...Object.values(buttons)),
    error,
    empty,
    backend,
    liveSection,
    finalSection,
  );
  return { section, summary, status, progress, percent, buttons, backend, error, empty, liveSection, liveChart, finalSection, table, charts };
}

function renderStatic(ui: Skeleton, state: ResultsState): void {
  const running = state.status === 'running';
  const run = state.run;
  ui.summary.textContent = run
    ? `${run.submodule} · ${run.profile} profile · seed ${run.seed} · network from ${run.learnerFile ?? 'the course’s reference'}`
    : '';
  ui.status.textContent = `${STATUS_TEXT[state.status]}${running && state.stage ? ` ${state.stage}` : ''}`;
  ui.progress.value = state.fraction;
  ui.progress.hidden = state.status === 'idle';
  ui.percent.textContent = state.status === 'idle' ? '' : `${Math.round(state.fraction * 100)}%`;
  ui.empty.hidden = state.status !== 'idle';

  ui.buttons.run.hidden = running;
  ui.buttons.run.textContent = state.status === 'idle' ? 'Run Regression' : 'Run Again';
  ui.buttons.cancel.hidden = !running;
  ui.buttons.openReport.hidden = state.status !== 'done';
  ui.buttons.openQuiz.hidden = state.status !== 'done';
  ui.buttons.openChallenge.hidden = state.status !== 'done';
  ui.buttons.showLog.hidden = state.status !== 'failed';

  ui.error.hidden = state.error === undefined || state.status === 'running';
  if (state.error) {
    replaceChildren(
      ui.error,
      el('h2', {}, state.status === 'cancelled' ? 'Cancelled' : 'The run did not finish'),
      el('p', { id: 'error-message' }, state.error.message),
      el('p', { class: 'muted' }, `Reason code: ${state.error.code}. The log (Show Log) has the details.`),
    );
  }

  ui.backend.hidden = state.backend === undefined;
  if (state.backend) {
    const b = state.backend;
    replaceChildren(
      ui.backend,
      el('summary', {}, `Backend: ${b.backend} (tfjs ${b.version})`),
      el('ul', { id: 'backend-ladder' }, ...b.ladder.map((r) => el('li', { 'data-status': r.status }, `${r.backend}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`))),
    );
  }
}

/** The live chart: created once per run, then fed only the rows it has not seen. */
class LiveChart {
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
    const runId = state.run?.runId;
    if (runId !== this.runId || !this.view) {
      this.reset();
      this.runId = runId;
      replaceChildren(this.container);
      this.view = await renderVegaLite(this.container, liveRegressionSpec({ theme: readChartTheme(), units: 'radius units' }));
    }
    // The reducer may drop the oldest rows past its cap; then start over rather than double-insert.
    if (state.live.length < this.shown) {
      this.view.remove(LIVE_DATASET, () => true);
      this.shown = 0;
    }
    const fresh = state.live.slice(this.shown);
    if (fresh.length === 0) return;
    this.shown = state.live.length;
    await this.view.insert(LIVE_DATASET, fresh).runAsync();
  }

  private fail(err: unknown): void {
    replaceChildren(this.container, el('p', { class: 'error', role: 'alert' }, `The live chart could not be drawn: ${String(err)}`));
    this.reportError(`live chart: ${String(err)}`);
  }
}

/** The final charts, drawn once per finished run (and again when the theme changes). */
class FinalCharts {
  private drawnFor: string | undefined;
  private views: View[] = [];
  /** Bumped on reset, so a drawing loop that outlived a theme change stops adding figures. */
  private generation = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly reportError: (message: string) => void,
  ) {}

  async show(runId: string, metrics: RegressionMetrics): Promise<void> {
    if (this.drawnFor === runId) return;
    this.reset();
    this.drawnFor = runId;
    const generation = this.generation;
    replaceChildren(this.container);
    for (const chart of regressionCharts(metrics, readChartTheme())) {
      if (generation !== this.generation) return;
      const plot = el('div', { class: 'chart', role: 'img', 'aria-label': `${chart.title}. ${chart.description}` });
      const figure = el('figure', { id: `chart-${chart.id}` }, el('figcaption', {}, el('strong', {}, chart.title), ' ', chart.description), plot);
      this.container.appendChild(figure);
      try {
        this.views.push(await renderVegaLite(plot, chart.spec));
      } catch (err) {
        replaceChildren(plot, el('p', { class: 'error', role: 'alert' }, `This chart could not be drawn: ${String(err)}`));
        this.reportError(`chart ${chart.id}: ${String(err)}`);
      }
    }
  }

  reset(): void {
    this.views.forEach((v) => v.finalize());
    this.views = [];
    this.drawnFor = undefined;
    this.generation += 1;
  }
}
