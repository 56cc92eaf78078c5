/**
 * The plain-English part of the classification report: why freezing the backbone costs accuracy, and what
 * comparing a random start with an ImageNet start shows, each followed by what this run's numbers say.
 */
import type { ClassificationMetrics, ExperimentResult } from '../../protocol/messages';
import { html, type SafeHtml } from './html';

export function classificationExplanations(metrics: ClassificationMetrics): SafeHtml {
  const find = (name: ExperimentResult['name']): ExperimentResult | undefined => metrics.experiments.find((e) => e.name === name);
  return html`
<section class="explain">
  <h2>Reading these results</h2>
  ${caveats(metrics)}
  ${frozenSection(find('B'), find('A'), find('C'))}
  ${startSection(find('A'), find('C'))}
</section>`;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function caveats(metrics: ClassificationMetrics): SafeHtml {
  const trained = metrics.data.classCounts.train.reduce((a, b) => a + b, 0);
  const notes: SafeHtml[] = [];
  if (metrics.weights?.origin === 'local-file') {
    notes.push(html`<p><strong>About the pretrained weights.</strong> B and C started from a local file
    (<code>${metrics.weights.file}</code>) rather than the downloaded ImageNet weights. If that file is not
    torchvision's ImageNet ResNet-18 (a test fixture with random values, say), B and C show nothing about transfer
    learning and the comparisons below do not apply to this run.</p>`);
  }
  if (trained < metrics.data.trainAvailable || metrics.training.epochs < 5) {
    notes.push(html`<p><strong>A shortened run.</strong> The networks trained on ${trained} of the
    ${metrics.data.trainAvailable} training images for ${metrics.training.epochs} epoch(s); the paper used all of
    them for 5 epochs. Short training hurts the randomly initialised network most, so expect A below C here even
    where the full run finds them level.</p>`);
  }
  return html`${notes}`;
}

function frozenSection(b: ExperimentResult | undefined, a: ExperimentResult | undefined, c: ExperimentResult | undefined): SafeHtml {
  const others = [a, c].filter((e): e is ExperimentResult => e !== undefined);
  const best = others.sort((x, y) => y.test.acc - x.test.acc)[0];
  const thisRun =
    b && best
      ? html`<p>In this run B reached ${pct(b.test.acc)} test accuracy against ${pct(best.test.acc)} for ${best.name},
  ${b.test.acc < best.test.acc ? `${((best.test.acc - b.test.acc) * 100).toFixed(1)} points lower` : 'no lower'}, and it
  trained in ${b.wallSeconds.toFixed(0)} s against ${best.wallSeconds.toFixed(0)} s: only the head's gradients are computed.</p>`
      : '';
  return html`
  <h3>Why the frozen backbone (B) falls behind</h3>
  <p>In B every convolution keeps the filters it learnt on ImageNet, and only the last layer, a linear map from
  512 numbers to one score per class, is trained. Those filters were shaped by photographs of everyday objects
  around 224 pixels wide. Here the input is a 28×28 patch: after the first strided convolution and the max-pool
  the network is already looking at a 7×7 grid, and by the last stage at a single position, so the features it
  computes describe these images poorly. A linear head can only weigh the features it is given; it cannot make
  new ones, and so the accuracy has a ceiling well below a network free to reshape its filters.</p>
  <p>Freezing also has to include BatchNorm. Each BatchNorm layer normalises with running averages of what it saw
  in training; in training mode it replaces them with statistics of the current batch and keeps updating the
  averages. The notebook this course builds on froze the weights but left BatchNorm in training mode, so part of
  its "frozen" backbone kept changing. Here B runs the backbone in inference mode, and a test checks that every
  backbone weight and every running mean and variance is bit-for-bit unchanged after training.</p>
  ${thisRun}`;
}

function startSection(a: ExperimentResult | undefined, c: ExperimentResult | undefined): SafeHtml {
  const thisRun =
    a && c
      ? html`<p>In this run A reached ${pct(a.test.acc)} and C ${pct(c.test.acc)} test accuracy
  (validation after the first epoch: ${pct(a.epochs[0]?.val.acc ?? 0)} and ${pct(c.epochs[0]?.val.acc ?? 0)}).</p>`
      : '';
  return html`
  <h3>What A against C shows</h3>
  <p>A and C train every layer with the same optimiser, on the same images in the same order, from the same random
  head. The only difference is where the backbone starts: from random numbers (A) or from ImageNet (C). With tens
  of thousands of labelled images of a single kind, a ResNet-18 can learn the filters it needs from scratch, so the
  paper finds A and C about equal; a head start from ImageNet pays most when labelled images are few, or when
  training is short, where C usually leads in the first epochs.</p>
  <p>That comparison is only meaningful if A really starts from random weights. In the public notebook the
  "random" network silently loaded the ImageNet weights, so A and C were the same experiment run twice and their
  agreement said nothing. Here A never reads the weights file, and a test checks that its first convolution holds
  freshly initialised values, not the file's.</p>
  ${thisRun}`;
}
