/**
 * The confusion matrix of one experiment at a time, with the test images behind each mistake. It is an
 * HTML table rather than the report's vega chart because its cells must take keyboard focus: every
 * off-diagonal cell with images is a button, and choosing one shows that cell's thumbnails below.
 * The cells come from the same `confusionCells` as the report's chart, so both show the same numbers.
 */
import { thumbnailFileName, type ClassificationMetrics, type ExperimentResult } from '../../protocol/messages';
import { confusionCells, describeCell, type ConfusionCell } from '../../trainer/report/charts/classificationConfusion';
import { experimentTitle } from '../../trainer/report/charts/classificationLabels';
import { el, replaceChildren } from '../shared/dom';

const GALLERY_ID = 'misclassified-gallery';

interface Selection {
  experiment: ExperimentResult['name'];
  cell?: { trueClass: number; predictedClass: number };
}

export class ConfusionExplorer {
  private drawnFor: string | undefined;
  private selection: Selection | undefined;

  constructor(private readonly container: HTMLElement) {}

  /**
   * Draws the explorer for a finished run. `thumbnails` is the folder's URI ending in a slash, or undefined
   * when the run wrote none. A repeated call for the same run keeps the learner's choice and focus.
   */
  show(runId: string, metrics: ClassificationMetrics, thumbnails: string | undefined): void {
    const key = `${runId}\n${thumbnails ?? ''}`;
    if (this.drawnFor === key) return;
    const first = metrics.experiments[0];
    if (!first) {
      this.clear();
      return;
    }
    if (!this.drawnFor?.startsWith(`${runId}\n`)) this.selection = { experiment: first.name };
    this.drawnFor = key;
    this.draw(metrics, thumbnails);
  }

  clear(): void {
    this.drawnFor = undefined;
    this.selection = undefined;
    replaceChildren(this.container);
  }

  private draw(metrics: ClassificationMetrics, thumbnails: string | undefined): void {
    const selection = this.selection;
    const experiment = metrics.experiments.find((e) => e.name === selection?.experiment) ?? metrics.experiments[0]!;
    const cells = confusionCells(metrics.classes, experiment);
    // A cell kept across an experiment switch may be empty in the new one; the gallery then says so.
    const chosen = selection?.cell ? cells[selection.cell.trueClass]?.[selection.cell.predictedClass] : undefined;
    const redraw = (next: Selection, focusId?: string) => {
      this.selection = next;
      this.draw(metrics, thumbnails);
      if (focusId) document.getElementById(focusId)?.focus();
    };

    replaceChildren(
      this.container,
      el('h3', { id: 'confusion-heading' }, 'Confusion matrix and misclassified test images'),
      el(
        'p',
        { class: 'muted' },
        'Rows are the true classes and columns the predictions, on the test split; the shade is the share of the row. ' +
          'A perfect classifier fills only the diagonal. Choose a number off the diagonal to see test images that went wrong that way.',
      ),
      metrics.experiments.length > 1 ? experimentPicker(metrics, experiment, (name) => redraw({ experiment: name, ...keepCell(selection) }, `confusion-experiment-${name}`)) : null,
      matrix(metrics, experiment, cells, chosen, (cell) =>
        redraw({ experiment: experiment.name, cell: { trueClass: cell.trueClass, predictedClass: cell.predictedClass } }, cellId(cell)),
      ),
      gallery(experiment, chosen, thumbnails),
    );
  }
}

function keepCell(selection: Selection | undefined): Pick<Selection, 'cell'> {
  return selection?.cell ? { cell: selection.cell } : {};
}

function experimentPicker(metrics: ClassificationMetrics, current: ExperimentResult, pick: (name: ExperimentResult['name']) => void): HTMLElement {
  // Native radios: Tab reaches the group, the arrow keys move between experiments.
  return el(
    'fieldset',
    { id: 'confusion-experiments', class: 'experiment-picker' },
    el('legend', {}, 'Experiment'),
    ...metrics.experiments.map((e) => {
      const id = `confusion-experiment-${e.name}`;
      const input = el('input', { type: 'radio', id, name: 'confusion-experiment', value: e.name, checked: e.name === current.name });
      input.addEventListener('change', () => pick(e.name));
      return el('span', { class: 'choice' }, input, el('label', { for: id }, experimentTitle(e)));
    }),
  );
}

function cellId(cell: Pick<ConfusionCell, 'trueClass' | 'predictedClass'>): string {
  return `confusion-cell-${cell.trueClass}-${cell.predictedClass}`;
}

