import type { ClassificationMetrics, ExperimentResult } from '../../protocol/messages';
import { formatSeconds } from '../../trainer/report/format';
import { el } from '../shared/dom';

const STARTS: Record<ExperimentResult['start'], string> = { random: 'Random weights', imagenet: 'ImageNet weights' };
const TRAINS: Record<ExperimentResult['trains'], string> = { all: 'All layers', head: 'The new head only' };

/** One row per experiment, in run order (A, B, C): what it started from, what it trained, and how it scored. */
export function classificationTable(metrics: ClassificationMetrics): HTMLTableElement {
  const bestAcc = Math.max(...metrics.experiments.map((e) => e.test.acc));
  const testImages = metrics.data.classCounts.test.reduce((a, b) => a + b, 0);
  const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
  return el(
    'table',
    { id: 'results-table', class: 'results-table' },
    el('caption', {}, `Accuracy (ACC) and area under the ROC curve (AUC) on all ${testImages} test images, as MedMNIST's evaluator computes them; the best accuracy is in bold.`),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Experiment', 'Starts from', 'Trains', 'Test ACC', 'Test AUC', 'Time'].map((h, i) => el('th', { scope: 'col', class: i >= 3 ? 'num' : undefined }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      ...metrics.experiments.map((e) =>
        el(
          'tr',
          { 'data-experiment': e.name },
          el('th', { scope: 'row' }, `${e.name}: ${e.label}`),
          el('td', {}, STARTS[e.start]),
          el('td', {}, TRAINS[e.trains]),
          el('td', { class: 'num' }, e.test.acc === bestAcc ? el('strong', {}, percent(e.test.acc)) : percent(e.test.acc)),
          el('td', { class: 'num' }, e.test.auc.toFixed(3)),
          el('td', { class: 'num' }, formatSeconds(e.wallSeconds)),
        ),
      ),
    ),
  );
}
