/**
 * The gradebook: one row per submission (score, status), each expandable to its tests; sortable by score;
 * "Export CSV" and "Open submission" ask the host. In check mode the learner's one submission is shown
 * expanded, with a way to the line where their code threw. Status is always words and a symbol, never
 * colour alone; colours come from the theme.
 */
import { z } from 'zod';
import {
  emptyGradebook,
  GRADEBOOK_SORTS,
  GradebookStateSchema,
  reduceGradebook,
  sortRows,
  TO_GRADEBOOK,
  type GradebookRow,
  type GradebookSort,
  type GradebookState,
  type GradebookTest,
  type TestStatus,
} from '../../protocol/gradebook';
import { el, replaceChildren } from '../shared/dom';
import type { GradebookChannel } from './gradebookChannel';

const PageStateSchema = z.object({
  snapshot: GradebookStateSchema,
  sort: z.enum(GRADEBOOK_SORTS),
  expanded: z.array(z.string()),
});
type PageState = z.infer<typeof PageStateSchema>;

const STATUS_LABEL: Record<TestStatus, string> = { passed: '✔ passed', partial: '◐ partial', failed: '✘ failed', error: '⚠ grader error' };
/** Why a run left submissions not graded: it was cancelled, or its grader was stopped (a window reload). */
type StoppedStatus = 'cancelled' | 'interrupted';
const NOT_GRADED_LABEL: Record<StoppedStatus, string> = { cancelled: '⊘ not graded (cancelled)', interrupted: '⊘ not graded (interrupted)' };
const SORT_LABEL: Record<GradebookSort, string> = { name: 'Submission name', 'score-desc': 'Score, highest first', 'score-asc': 'Score, lowest first' };

export function mountGradebook(root: HTMLElement, host: GradebookChannel): void {
  const saved = PageStateSchema.safeParse(host.state);
  let page: PageState = saved.success ? saved.data : { snapshot: emptyGradebook('class', ''), sort: 'name', expanded: [] };

  const update = (next: PageState): void => {
    page = next;
    host.state = page;
    render(root, page, actions);
  };
  const actions: Actions = {
    sort: (sort) => update({ ...page, sort }),
    toggle: (name) =>
      update({ ...page, expanded: page.expanded.includes(name) ? page.expanded.filter((n) => n !== name) : [...page.expanded, name] }),
    exportCsv: () => host.post('gradebook/csv/export', {}),
    open: (name) => host.post('gradebook/submission/open', { name }),
    gradeAgain: () => host.post('gradebook/run/regrade', {}),
    goToLine: (line) => host.post('gradebook/location/open', { line }),
  };

  host.listen(TO_GRADEBOOK, (message) => {
    const snapshot = reduceGradebook(page.snapshot, message);
    // A new run starts collapsed; rows of the same run keep what the reader opened.
    update({ ...page, snapshot, expanded: message.method === 'gradebook/run/start' ? [] : page.expanded });
  });
  render(root, page, actions);
  host.post('gradebook/view/ready', {});
}

interface Actions {
  sort(sort: GradebookSort): void;
  toggle(name: string): void;
  exportCsv(): void;
  open(name: string): void;
  gradeAgain(): void;
  goToLine(line: number): void;
}

function render(root: HTMLElement, page: PageState, actions: Actions): void {
  // A live run re-renders on every result; keyboard focus stays on the same control.
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset['focusKey'] : undefined;
  const s = page.snapshot;
  replaceChildren(
    root,
    el('h1', {}, s.mode === 'check' ? 'Challenge check' : 'Gradebook', s.title ? el('span', { class: 'muted' }, ` — ${s.title}`) : null),
    statusLine(s),
    s.warning ? el('p', { class: 'warning', id: 'sandbox-warning' }, s.warning) : null,
    s.error ? el('div', { class: 'error', role: 'alert', id: 'error-state' }, el('p', { id: 'error-message' }, s.error)) : null,
    s.mode === 'check' ? checkView(s, actions) : classView(s, page, actions),
  );
  if (focused) root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
}

function statusLine(s: GradebookState): HTMLElement {
  const done = s.rows.length;
  return el(
    'div',
    { class: 'status-line' },
    el('p', { id: 'gradebook-status', role: 'status', 'aria-live': 'polite', 'data-status': s.status }, statusText(s)),
    s.status === 'running' && s.total > 0 ? el('progress', { max: s.total, value: done, 'aria-label': 'Submissions graded' }) : null,
  );
}

