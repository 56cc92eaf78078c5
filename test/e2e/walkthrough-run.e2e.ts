/**
 * The course's own path: in the Regression walkthrough, the learner presses the scaffold step's button (the
 * exercise file is written into the workspace and opened), comes back to the walkthrough, presses the run
 * step's Run Regression button, and the Lab Results panel opens beside the walkthrough and fills with charts.
 *
 * In code-server every webview shares one origin and one service worker; the walkthrough's markdown webview is
 * re-created at the moment the results panel is created, and about 1 run in 3 the panel's host stalled (blank, or
 * on its loading text). The extension replaces a panel whose page does not say ready (extension/webview/
 * readyWatchdog.ts), so this scenario must pass every time.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifest, stepRunning, walkthrough } from './harness/manifest';
import { quickRun, resultsPanel, waitForChartsOrError, waitForPanelRendered, waitForRunProgress, waitForRunShown } from './harness/resultsPanel';
import { withVsCode } from './harness/session';
import { screenshotEachTheme } from './harness/themes';
import { timed } from './harness/timing';
import { openWalkthrough, showStep, stepEntry } from './harness/walkthroughPage';
import { editorTab } from './harness/workbench';

const manifest = readManifest();
const regression = walkthrough(manifest, 'regression');
const run = quickRun(manifest);
const { step, label } = stepRunning(regression, 'biomedLab.regression.run');
const scaffold = stepRunning(regression, 'biomedLab.regression.scaffoldExercise');

test(
  `the walkthrough's "${label}" button runs the lab and the results panel opens beside it with charts`,
  { timeout: run.budgetMs + 150_000 },
  () =>
    withVsCode({ name: 'walkthrough-run-dark', theme: 'dark', settings: run.settings }, async ({ page, screenshot, workspace }) => {
      await timed('walkthrough-run-dark: scenario', async () => {
        await openWalkthrough(page, manifest, regression);
        await showStep(page, scaffold.step);
        await stepEntry(page, scaffold.step).getByRole('button', { name: scaffold.label }).click();
        await editorTab(page, 'network.ts').waitFor({ timeout: 30_000 });
        assert.ok(existsSync(join(workspace, 'biomed-lab', 'regression', 'network.ts')), 'the exercise file was not written into the workspace');

        await openWalkthrough(page, manifest, regression);
        await showStep(page, step);
        await stepEntry(page, step).getByRole('button', { name: label }).click();
        await waitForRunProgress(page, manifest);
        const panel = resultsPanel(page, manifest);
        await waitForPanelRendered(panel);
        await waitForRunShown(panel);
        await waitForChartsOrError(page, manifest, panel, run.budgetMs);
        await screenshotEachTheme(page, screenshot, 'walkthrough-run', 'dark');
      });
    }),
);
