/**
 * The classification run's report: one HTML file (inline CSS and SVG, no scripts, no links out) that opens
 * offline and prints cleanly, built from metrics.json; the only files it refers to are the misclassified
 * images' thumbnails beside it in the run folder.
 */
import type { ClassificationMetrics } from '../../protocol/messages';
import { MEDMNIST, type MedmnistFlag } from '../data/medmnist/catalog';
import type { ChartSpec } from './charts/chartSpec';
import { classificationCharts } from './charts/classificationCharts';
import { LIGHT_THEME } from './charts/theme';
import { classificationExplanations } from './classificationExplanations';
import { misclassifiedSection } from './classificationMistakes';
import { formatSeconds } from './format';
import { html, trusted, type SafeHtml } from './html';
import { inlineSvg } from './inlineSvg';
import { renderSvg } from './renderSvg';
import { REPORT_CSS } from './reportStyles';

export interface ClassificationReportOptions {
  /** The thumbnails folder relative to the report, when the trainer wrote one; adds the misclassified images. */
  thumbnails?: string;
}

export async function renderClassificationReport(metrics: ClassificationMetrics, options: ClassificationReportOptions = {}): Promise<string> {
  // Sequential on purpose: one vega view at a time keeps peak memory flat in the trainer.
  const figures: SafeHtml[] = [];
  for (const chart of classificationCharts(metrics, LIGHT_THEME)) figures.push(await figure(chart));
  const info = Object.hasOwn(MEDMNIST, metrics.dataset) ? MEDMNIST[metrics.dataset as MedmnistFlag] : undefined;
  const name = info?.pythonClass ?? metrics.dataset;

  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Classification report: ResNet-18 on ${name}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
<header>
  <h1>Classification: ResNet-18 on ${name}</h1>
  <p class="subtitle">${metrics.classes.length} classes (${metrics.task}) · ${metrics.image.size}×${metrics.image.size} pixels,
  ${metrics.image.channels === 1 ? 'greyscale' : 'colour'} · ${metrics.experiments.length} experiment(s) on the same images</p>
</header>
<section>
  <h2>Run</h2>
  ${runFacts(metrics)}
</section>
<section>
  <h2>Results</h2>
  ${resultsTable(metrics)}
</section>
<section>
  <h2>Charts</h2>
  ${figures}
</section>
${options.thumbnails === undefined ? '' : misclassifiedSection(metrics, options.thumbnails)}
${classificationExplanations(metrics)}
<section>
  <h2>Images per class</h2>
  ${classTable(metrics)}
</section>
<footer>
  <p>Data: ${name} from MedMNIST v3 (J. Yang et al., "MedMNIST v2", Scientific Data 10, 41, 2023;
  doi:10.5281/zenodo.10519652)${info ? `, licensed ${info.license}` : ''}. ACC and AUC follow MedMNIST's evaluator.</p>
</footer>
</body>
</html>
`;
  return page.value;
}

function runFacts(metrics: ClassificationMetrics): SafeHtml {
  const trained = metrics.data.classCounts.train.reduce((a, b) => a + b, 0);
  const { learningRate, momentum, batchSize, epochs, optimizer } = metrics.training;
  const facts: [string, string][] = [
    ['Dataset', metrics.dataset],
    ['Seed', String(metrics.seed)],
    ['Backend', metrics.backend],
    ['Profile', metrics.profile],
    ['Training images', `${trained} of ${metrics.data.trainAvailable}`],
    ['Optimiser', `${optimizer} lr ${learningRate}, momentum ${momentum}`],
    ['Batch · epochs', `${batchSize} · ${epochs}`],
    ['Pretrained weights', metrics.weights ? `${metrics.weights.origin} (${metrics.weights.verification})` : 'not used'],
    ['Wall time', formatSeconds(metrics.wallSeconds)],
  ];
  const items = facts.map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`);
  return html`<dl class="facts">${items}</dl>`;
}

function resultsTable(metrics: ClassificationMetrics): SafeHtml {
  const bestAcc = Math.max(...metrics.experiments.map((e) => e.test.acc));
  const rows = metrics.experiments.map((e) => {
    const last = e.epochs[e.epochs.length - 1];
    const acc = `${(e.test.acc * 100).toFixed(1)} %`;
    return html`<tr>
      <td>${e.name}</td>
      <td>${e.label}</td>
      <td class="num">${last ? `${(last.val.acc * 100).toFixed(1)} %` : '–'}</td>
      <td class="num">${e.test.acc === bestAcc ? html`<strong>${acc}</strong>` : acc}</td>
      <td class="num">${e.test.auc.toFixed(3)}</td>
      <td class="num">${formatSeconds(e.wallSeconds)}</td>
    </tr>`;
  });
  return html`<table>
    <caption>Test ACC and AUC on the whole test split, as MedMNIST's evaluator computes them (${metrics.task}); the
    best test accuracy is in bold. Validation accuracy is after the last epoch.</caption>
    <thead><tr>
      <th scope="col">Experiment</th><th scope="col">Setting</th><th scope="col" class="num">Validation ACC</th>
      <th scope="col" class="num">Test ACC</th><th scope="col" class="num">Test AUC</th><th scope="col" class="num">Wall time</th>
    </tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

function classTable(metrics: ClassificationMetrics): SafeHtml {
  const { train, val, test } = metrics.data.classCounts;
  const rows = metrics.classes.map(
    (name, c) => html`<tr><td>${name}</td><td class="num">${train[c] ?? 0}</td><td class="num">${val[c] ?? 0}</td><td class="num">${test[c] ?? 0}</td></tr>`,
  );
  return html`<table>
    <caption>Training counts are the images trained on (a stratified subset in the quick profile).</caption>
    <thead><tr><th scope="col">Class</th><th scope="col" class="num">Train</th><th scope="col" class="num">Validation</th><th scope="col" class="num">Test</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

async function figure(chart: ChartSpec): Promise<SafeHtml> {
  const svg = inlineSvg(await renderSvg(chart.spec), chart.id);
  return html`<figure id="${chart.id}" aria-labelledby="${chart.id}-title">
    <h3 id="${chart.id}-title">${chart.title}</h3>
    ${trusted(svg)}
    <figcaption>${chart.description}</figcaption>
  </figure>`;
}