function statusText(s: GradebookState): string {
  const done = s.rows.length;
  const graded = `${done} submission${done === 1 ? '' : 's'}`;
  const again = `grade ${s.notGraded.length === 1 ? 'it' : 'them'} again`;
  switch (s.status) {
    case 'running':
      if (s.mode === 'check') return 'Running the public tests…';
      return s.total === 0 ? 'Starting the grader…' : `Grading… ${done} of ${s.total} done${s.grading.length ? ` (now: ${s.grading.join(', ')})` : ''}`;
    case 'done':
      return s.mode === 'check' ? 'Finished.' : `Finished: ${graded} graded.`;
    case 'cancelled':
      return `Cancelled${done ? `; ${graded} graded before that` : ''}${s.notGraded.length ? `${done ? ',' : ';'} ${s.notGraded.length} not graded (${again})` : ''}.`;
    case 'interrupted':
      // Only a gradebook read back from disk is interrupted: its grader was stopped with the window.
      return `Interrupted: grading stopped when the window was reloaded or closed. ${graded} graded in this run${s.notGraded.length ? `, ${s.notGraded.length} not graded (${again})` : ''}.`;
    case 'failed':
      return 'Grading failed.';
    case 'idle':
      return s.mode === 'check' ? 'No check results to show.' : 'Nothing graded yet.';
  }
}

function classView(s: GradebookState, page: PageState, actions: Actions): HTMLElement {
  const select = el('select', { id: 'gradebook-sort', 'data-focus-key': 'sort' }, ...GRADEBOOK_SORTS.map((k) => el('option', { value: k, selected: k === page.sort }, SORT_LABEL[k])));
  select.addEventListener('change', () => actions.sort(select.value as GradebookSort));
  const exportButton = el(
    'button',
    { id: 'export-csv', type: 'button', disabled: !s.canExport, 'data-focus-key': 'export', title: s.canExport ? 'Save the gradebook CSV the grader wrote' : 'Available when grading has finished' },
    'Export CSV',
  );
  exportButton.addEventListener('click', () => actions.exportCsv());
  const stopped = s.status === 'cancelled' || s.status === 'interrupted' ? s.status : undefined;
  let gradeAgain: HTMLElement | null = null;
  if (stopped && s.notGraded.length > 0) {
    gradeAgain = el('button', { id: 'grade-again', type: 'button', 'data-focus-key': 'grade-again', title: 'Grade the same submissions against the same key again' }, 'Grade Again');
    gradeAgain.addEventListener('click', () => actions.gradeAgain());
  }

  const rows = sortRows(s.rows, page.sort);
  const table = el(
    'table',
    { class: 'results-table gradebook', id: 'gradebook-table' },
    el('caption', {}, 'One row per submission. Expand a row for its tests; scores are out of the maximum the key awards.'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Submission'),
        el('th', { scope: 'col', class: 'num', 'aria-sort': page.sort === 'name' ? 'none' : page.sort === 'score-desc' ? 'descending' : 'ascending' }, 'Score'),
        el('th', { scope: 'col' }, 'Status'),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    ),
    ...rows.map((r, i) => submissionBody(r, i, page.expanded.includes(r.name), actions)),
    ...[...s.notGraded].sort((a, b) => a.localeCompare(b)).map((name) => notGradedBody(name, stopped ?? 'cancelled', actions)),
  );
  return el(
    'section',
    { 'aria-label': 'Submissions' },
    el('div', { class: 'toolbar' }, el('label', { for: 'gradebook-sort' }, 'Sort by '), select, exportButton, gradeAgain),
    rows.length || s.notGraded.length ? table : el('p', { class: 'muted' }, s.status === 'running' ? 'Results appear here as each submission finishes.' : 'No submissions were graded.'),
  );
}

/** One tbody per submission: its summary row and, when expanded, its tests. */
function submissionBody(r: GradebookRow, index: number, expanded: boolean, actions: Actions): HTMLElement {
  const detailsId = `tests-${index}`;
  const toggle = el(
    'button',
    { type: 'button', class: 'disclosure secondary', 'aria-expanded': String(expanded), 'aria-controls': detailsId, 'data-focus-key': `toggle:${r.name}` },
    el('span', { 'aria-hidden': 'true' }, expanded ? '▾ ' : '▸ '),
    r.name,
  );
  toggle.addEventListener('click', () => actions.toggle(r.name));
  const open = el('button', { type: 'button', class: 'secondary', 'aria-label': `Open submission ${r.name}`, 'data-focus-key': `open:${r.name}` }, 'Open submission');
  open.addEventListener('click', () => actions.open(r.name));
  return el(
    'tbody',
    { class: 'submission', 'data-submission': r.name, 'data-status': r.status },
    el(
      'tr',
      { class: 'submission-row' },
      el('th', { scope: 'row' }, toggle),
      el('td', { class: 'num score' }, `${formatScore(r.score)} / ${formatScore(r.maxScore)}`),
      el('td', { class: 'status', 'data-status': r.status }, STATUS_LABEL[r.status]),
      el('td', {}, open),
    ),
    el('tr', { id: detailsId, class: 'tests-row', hidden: !expanded }, el('td', { colspan: 4 }, expanded ? testsOrWhyNot(r, actions) : null)),
  );
}

