/**
 * The regression run's report: one self-contained HTML file (inline CSS and SVG, no scripts, no links out)
 * that opens offline and prints cleanly.
 */
import type { ModelResult, RegressionMetrics } from '../../protocol/messages';
import type { ChartSpec } from './charts/chartSpec';
import { LIGHT_THEME, regressionCharts } from './charts/regressionCharts';
import { formatSeconds, formatSummary } from './format';
import { html, trusted, type SafeHtml } from './html';
import { inlineSvg } from './inlineSvg';
import { regressionExplanations } from './regressionExplanations';
import { renderSvg } from './renderSvg';
import { REPORT_CSS } from './reportStyles';

export async function renderRegressionReport(metrics: RegressionMetrics): Promise<string> {
  const charts = regressionCharts(metrics, LIGHT_THEME);
  // Sequential on purpose: vega views are cheap, and one at a time keeps peak memory flat in the trainer.
  const figures: SafeHtml[] = [];
  for (const chart of charts) figures.push(await figure(chart));

  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Regression report: predicting ${metrics.target}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
<header>
  <h1>Regression: predicting ${metrics.target}</h1>
  <p class="subtitle">Breast Cancer Wisconsin (Diagnostic) · ${metrics.models.length} models ·
  ${metrics.splits.count} random train/test splits</p>
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
${regressionExplanations(metrics)}
<footer>
  <p>Data: Breast Cancer Wisconsin (Diagnostic), W. Wolberg, O. Mangasarian, N. Street and W. Street, UCI
  Machine Learning Repository (doi:10.24432/C5DW2B), licensed CC BY 4.0.</p>
</footer>
</body>
</html>
`;
  return page.value;
}

function runFacts(metrics: RegressionMetrics): SafeHtml {
  const { count, trainRows, testRows } = metrics.splits;
  const facts: [string, string][] = [
    ['Target', `${metrics.target} (${metrics.units})`],
    ['Seed', String(metrics.seed)],
    ['Backend', metrics.backend],
    ['Profile', metrics.profile],
    ['Splits', String(count)],
    ['Rows per split', `${trainRows} train / ${testRows} test`],
    ['Wall time', formatSeconds(metrics.wallSeconds)],
  ];
  const items = facts.map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`);
  return html`<dl class="facts">${items}</dl>`;
}

function resultsTable(metrics: RegressionMetrics): SafeHtml {
  const groups = byFeatureSet(metrics);
  const bodies = groups.map(({ label, models }) => {
    const bestMae = Math.min(...models.map((m) => m.mae.mean));
    const bestRmse = Math.min(...models.map((m) => m.rmse.mean));
    const rows = models.map(
      (m) => html`<tr>
      <td>${m.label}</td>
      <td>${label}</td>
      <td class="num">${emphasise(formatSummary(m.mae), m.mae.mean === bestMae)}</td>
      <td class="num">${emphasise(formatSummary(m.rmse), m.rmse.mean === bestRmse)}</td>
    </tr>`,
    );
    return html`<tbody>${rows}</tbody>`;
  });
  return html`<table>
    <caption>Mean ± sample standard deviation over ${metrics.splits.count} test splits, in ${metrics.units}.
    The lowest error within each feature set is in bold.</caption>
    <thead><tr>
      <th scope="col">Model</th>
      <th scope="col">Feature set</th>
      <th scope="col" class="num">MAE (${metrics.units})</th>
      <th scope="col" class="num">RMSE (${metrics.units})</th>
    </tr></thead>
    ${bodies}
  </table>`;
}

function emphasise(text: string, best: boolean): SafeHtml {
  return best ? html`<strong>${text}</strong>` : html`${text}`;
}

/** Models grouped by feature set, in the run's feature-set order; sets the run did not describe come last. */
function byFeatureSet(metrics: RegressionMetrics): { label: string; models: ModelResult[] }[] {
  const order = [...metrics.featureSets.map((s) => s.name), ...metrics.models.map((m) => m.featureSet)];
  return [...new Set(order)]
    .map((name) => ({
      label: metrics.featureSets.find((s) => s.name === name)?.label ?? name,
      models: metrics.models.filter((m) => m.featureSet === name),
    }))
    .filter((g) => g.models.length > 0);
}

async function figure(chart: ChartSpec): Promise<SafeHtml> {
  const svg = inlineSvg(await renderSvg(chart.spec), chart.id);
  return html`<figure id="${chart.id}" aria-labelledby="${chart.id}-title">
    <h3 id="${chart.id}-title">${chart.title}</h3>
    ${trusted(svg)}
    <figcaption>${chart.description}</figcaption>
  </figure>`;
}
