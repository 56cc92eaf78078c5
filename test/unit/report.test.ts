import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResult, RegressionMetrics } from '../../protocol/messages';
import {
  LIGHT_THEME,
  LIVE_DATASET,
  liveRegressionSpec,
  regressionCharts,
  type ChartSpec,
  type LiveMaeRow,
} from '../../trainer/report/charts/regressionCharts';
import { rankFeatures } from '../../trainer/report/charts/featureRanking';
import { chooseScale } from '../../trainer/report/charts/scale';
import { formatError, formatSummary } from '../../trainer/report/format';
import { escapeHtml, html } from '../../trainer/report/html';
import { renderRegressionReport } from '../../trainer/report/regressionReport';
import { renderSvg } from '../../trainer/report/renderSvg';

// ---------------------------------------------------------------------------------------------------------
// A small but realistic run: four models on two feature sets, 20 splits, eight features.

const FEATURES = [
  'radius_worst',
  'perimeter_mean',
  'area_mean',
  'texture_mean',
  'smoothness_mean',
  'concavity_mean',
  'symmetry_mean',
  'fractal_dimension_mean',
];
const SIZE_FEATURES = new Set(['radius_worst', 'perimeter_mean', 'area_mean']);

/** A seeded generator so every run of the tests sees the same "random" splits. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function summaryOf(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

function model(name: string, label: string, featureSet: string, typicalMae: number, spread: number, rand: () => number): ModelResult {
  const mae = Array.from({ length: 20 }, () => typicalMae * (1 + spread * (rand() - 0.5)));
  const rmse = mae.map((v) => v * (1.25 + 0.1 * rand()));
  return { name, label, featureSet, mae: summaryOf(mae), rmse: summaryOf(rmse), perSplit: { mae, rmse } };
}

function sampleMetrics(edit: (m: RegressionMetrics) => void = () => {}): RegressionMetrics {
  const rand = lcg(42);
  const n = FEATURES.length;
  const matrix = FEATURES.map((a, i) =>
    FEATURES.map((b, j) => {
      if (i === j) return 1;
      if (SIZE_FEATURES.has(a) && SIZE_FEATURES.has(b)) return 0.98;
      return Math.round((Math.sin(i * 7 + j * 7 + i * j) * 0.6) * 100) / 100;
    }),
  );
  const metrics: RegressionMetrics = {
    submodule: 'regression',
    protocolVersion: 1,
    seed: 1234,
    backend: 'wasm',
    profile: 'quick',
    target: 'radius_mean',
    units: 'radius units',
    splits: { count: 20, trainRows: 381, testRows: 188 },
    featureSets: [
      { name: 'all', label: 'All features', features: FEATURES },
      { name: 'no-size', label: 'Without size', features: FEATURES.filter((f) => !SIZE_FEATURES.has(f)) },
    ],
    models: [
      model('linear-all', 'Linear regression', 'all', 0.05, 0.3, rand),
      model('forest-all', 'Random forest', 'all', 0.16, 0.3, rand),
      model('network-all', 'Neural network', 'all', 2.1, 0.02, rand),
      model('linear-no-size', 'Linear regression', 'no-size', 1.1, 0.2, rand),
      model('forest-no-size', 'Random forest', 'no-size', 1.0, 0.2, rand),
      model('network-no-size', 'Neural network', 'no-size', 2.3, 0.02, rand),
    ],
    featureRanking: FEATURES.map((feature, i) => ({
      feature,
      fScore: 4000 / (i + 1),
      mutualInformation: 1.5 / ((i + 3) % n + 1),
    })),
    correlation: { features: FEATURES, matrix },
    training: { learningRate: 1e-4, epochs: 100, batchSize: 32 },
    networkCurve: ['network-all', 'network-no-size'].flatMap((name, k) =>
      Array.from({ length: 100 }, (_, epoch) => ({ model: name, epoch, loss: 40 + k * 5 + 150 * Math.exp(-epoch / 60) })),
    ),
    wallSeconds: 83.4,
  };
  edit(metrics);
  return metrics;
}

// ---------------------------------------------------------------------------------------------------------

type CompileLogger = NonNullable<NonNullable<Parameters<typeof import('vega-lite').compile>[1]>['logger']>;

/** Compiles with vega-lite and returns the vega spec plus every warning vega-lite raised. */
async function compileStrictly(spec: TopLevelSpec): Promise<{ vega: unknown; warnings: string[] }> {
  const { compile } = await import('vega-lite');
  const warnings: string[] = [];
  let level = 2;
  const logger: CompileLogger = {
    level(next?: number) {
      if (next === undefined) return level;
      level = next;
      return logger;
    },
    error(...args: unknown[]) {
      warnings.push(args.join(' '));
      return this;
    },
    warn(...args: unknown[]) {
      warnings.push(args.join(' '));
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
  };
  return { vega: compile(spec, { logger }).spec, warnings };
}

function chart(charts: ChartSpec[], id: string): ChartSpec {
  const found = charts.find((c) => c.id === id);
  assert.ok(found, `no chart with id ${id}; have ${charts.map((c) => c.id).join(', ')}`);
  return found;
}

/** The `<path>` items of one vega mark group, found by the mark's accessible role description. */
function items(svg: string, roleDescription: string): string[] {
  return [...svg.matchAll(new RegExp(`<path[^>]*aria-roledescription="${roleDescription}"[^>]*>`, 'g'))].map((m) => m[0]);
}

function markGroup(svg: string, markClass: string): string {
  const start = svg.indexOf(`class="${markClass}`);
  assert.ok(start >= 0, `no mark group ${markClass}`);
  return svg.slice(start, svg.indexOf('</g>', start));
}

describe('regression charts', () => {
  const metrics = sampleMetrics();
  const charts = regressionCharts(metrics, LIGHT_THEME);

  test('a finished run gets error boxes, a heat map, both rankings and a learning curve', () => {
    assert.deepEqual(
      charts.map((c) => c.id),
      ['mae-boxes', 'rmse-boxes', 'correlation', 'ranking-f', 'ranking-mi', 'learning-curve'],
    );
    for (const c of charts) assert.ok(c.title.length > 0 && c.description.length > 20, c.id);
  });

  test('every chart compiles with vega-lite without a warning and renders to SVG', async () => {
    for (const c of charts) {
      const { warnings } = await compileStrictly(c.spec);
      assert.deepEqual(warnings, [], `${c.id} warned`);
      const svg = await renderSvg(c.spec);
      assert.match(svg, /^<svg[\s\S]*<\/svg>$/, c.id);
    }
  });

  test('the MAE box plot draws one box per model, coloured by its feature set', async () => {
    const svg = await renderSvg(chart(charts, 'mae-boxes').spec);
    const boxes = items(svg, 'box');
    assert.equal(boxes.length, metrics.models.length);
    const [allColour, noSizeColour] = LIGHT_THEME.accent;
    for (const m of metrics.models) {
      const setLabel = m.featureSet === 'all' ? 'All features' : 'Without size';
      const box = boxes.find((b) => b.includes(`model: ${m.label};`) && b.includes(`featureSet: ${setLabel};`));
      assert.ok(box, `no box for ${m.name}`);
      assert.ok(box.includes(`fill="${m.featureSet === 'all' ? allColour : noSizeColour}"`), `${m.name} colour`);
    }
  });

  test('the RMSE box plot also draws one box per model', async () => {
    const svg = await renderSvg(chart(charts, 'rmse-boxes').spec);
    assert.equal(items(svg, 'box').length, metrics.models.length);
  });

  test('the error axis is logarithmic when the network is tens of times worse, linear otherwise', () => {
    const x = (spec: TopLevelSpec): unknown => (spec as { encoding: { x: { scale: unknown } } }).encoding.x.scale;
    assert.deepEqual(x(chart(charts, 'mae-boxes').spec), { type: 'log' });
    const close = sampleMetrics((m) => {
      m.models = m.models.filter((r) => !r.name.startsWith('network') && r.featureSet === 'no-size');
    });
    assert.deepEqual(x(chart(regressionCharts(close, LIGHT_THEME), 'mae-boxes').spec), { zero: true });
    assert.equal(chooseScale([[0.05, 0.06], [2.0, 2.1]]), 'log');
    assert.equal(chooseScale([[0, 0.06], [2.0, 2.1]]), 'linear', 'a log axis cannot show zero');
  });

  test('the heat map has one cell per feature pair on a diverging scale pinned to -1..1', async () => {
    const spec = chart(charts, 'correlation').spec as { encoding: { color: { scale: unknown }; tooltip: unknown[] } };
    assert.deepEqual(spec.encoding.color.scale, { scheme: 'blueorange', domain: [-1, 1] });
    assert.equal(spec.encoding.tooltip.length, 3);
    const svg = await renderSvg(chart(charts, 'correlation').spec);
    const cells = markGroup(svg, 'mark-rect role-mark marks').match(/<path /g) ?? [];
    assert.equal(cells.length, FEATURES.length ** 2);
  });

  test('the F-score ranking highlights the top 10 and writes the score beside the top 5', async () => {
    const ranked = rankFeatures(metrics.featureRanking, 'fScore');
    assert.deepEqual(
      ranked.slice(0, 5).map((r) => r.feature),
      FEATURES.slice(0, 5),
    );
    assert.deepEqual(
      ranked.map((r) => r.tier),
      ['Top 5', 'Top 5', 'Top 5', 'Top 5', 'Top 5', 'Top 6–10', 'Top 6–10', 'Top 6–10'],
    );
    const svg = await renderSvg(chart(charts, 'ranking-f').spec);
    assert.equal((markGroup(svg, 'mark-rect role-mark layer_0_marks').match(/<path /g) ?? []).length, FEATURES.length);
    const labels = [...markGroup(svg, 'mark-text role-mark layer_1_marks').matchAll(/<text[^>]*>([^<]*)<\/text>/g)];
    assert.deepEqual(
      labels.map((m) => m[1]),
      ['4,000', '2,000', '1,330', '1,000', '800'],
    );
  });

  test('the mutual-information ranking orders features by their own score, not by F-score', () => {
    const ranked = rankFeatures(metrics.featureRanking, 'mutualInformation');
    assert.equal(ranked[0]!.feature, 'concavity_mean');
    assert.ok(ranked.every((r, i) => i === 0 || ranked[i - 1]!.score >= r.score));
  });

  test('the learning curve draws one line per network', async () => {
    const svg = await renderSvg(chart(charts, 'learning-curve').spec);
    const lines = svg.match(/<path[^>]*aria-roledescription="line mark"/g) ?? [];
    assert.equal(lines.length, 2);
    assert.match(svg, /Neural network \(All features\)/);
    assert.match(svg, /Neural network \(Without size\)/);
  });

  test('a run without a network leaves the learning curve out instead of drawing it empty', () => {
    const ids = regressionCharts(sampleMetrics((m) => (m.networkCurve = [])), LIGHT_THEME).map((c) => c.id);
    assert.ok(!ids.includes('learning-curve'));
  });

  test('charts take their colours from the theme the webview passes', () => {
    const dark = { foreground: '#cccccc', background: '#1e1e1e', grid: '#3c3c3c', accent: ['#3794ff', '#d18616'], fontFamily: 'Segoe WPC' };
    for (const c of regressionCharts(metrics, dark)) {
      const text = JSON.stringify(c.spec);
      assert.ok(text.includes('"background":"#1e1e1e"'), c.id);
      const colours = new Set(text.match(/#[0-9a-fA-F]{3,8}\b/g) ?? []);
      for (const colour of colours) assert.ok(Object.values(dark).flat().includes(colour), `${c.id} hard-codes ${colour}`);
    }
  });
});

describe('live regression chart', () => {
  const metrics = sampleMetrics();
  const options = { theme: LIGHT_THEME, units: metrics.units, models: metrics.models, featureSets: metrics.featureSets };

  test('reads the named data source "live" and compiles without a warning', async () => {
    const spec = liveRegressionSpec(options);
    assert.deepEqual((spec as { data: unknown }).data, { name: LIVE_DATASET });
    assert.equal(LIVE_DATASET, 'live');
    assert.deepEqual((await compileStrictly(spec)).warnings, []);
  });

  test('grows one box per model as rows arrive, and shows unknown models under their own name', async () => {
    const vega = await import('vega');
    const { compile } = await import('vega-lite');
    const { expressionInterpreter } = await import('vega-interpreter');
    const compiled = compile(liveRegressionSpec(options)).spec;
    const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter });
    try {
      await view.runAsync();
      assert.equal(items(await view.toSVG(), 'box').length, 0, 'nothing before the first split');

      const rows: LiveMaeRow[] = [0, 1, 2].flatMap((split) => [
        { model: 'linear-all', split, mae: 0.05 + split / 100 },
        { model: 'network-all', split, mae: 2.1 + split / 100 },
      ]);
      await view.insert(LIVE_DATASET, rows).runAsync();
      let boxes = items(await view.toSVG(), 'box');
      assert.equal(boxes.length, 2);
      assert.ok(boxes.some((b) => b.includes('label: Linear regression;')));

      await view.insert(LIVE_DATASET, [{ model: 'mystery-model', split: 0, mae: 0.7 }]).runAsync();
      boxes = items(await view.toSVG(), 'box');
      assert.equal(boxes.length, 3);
      assert.ok(boxes.some((b) => b.includes('label: mystery-model;')));
    } finally {
      view.finalize();
    }
  });
});

describe('regression report', () => {
  const hostile = '<script>alert("x")</script> & co';
  const metrics = sampleMetrics((m) => {
    m.models[1]!.label = hostile;
  });
  let page = '';

  before(async () => {
    page = await renderRegressionReport(metrics);
  });

  function tableRows(): string[][] {
    const body = page.slice(page.indexOf('<table'), page.indexOf('</table>'));
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
      .map((row) => [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]!.trim()))
      .filter((cells) => cells.length > 0);
  }

  test('is one complete HTML document with a title and the run facts', () => {
    assert.match(page, /^<!doctype html>/);
    assert.match(page, /<\/html>\s*$/);
    assert.match(page, /<h1>Regression: predicting radius_mean<\/h1>/);
    for (const fact of ['1234', 'wasm', 'quick', '381 train / 188 test', '1 min 23 s']) {
      assert.ok(page.includes(`<dd>${fact}</dd>`), `missing fact ${fact}`);
    }
    assert.ok(page.includes('<dt>Splits</dt><dd>20</dd>'));
  });

  test('lists every model with MAE and RMSE as mean ± sd, the best of each feature set in bold', () => {
    const rows = tableRows();
    assert.equal(rows.length, metrics.models.length);
    for (const m of metrics.models) {
      const row = rows.find(
        (r) => r[0] === escapeHtml(m.label) && r[1] === (m.featureSet === 'all' ? 'All features' : 'Without size'),
      );
      assert.ok(row, `no row for ${m.name}`);
      assert.equal(row[2]!.replace(/<\/?strong>/g, ''), formatSummary(m.mae));
      assert.equal(row[3]!.replace(/<\/?strong>/g, ''), formatSummary(m.rmse));
    }
    const bold = rows.filter((r) => r[2]!.startsWith('<strong>')).map((r) => `${r[0]} / ${r[1]}`);
    assert.deepEqual(bold, ['Linear regression / All features', 'Random forest / Without size']);
    assert.match(page, /<th scope="col" class="num">MAE \(radius units\)<\/th>/);
  });

  test('escapes a model label that contains markup, and contains no script and no web address', () => {
    assert.ok(page.includes(escapeHtml(hostile)));
    assert.doesNotMatch(page, /<script/i);
    assert.doesNotMatch(page, /https?:/i);
    assert.doesNotMatch(page, /<link|<iframe|<img|@import/i);
  });

  test('inlines every chart as SVG with ids that do not collide between charts', () => {
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
    for (const ref of page.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.includes(ref[1]!), `dangling url(#${ref[1]})`);
    for (const c of regressionCharts(metrics, LIGHT_THEME)) assert.match(page, new RegExp(`<figure id="${c.id}"[\\s\\S]*?<svg`));
  });

  test('explains units, the size leak with this run\'s numbers, and the under-trained network', () => {
    const text = page.replace(/\s+/g, ' ');
    assert.match(text, /Why the errors are in the radius's own units/);
    assert.match(page, /2πr/);
    assert.match(page, /πr²/);
    assert.match(page, /3 columns: radius_worst, perimeter_mean, area_mean/);
    assert.match(page, /learning rate to 0\.01/);
    const linear = metrics.models[0]!;
    assert.ok(text.includes(`has an MAE of ${formatError(linear.mae.mean)} radius units`));
  });
});

describe('report formatting', () => {
  test('errors show three decimals, and a tiny spread reads "< 0.001" rather than 0.000', () => {
    assert.equal(formatSummary({ mean: 0.10449, sd: 0.0123 }), '0.104 ± 0.012');
    assert.equal(formatSummary({ mean: 4.2, sd: 0.0002 }), '4.200 ± < 0.001');
    assert.equal(formatError(0), '0.000');
  });

  test('the html template escapes text and keeps nested markup', () => {
    const inner = html`<b>${'a<b'}</b>`;
    assert.equal(html`<p>${inner} ${'"q" & \'s\''}</p>`.value, '<p><b>a&lt;b</b> &quot;q&quot; &amp; &#39;s&#39;</p>');
  });
});