function matrix(
  metrics: ClassificationMetrics,
  experiment: ExperimentResult,
  cells: ConfusionCell[][],
  chosen: ConfusionCell | undefined,
  choose: (cell: ConfusionCell) => void,
): HTMLElement {
  const total = cells.flat().reduce((sum, c) => sum + c.count, 0);
  const correct = cells.reduce((sum, row, t) => sum + (row[t]?.count ?? 0), 0);
  const cell = (c: ConfusionCell): HTMLTableCellElement => {
    const diagonal = c.trueClass === c.predictedClass;
    const td = el('td', { class: ['cell', diagonal ? 'diagonal' : '', c.share > 0.5 ? 'strong' : ''].join(' ').trim() });
    // A custom property set through CSSOM, which the style-src policy allows, unlike a style attribute.
    td.style.setProperty('--share', c.share.toFixed(3));
    if (diagonal || c.count === 0) {
      td.textContent = String(c.count);
      return td;
    }
    const pressed = chosen !== undefined && chosen.trueClass === c.trueClass && chosen.predictedClass === c.predictedClass;
    const button = el(
      'button',
      { type: 'button', id: cellId(c), class: 'cell-button', 'aria-label': describeCell(c), 'aria-pressed': String(pressed), 'aria-controls': GALLERY_ID },
      String(c.count),
    );
    button.addEventListener('click', () => choose(c));
    td.appendChild(button);
    return td;
  };
  // The summary sits above the table rather than in a caption, which would wrap to the width of a 2×2 table.
  const summary = el('p', { id: 'confusion-summary' }, `${experimentTitle(experiment)}: ${correct} of ${total} test images classified correctly (on the diagonal).`);
  const table = el(
    'table',
    { id: 'confusion-matrix', class: 'confusion', 'data-experiment': experiment.name, 'aria-label': `Confusion matrix of experiment ${experiment.name}`, 'aria-describedby': 'confusion-summary' },
    el(
      'thead',
      {},
      el('tr', {}, el('td', {}), el('th', { scope: 'colgroup', colspan: metrics.classes.length, class: 'axis' }, 'Predicted')),
      el('tr', {}, el('th', { scope: 'col', class: 'axis' }, 'True class'), ...metrics.classes.map((name) => el('th', { scope: 'col' }, name))),
    ),
    el('tbody', {}, ...cells.map((row, t) => el('tr', {}, el('th', { scope: 'row' }, metrics.classes[t] ?? String(t)), ...row.map(cell)))),
  );
  return el('div', { class: 'confusion-block' }, summary, table);
}

function gallery(experiment: ExperimentResult, chosen: ConfusionCell | undefined, thumbnails: string | undefined): HTMLElement {
  const section = el('section', { id: GALLERY_ID, class: 'gallery', 'aria-live': 'polite', 'aria-labelledby': 'gallery-heading' });
  if (!chosen) {
    section.appendChild(el('p', { id: 'gallery-heading', class: 'muted' }, 'No cell chosen yet.'));
    return section;
  }
  const shown = chosen.testIndices;
  replaceChildren(
    section,
    el('h4', { id: 'gallery-heading' }, `Experiment ${experiment.name}, ${describeCell(chosen)}`),
    shown.length < chosen.count
      ? el('p', { class: 'muted' }, `The first ${shown.length} in test-split order; the number under each is its row in the test split.`)
      : null,
    thumbnails === undefined ? el('p', { class: 'muted' }, 'This run wrote no thumbnails, so only the test rows are listed.') : null,
    el('ul', { class: 'thumbnails' }, ...shown.map((index) => el('li', {}, thumbnail(index, chosen, thumbnails)))),
  );
  return section;
}

function thumbnail(index: number, cell: ConfusionCell, folder: string | undefined): HTMLElement {
  const caption = el('figcaption', {}, el('span', { class: 'index' }, `#${index}`), el('span', {}, `true: ${cell.truth}`), el('span', {}, `predicted: ${cell.predicted}`));
  if (folder === undefined) return el('figure', {}, caption);
  const file = thumbnailFileName(index);
  const image = el('img', { src: `${folder}${encodeURIComponent(file)}`, alt: `Test image ${index}: true ${cell.truth}, predicted ${cell.predicted}`, width: 84, height: 84 });
  const figure = el('figure', {}, image, caption);
  image.addEventListener('error', () => image.replaceWith(el('p', { class: 'missing' }, `${file} is missing from the run folder.`)), { once: true });
  return figure;
}
