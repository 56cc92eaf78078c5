/**
 * A learner runs the Classification lab from the command palette with a local weights file: progress, live
 * curves per experiment, then the table, the test-accuracy bars and the confusion matrix. A misclassified
 * cell, chosen with the keyboard, opens the gallery of those test images, which must load from the run's
 * folder through the webview's resource roots.
 *
 * The data is a generated file in PathMNIST's format and shape (28×28 RGB, nine classes; test/unit/
 * data-fixtures.ts), small enough that three experiments train in seconds: the real BreastMNIST run is
 * covered by the CLI tests, and this scenario is about what the learner sees. The weights are a seeded
 * torchvision ResNet-18 written by scripts/reference/resnet18_fixture.py, a stand-in for ImageNet's, which
 * cannot be downloaded in a test. So the accuracies mean nothing here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { PATH_SHAPED, medmnistNpz } from '../unit/data-fixtures';
import { repoRoot } from './harness/env';
import { paletteTitle, readManifest } from './harness/manifest';
import { resultsPanel, waitForChartsOrError, waitForPanelRendered, waitForRunProgress, waitForRunShown } from './harness/resultsPanel';
import { withVsCode } from './harness/session';
import { screenshotEachTheme } from './harness/themes';
import { timed } from './harness/timing';
import { runCommand } from './harness/workbench';

const manifest = readManifest();
const BUDGET_MS = 180_000;
const fixtures = mkdtempSync(join(tmpdir(), 'biomed-e2e-classification-'));
after(() => rmSync(fixtures, { recursive: true, force: true }));

function fixtureWeights(): string {
  const out = join(fixtures, 'weights');
  const made = spawnSync('/usr/bin/python3', [join(repoRoot, 'scripts/reference/resnet18_fixture.py'), '--out', out, '--sizes', '28', '--batch', '1'], { encoding: 'utf8' });
  assert.equal(made.status, 0, `resnet18_fixture.py failed: ${made.stderr}`);
  return join(out, 'weights.safetensors');
}

/** A data folder holding a PathMNIST-shaped file under PathMNIST's name, the lab's default dataset. */
function pathShapedDataDir(): string {
  const dir = join(fixtures, 'data');
  mkdirSync(dir);
  writeFileSync(join(dir, 'pathmnist.npz'), medmnistNpz({ ...PATH_SHAPED, counts: { train: 48, val: 18, test: 36 } }));
  return dir;
}

/** Every image in the gallery has loaded and has pixels; a broken resource root gives the "missing" text. */
async function galleryImagesLoaded(panel: FrameLocator): Promise<number> {
  const gallery = panel.locator('#misclassified-gallery');
  await gallery.locator('img').first().waitFor({ timeout: 15_000 });
  assert.equal(await gallery.locator('.missing').count(), 0, `thumbnails missing: ${await gallery.innerText()}`);
  return gallery.evaluate(async (section) => {
    const images = Array.from(section.querySelectorAll('img'));
    await Promise.all(images.map((img) => (img.complete ? Promise.resolve() : new Promise((r) => img.addEventListener('load', r, { once: true })))));
    const empty = images.filter((img) => img.naturalWidth === 0).map((img) => img.alt);
    if (empty.length > 0) throw new Error(`images without pixels: ${empty.join('; ')}`);
    return images.length;
  });
}

test('running Classification shows live curves, then results whose confusion cells open the misclassified images', { timeout: BUDGET_MS + 150_000 }, () =>
  withVsCode(
    {
      name: 'classification-run',
      theme: 'light',
      settings: {
        'biomedLab.dataDirectory': pathShapedDataDir(),
        'biomedLab.imagenetWeights': fixtureWeights(),
        'biomedLab.profile': 'quick',
      },
    },
    async ({ page, screenshot }) => {
      await timed('classification-run: scenario', async () => {
        await runCommand(page, paletteTitle(manifest, 'biomedLab.classification.run'));
        await waitForRunProgress(page, manifest);
        const panel = resultsPanel(page, manifest);
        await waitForPanelRendered(panel);
        await waitForRunShown(panel);
        // Live: the curves appear while the first experiment trains, before any final result.
        await panel.locator('#live-chart svg').first().waitFor({ timeout: BUDGET_MS });
        assert.equal(await panel.locator('#confusion-matrix').count(), 0, 'the confusion matrix was shown before the run ended');
        await screenshot('classification-run/live.png');

        await waitForChartsOrError(page, manifest, panel, BUDGET_MS);
        const table = await panel.locator('#results-table').innerText();
        for (const name of ['A', 'B', 'C']) assert.match(table, new RegExp(`^${name}: `, 'm'), `experiment ${name} is not in the table:\n${table}`);

        // The keyboard path: focus lands on a misclassified cell and Enter opens its images.
        const cell = panel.locator('#confusion-matrix button.cell-button').first();
        await cell.waitFor();
        const cellId = await cell.getAttribute('id');
        await cell.focus();
        await page.keyboard.press('Enter');
        await panel.locator(`#${cellId}[aria-pressed="true"]`).waitFor();
        assert.match(await panel.locator('#gallery-heading').innerText(), /^Experiment [ABC], /);
        const images = await galleryImagesLoaded(panel);
        assert.ok(images > 0, 'the gallery shows no image');
        console.log(`[e2e] classification: ${cellId} opened ${images} misclassified test images`);
        await panel.locator('#confusion-section').scrollIntoViewIfNeeded();
        await screenshotEachTheme(page, screenshot, 'classification-run', 'light');
      });
    },
  ),
);
