/**
 * The report's "Misclassified test images" section: each experiment's most frequent confusions with the
 * thumbnails the trainer wrote beside the report. The images are relative links into the run folder, so
 * they show while report.html stays in that folder; elsewhere the alt text says what each one was.
 */
import { thumbnailFileName, type ClassificationMetrics } from '../../protocol/messages';
import { confusionCells, describeCell } from './charts/classificationConfusion';
import { experimentTitle } from './charts/classificationLabels';
import { html, type SafeHtml } from './html';

/** Confusions shown per experiment: the most frequent, so a nine-class matrix does not become 72 rows. */
export const CONFUSIONS_PER_EXPERIMENT = 6;

/** `folder` is the thumbnails folder relative to the report, e.g. "thumbnails". */
export function misclassifiedSection(metrics: Pick<ClassificationMetrics, 'classes' | 'experiments'>, folder: string): SafeHtml {
  const blocks = metrics.experiments.map((e) => {
    const cells = confusionCells(metrics.classes, e)
      .flat()
      .filter((c) => c.testIndices.length > 0)
      .sort((a, b) => b.count - a.count || a.trueClass - b.trueClass || a.predictedClass - b.predictedClass)
      .slice(0, CONFUSIONS_PER_EXPERIMENT);
    const rows = cells.map(
      (c) => html`<div class="mistake">
        <p>${describeCell(c)}${c.testIndices.length < c.count ? ` (the first ${c.testIndices.length})` : ''}</p>
        <ul class="thumbs">${c.testIndices.map(
          (i) => html`<li><img src="${`${folder}/${thumbnailFileName(i)}`}" width="84" height="84" alt="${`Test image ${i}: true ${c.truth}, predicted ${c.predicted}`}"><span>#${i}</span></li>`,
        )}</ul>
      </div>`,
    );
    return html`<h3>${experimentTitle(e)}</h3>${rows.length > 0 ? rows : html`<p>No test image was misclassified.</p>`}`;
  });
  return html`<section id="misclassified">
  <h2>Misclassified test images</h2>
  <p>The most frequent confusions of each experiment, with test images it got wrong that way (number: the image's row in the test split).</p>
  ${blocks}
</section>`;
}
