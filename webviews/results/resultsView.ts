/**
 * The results panel: run status and progress, the live chart while training, then the final charts and
 * table. State comes from the shared reducer and is kept with setState, so switching tabs or reloading
 * the window shows the same picture. Element ids are stable; UI tests find them by id and aria-label.
 */
import {
  EMPTY_RESULTS,
  reduceResults,
  ResultsStateSchema,
  TO_RESULTS,
  type ResultsState,
  type WebviewAction,
} from '../../protocol/webview';
import type { ClassificationMetrics } from '../../protocol/messages';
import { testAccuracyChart } from '../../trainer/report/charts/classificationBars';
import { epochCurveChart } from '../../trainer/report/charts/classificationCurves';
import { regressionCharts } from '../../trainer/report/charts/regressionCharts';
import type { ChartSpec } from '../../trainer/report/charts/chartSpec';
import type { ChartTheme } from '../../trainer/report/charts/theme';
import { ChartList } from './chartList';
import { classificationTable } from './classificationTable';
import { ConfusionExplorer } from './confusionExplorer';
import { el, replaceChildren } from '../shared/dom';
import { LIVE_CHARTS, LiveChart } from './liveChart';
import { resultsTable } from './resultsTable';
import { onThemeChange, readChartTheme } from './theme';
import type { LabChannel } from './labChannel';

const STATUS_TEXT: Record<ResultsState['status'], string> = {
  idle: 'No run yet.',
  running: 'Training…',
  done: 'Finished.',
  failed: 'The run failed.',
  cancelled: 'The run was cancelled.',
};

export function mountResults(root: HTMLElement, host: LabChannel): void {
  const restored = ResultsStateSchema.safeParse((host.state as { results?: unknown } | undefined)?.results);
  let state: ResultsState = restored.success ? restored.data : EMPTY_RESULTS;

  const ui = skeleton(host);
  replaceChildren(root, ui.section);
  const reportError = (m: string) => host.reportError(m);
  const live = new LiveChart(ui.liveChart, reportError);
  const charts = new ChartList(ui.charts, reportError);
  const moreCharts = new ChartList(ui.moreCharts, reportError);
  const confusion = new ConfusionExplorer(ui.confusion);

  const render = () => {
    renderStatic(ui, state);
    const liveKind = state.live[0]?.kind;
    ui.liveSection.hidden = liveKind === undefined || state.metrics !== undefined;
    if (liveKind && !ui.liveSection.hidden) {
      ui.liveHeading.textContent = LIVE_CHARTS[liveKind].heading;
      ui.liveChart.setAttribute('aria-label', LIVE_CHARTS[liveKind].label);
      void live.show(state);
    }
    ui.finalSection.hidden = state.metrics === undefined;
    const runId = state.run?.runId ?? '';
    const metrics = state.metrics;
    ui.confusion.hidden = metrics?.submodule !== 'classification';
    // Augmentation and Segmentation have no in-panel charts yet; their results are in their report.
    if (metrics?.submodule === 'regression') {
      replaceChildren(ui.table, resultsTable(metrics));
      void charts.show(runId, () => regressionCharts(metrics, readChartTheme()));
      moreCharts.clear();
      confusion.clear();
    } else if (metrics?.submodule === 'classification') {
      replaceChildren(ui.table, classificationTable(metrics));
      void charts.show(runId, () => [testAccuracyChart(metrics, readChartTheme())]);
      confusion.show(runId, metrics, state.thumbnails);
      void moreCharts.show(runId, () => classificationCurves(metrics, readChartTheme()));
    }
  };

  host.listen(TO_RESULTS, (message) => {
    state = reduceResults(state, message);
    host.state = { results: state };
    render();
  });
  onThemeChange(() => {
    live.reset();
    charts.reset();
    moreCharts.reset();
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
  liveHeading: HTMLElement;
  liveChart: HTMLElement;
  finalSection: HTMLElement;
  table: HTMLElement;
  charts: HTMLElement;
  confusion: HTMLElement;
  moreCharts: HTMLElement;
}

/** The per-epoch curves, after the matrix: by then the learner has seen the outcome and asks how it came about. */
function classificationCurves(metrics: ClassificationMetrics, theme: ChartTheme): ChartSpec[] {
  return [epochCurveChart(metrics, 'valAcc', theme), epochCurveChart(metrics, 'trainLoss', theme)];
}

function skeleton(host: LabChannel): Skeleton {
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
    'Nothing to show yet. Run a lab: its progress and a live chart appear here while it trains, and the full results when it finishes.',
  );
  const liveChart = el('figure', { id: 'live-chart', role: 'img', 'aria-label': LIVE_CHARTS.split.label });
  const liveHeading = el('h2', { id: 'live-heading' }, LIVE_CHARTS.split.heading);
  const liveSection = el('section', { id: 'live-section', 'aria-labelledby': 'live-heading' }, liveHeading, liveChart);
  const table = el('div', { id: 'results-table-container' });
  const charts = el('div', { id: 'charts' });
  const confusion = el('section', { id: 'confusion-section', 'aria-labelledby': 'confusion-heading' });
  const moreCharts = el('div', { id: 'more-charts' });
  const finalSection = el(
    'section',
    { id: 'final-section', 'aria-labelledby': 'final-heading' },
    el('h2', { id: 'final-heading' }, 'Results'),
    table,
    charts,
    confusion,
    moreCharts,
  );
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
  return { section, summary, status, progress, percent, buttons, backend, error, empty, liveSection, liveHeading, liveChart, finalSection, table, charts, confusion, moreCharts };
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
