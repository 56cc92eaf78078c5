import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExperimentResult } from '../../protocol/messages';
import type { EpochLiveRow } from '../../protocol/webview';
import { confusionCells, describeCell } from '../../trainer/report/charts/classificationConfusion';
import { liveClassificationSpec } from '../../trainer/report/charts/liveClassification';
import { LIVE_DATASET } from '../../trainer/report/charts/liveRegression';
import { accents, LIGHT_THEME } from '../../trainer/report/charts/theme';
import { CONFUSIONS_PER_EXPERIMENT, misclassifiedSection } from '../../trainer/report/classificationMistakes';

const CLASSES = ['adipose', 'background', 'debris'];

describe('the confusion matrix a learner explores', () => {
  const experiment: Pick<ExperimentResult, 'confusion' | 'misclassified'> = {
    confusion: [
      [30, 0, 12],
      [1, 50, 0],
      [0, 0, 0],
    ],
    misclassified: [
      { trueClass: 0, predicted: 2, count: 12, testIndices: [4, 9, 17, 21] },
      { trueClass: 1, predicted: 0, count: 1, testIndices: [33] },
    ],
  };
  const cells = confusionCells(CLASSES, experiment);

  test('has one cell per true and predicted class, with the count, the share of the true class and the kept test rows', () => {
    assert.deepEqual(cells.map((row) => row.map((c) => c.count)), experiment.confusion);
    assert.deepEqual(cells[0]![2], { trueClass: 0, predictedClass: 2, truth: 'adipose', predicted: 'debris', count: 12, share: 12 / 42, testIndices: [4, 9, 17, 21] });
    assert.deepEqual(cells[1]![0]!.testIndices, [33]);
    // A class with no test images has no shares rather than NaN.
    assert.deepEqual(cells[2]!.map((c) => c.share), [0, 0, 0]);
    assert.deepEqual(cells[0]![0]!.testIndices, [], 'the diagonal keeps no images');
  });

  test('reads out a cell as true class, prediction and number of images', () => {
    assert.equal(describeCell(cells[0]![2]!), 'true adipose, predicted debris: 12 images');
    assert.equal(describeCell(cells[1]![0]!), 'true background, predicted adipose: 1 image');
  });
});

describe('the live classification chart', () => {
  const rows = (epoch: number): EpochLiveRow[] =>
    (['A', 'B', 'C'] as const).flatMap((model, i) => [
      { kind: 'epoch' as const, model, epoch, metric: 'trainLoss' as const, value: 1 / epoch + i / 10 },
      { kind: 'epoch' as const, model, epoch, metric: 'valAcc' as const, value: 0.5 + epoch / 10 + i / 20 },
    ]);

  /** The line marks of the SVG, as [aria-label, stroke colour, number of points on the path]. */
  function lines(svg: string): [string, string, number][] {
    return [...svg.matchAll(/<path aria-label="([^"]*)"[^>]*aria-roledescription="line mark" d="([^"]*)" stroke="([^"]*)"/g)].map((m) => [
      m[1]!,
      m[3]!,
      m[2]!.split(/[ML]/).filter(Boolean).length,
    ]);
  }

  test('draws a loss line and an accuracy line per experiment, one point per finished epoch, in the experiments’ colours', async () => {
    const vega = await import('vega');
    const { compile } = await import('vega-lite');
    const { expressionInterpreter } = await import('vega-interpreter');
    const view = new vega.View(vega.parse(compile(liveClassificationSpec(LIGHT_THEME)).spec, undefined, { ast: true }), {
      renderer: 'none',
      expr: expressionInterpreter,
    });
    try {
      await view.runAsync();
      assert.equal(lines(await view.toSVG()).length, 0, 'nothing before the first epoch');

      await view.insert(LIVE_DATASET, rows(1)).runAsync();
      await view.insert(LIVE_DATASET, rows(2)).runAsync();
      const drawn = lines(await view.toSVG());
      assert.equal(drawn.length, 6);
      const [blue, orange, green] = accents(LIGHT_THEME, 3);
      for (const [measure, count] of [['Training loss', 3], ['Validation accuracy', 3]] as const) {
        const panel = drawn.filter(([label]) => label.includes(measure));
        assert.equal(panel.length, count, measure);
        assert.deepEqual(
          panel.map(([label, stroke, points]) => [/Experiment ([ABC])/.exec(label)?.[1], stroke, points]),
          [['A', blue, 2], ['B', orange, 2], ['C', green, 2]],
        );
      }
    } finally {
      view.finalize();
    }
  });
});

describe('the report’s misclassified images', () => {
  const experiment = (name: ExperimentResult['name'], confusion: number[][], misclassified: ExperimentResult['misclassified']): ExperimentResult => ({
    name,
    label: `Experiment ${name}`,
    start: 'random',
    trains: 'all',
    epochs: [],
    test: { acc: 0.5, auc: 0.5 },
    confusion,
    misclassified,
    wallSeconds: 1,
  });
  // Eight classes, each confused with the next by a different count, so the ranking is visible.
  const classes = ['<b>adipose</b>', 'background', 'debris', 'lymphocytes', 'mucus', 'muscle', 'mucosa', 'stroma'];
  const confusion = classes.map((_, t) => classes.map((__, p) => (p === t ? 20 : p === (t + 1) % 8 ? t + 1 : 0)));
  const misclassified = classes.map((_, t) => ({ trueClass: t, predicted: (t + 1) % 8, count: t + 1, testIndices: [100 + t, 200 + t].slice(0, t + 1) }));
  const page = misclassifiedSection({ classes, experiments: [experiment('A', confusion, misclassified), experiment('B', [[3, 0], [0, 4]], [])] }, 'thumbnails').value;

  test('shows each experiment’s most frequent confusions with their thumbnails from the run folder', () => {
    const shown = [...page.matchAll(/<p>(true [^<]*)<\/p>/g)].map((m) => m[1]);
    assert.equal(shown.length, CONFUSIONS_PER_EXPERIMENT);
    assert.equal(shown[0], 'true stroma, predicted &lt;b&gt;adipose&lt;/b&gt;: 8 images (the first 2)');
    assert.equal(shown.at(-1), 'true debris, predicted lymphocytes: 3 images (the first 2)');
    assert.match(page, /<img src="thumbnails\/test-107.png" width="84" height="84" alt="Test image 107: true stroma, predicted &lt;b&gt;adipose&lt;\/b&gt;">/);
    assert.doesNotMatch(page, /test-100\.png|test-101\.png/, 'the two rarest confusions are left out');
    assert.doesNotMatch(page, /<b>adipose/, 'class names are escaped');
  });

  test('says so when an experiment got every test image right', () => {
    assert.match(page, /<h3>B: Experiment B<\/h3><p>No test image was misclassified.<\/p>/);
  });
});
