/**
 * A learner runs the Regression lab from the command palette: a cancellable progress notification appears,
 * the Lab Results panel opens, and when training ends it is filled with charts. The panel showing an error,
 * or never getting past its loading text, fails the test.
 */
import { test } from 'node:test';
import { paletteTitle, readManifest } from './harness/manifest';
import { quickRun, resultsPanel, screenshotEachChart, waitForChartsOrError, waitForPanelRendered, waitForRunProgress, waitForRunShown } from './harness/resultsPanel';
import { withVsCode } from './harness/session';
import { screenshotEachTheme } from './harness/themes';
import { timed } from './harness/timing';
import { runCommand } from './harness/workbench';

const manifest = readManifest();
const run = quickRun(manifest);

test('running Regression from the command palette shows progress, then the results panel fills with charts', { timeout: run.budgetMs + 150_000 }, () =>
  withVsCode({ name: 'regression-run-dark', theme: 'dark', settings: run.settings }, async ({ page, screenshot }) => {
    await timed('regression-run-dark: scenario', async () => {
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.run'));
      await waitForRunProgress(page, manifest);
      const panel = resultsPanel(page, manifest);
      await waitForPanelRendered(panel);
      await waitForRunShown(panel);
      await screenshot('regression-run-progress-dark.png');

      await waitForChartsOrError(page, manifest, panel, run.budgetMs);
      await screenshot('regression-run-dark.png');
      await screenshotEachChart(page, panel, screenshot, 'regression-run-dark');
      await screenshotEachTheme(page, screenshot, 'regression-run', 'dark');
    });
  }),
);
