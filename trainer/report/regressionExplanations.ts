/**
 * The plain-English part of the regression report: three short explanations, each ending with what this
 * particular run shows, so the learner reads the general point next to their own numbers.
 */
import type { ModelResult, RegressionMetrics } from '../../protocol/messages';
import { formatError, formatRatio } from './format';
import { html, type SafeHtml } from './html';

/** Feature-set names the regression submodule uses for the full set and the set without size measurements. */
const ALL_FEATURES = 'all';
const NO_SIZE = 'no-size';
/** Epochs looked back over to decide whether the loss was still falling when training stopped. */
const TAIL_EPOCHS = 10;

export function regressionExplanations(metrics: RegressionMetrics): SafeHtml {
  return html`
<section class="explain">
  <h2>Reading these results</h2>
  ${unitsSection(metrics)}
  ${leakSection(metrics)}
  ${networkSection(metrics)}
</section>`;
}

function unitsSection(metrics: RegressionMetrics): SafeHtml {
  return html`
  <h3>Why the errors are in the radius's own units</h3>
  <p>Every error in this report is measured on the same ruler as the quantity being predicted,
  <code>${metrics.target}</code>, in ${metrics.units}. An MAE of 0.100 means that on a typical test row the
  prediction missed the true radius by a tenth of a unit. RMSE squares each miss before averaging, so a few
  large misses raise it more than many small ones; RMSE is never below MAE.</p>
  <p>A model may rescale its inputs, or even its target, while it trains, but its predictions are put back into
  ${metrics.units} before they are scored. Had one model been scored on a rescaled copy of the target, its errors
  would shrink by the width of the target's range and look far better than they are; scoring everyone in the
  same units is what makes the table and the box plots a fair comparison.</p>`;
}

function leakSection(metrics: RegressionMetrics): SafeHtml {
  const all = metrics.featureSets.find((s) => s.name === ALL_FEATURES);
  const noSize = metrics.featureSets.find((s) => s.name === NO_SIZE);
  const removed = all && noSize ? all.features.filter((f) => !noSize.features.includes(f)) : [];
  const before = bestIn(metrics, ALL_FEATURES);
  const after = bestIn(metrics, NO_SIZE);

  const comparison =
    before && after
      ? html`<p>In this run the best model with all features (${before.label}) has an MAE of
  ${formatError(before.mae.mean)} ${metrics.units}; without the size features the best
  (${after.label}) has ${formatError(after.mae.mean)} ${metrics.units}${
    before.mae.mean > 0 ? html`, ${formatRatio(after.mae.mean / before.mae.mean)} larger` : ''
  }. The second number is the honest one: it is how well the shape and texture of the nuclei alone tell us
  their size.</p>`
      : '';

  return html`
  <h3>Why perimeter and area give the radius away</h3>
  <p>Radius, perimeter and area are three measurements of the same traced outline of the same nuclei. For a
  roughly round nucleus the perimeter is close to 2πr and the area close to πr², so the radius can be worked
  back out as perimeter ÷ 2π or as √(area ÷ π). A model given those columns does not have to learn anything
  about the cells: it can read the answer off a rearranged copy of it, and its very small error says more about
  geometry than about biology. The "worst" and standard-error columns of the same three measurements are
  summaries of the same outlines and leak in the same way.</p>
  ${
    removed.length > 0
      ? html`<p>The <em>${noSize?.label ?? NO_SIZE}</em> feature set leaves out every size measurement
  (${removed.length} columns: ${removed.join(', ')}), so the models have to predict the radius from the
  remaining measurements.</p>`
      : ''
  }
  ${comparison}`;
}

function networkSection(metrics: RegressionMetrics): SafeHtml {
  const networkNames = new Set(metrics.networkCurve.map((p) => p.model));
  const networks = metrics.models.filter((m) => networkNames.has(m.name));
  const facts = networks.flatMap((net) => {
    const baseline = bestIn(metrics, net.featureSet, networkNames);
    if (!baseline || baseline.mae.mean <= 0) return [];
    return [
      html`<li>${net.label} on ${featureSetLabel(metrics, net.featureSet)}: MAE ${formatError(net.mae.mean)}
  ${metrics.units}, ${formatRatio(net.mae.mean / baseline.mae.mean)} that of ${baseline.label}
  (${formatError(baseline.mae.mean)}).</li>`,
    ];
  });
  const tail = tailDrop(metrics);

  return html`
  <h3>Why the course network is under-trained, and what to try</h3>
  <p>The course network is a single linear layer, the same kind of model as linear regression, so trained to the end
  it should do about as well. The difference is in how it is fitted: this run used plain stochastic gradient descent
  with a learning rate of ${String(metrics.training.learningRate)} for ${String(metrics.training.epochs)} epochs in
  batches of ${String(metrics.training.batchSize)}. At the course's rate of 0.0001 each update moves a weight by only
  one ten-thousandth of its gradient, and the network starts from small random weights whose first predictions are nowhere near a real
  radius. A hundred passes over the training rows are not enough of those small steps to close that gap,
  so training stops while the learning curve is still going down.</p>
  ${facts.length > 0 ? html`<ul>${facts}</ul>` : ''}
  ${
    tail
      ? html`<p>Over its last ${tail.epochs} epochs the training loss of ${tail.model} fell by
  ${tail.percent.toFixed(1)}%${tail.percent > 1 ? ': it had not settled when training stopped' : ''}.</p>`
      : ''
  }
  <p>A wide spread across splits is part of the same story: each split starts from different random weights, and
  a network that has not converged still carries much of where it started.</p>
  <p>Things to try in the exercise file:</p>
  <ul>
    <li>Raise the learning rate to 0.01, then 0.1, and run again. The loss should drop much faster and then
    flatten; if it grows instead, or turns into NaN, the rate is too large for plain gradient descent.</li>
    <li>Train for more epochs and watch where the learning curve levels off.</li>
    <li>Each time, compare the network's MAE with linear regression on the same features: once trained
    properly, a single linear layer should land close to it.</li>
  </ul>`;
}

/** The lowest mean MAE among the models trained on `featureSet`, leaving out the `exclude`d names. */
function bestIn(
  metrics: RegressionMetrics,
  featureSet: string,
  exclude: ReadonlySet<string> = new Set(),
): ModelResult | undefined {
  let best: ModelResult | undefined;
  for (const m of metrics.models) {
    if (m.featureSet !== featureSet || exclude.has(m.name)) continue;
    if (!best || m.mae.mean < best.mae.mean) best = m;
  }
  return best;
}

function featureSetLabel(metrics: RegressionMetrics, name: string): string {
  return metrics.featureSets.find((s) => s.name === name)?.label ?? name;
}

function tailDrop(metrics: RegressionMetrics): { model: string; epochs: number; percent: number } | undefined {
  const first = metrics.networkCurve[0];
  if (!first) return undefined;
  const curve = metrics.networkCurve.filter((p) => p.model === first.model).sort((a, b) => a.epoch - b.epoch);
  const last = curve[curve.length - 1];
  const earlier = curve[curve.length - 1 - TAIL_EPOCHS];
  if (!last || !earlier || earlier.loss <= 0) return undefined;
  const model = metrics.models.find((m) => m.name === first.model);
  const label = model ? `${model.label} (${featureSetLabel(metrics, model.featureSet)})` : first.model;
  return { model: label, epochs: TAIL_EPOCHS, percent: ((earlier.loss - last.loss) / earlier.loss) * 100 };
}