/** A submission the run stopped before it finished: no score at all, so it cannot be read as a 0. */
function notGradedBody(name: string, why: StoppedStatus, actions: Actions): HTMLElement {
  const open = el('button', { type: 'button', class: 'secondary', 'aria-label': `Open submission ${name}`, 'data-focus-key': `open:${name}` }, 'Open submission');
  open.addEventListener('click', () => actions.open(name));
  return el(
    'tbody',
    { class: 'submission', 'data-submission': name, 'data-status': why },
    el(
      'tr',
      { class: 'submission-row' },
      el('th', { scope: 'row' }, name),
      el('td', { class: 'num score' }, el('span', { 'aria-hidden': 'true' }, '—'), el('span', { class: 'visually-hidden' }, 'no score')),
      el('td', { class: 'status', 'data-status': why }, NOT_GRADED_LABEL[why]),
      el('td', {}, open),
    ),
  );
}

/** A row rebuilt from a gradebook.csv whose instructor report could not be read has a total but no tests. */
function testsOrWhyNot(r: GradebookRow, actions: Actions): HTMLElement {
  if (r.tests.length > 0) return testsTable(r.tests, `Tests of ${r.name}`, actions);
  return el('p', { class: 'muted' }, `No test details for ${r.name}: its instructor report could not be read (the message above says why).`);
}

function checkView(s: GradebookState, actions: Actions): HTMLElement {
  const row = s.rows[0];
  if (!row) return el('p', { class: 'muted' }, s.status === 'running' ? 'Your results appear here when the check has finished.' : 'No results.');
  return el(
    'section',
    { 'aria-label': 'Public test results', 'data-submission': row.name, 'data-status': row.status },
    el('p', { class: 'check-total', id: 'check-total' }, el('strong', {}, `${formatScore(row.score)} / ${formatScore(row.maxScore)}`), ` on the public tests — ${STATUS_LABEL[row.status]}`),
    testsTable(row.tests, 'Public tests', actions),
    el('p', { class: 'muted' }, 'Only the course’s public tests run here. Your instructor grades with further tests you do not see, so passing these is a good sign, not a final mark.'),
  );
}

function testsTable(tests: readonly GradebookTest[], caption: string, actions: Actions): HTMLElement {
  return el(
    'table',
    { class: 'results-table tests' },
    el('caption', {}, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Test'),
        el('th', { scope: 'col' }, 'Status'),
        el('th', { scope: 'col', class: 'num' }, 'Score'),
        el('th', { scope: 'col', class: 'num' }, 'Max'),
        el('th', { scope: 'col' }, 'Message'),
        el('th', { scope: 'col', class: 'num' }, 'Time (s)'),
      ),
    ),
    el('tbody', {}, ...tests.map((t) => testRow(t, actions))),
  );
}

function testRow(t: GradebookTest, actions: Actions): HTMLElement {
  let goTo: HTMLElement | null = null;
  if (t.line !== undefined) {
    const line = t.line;
    goTo = el('button', { type: 'button', class: 'secondary link', 'data-focus-key': `line:${t.name}` }, `Go to line ${line}`);
    goTo.addEventListener('click', () => actions.goToLine(line));
  }
  return el(
    'tr',
    { class: 'test', 'data-status': t.status, ...(t.id ? { 'data-test-id': t.id } : {}) },
    el('th', { scope: 'row' }, t.name, t.hidden ? el('span', { class: 'badge' }, ' hidden') : null, t.id ? el('div', { class: 'muted mono' }, t.id) : null),
    el('td', { class: 'status', 'data-status': t.status }, STATUS_LABEL[t.status]),
    el('td', { class: 'num' }, formatScore(t.score)),
    el('td', { class: 'num' }, formatScore(t.max_score)),
    el('td', { class: 'message' }, el('p', {}, t.message), graderDetail(t), goTo),
    el('td', { class: 'num' }, t.duration.toFixed(1)),
  );
}

/** The grader's detail for the instructor, without repeating the learner's message it usually starts with. */
function graderDetail(t: GradebookTest): HTMLElement | null {
  const detail = t.detail?.startsWith(t.message) ? t.detail.slice(t.message.length).trim() : t.detail;
  return detail ? el('p', { class: 'muted detail' }, `Grader: ${detail}`) : null;
}

function formatScore(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, '');
}
