/**
 * A learner cancels a long run from its progress notification: the Lab Results panel says the run was
 * cancelled (not failed), a notification says so, and the extension is ready for the next run: the learner
 * lowers the number of splits in the Settings editor and runs again, and that run finishes with charts.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { paletteTitle, readManifest, settingKey } from './harness/manifest';
import { quickRun, resultsPanel, waitForChartsOrError, waitForLiveChart, waitForPanelRendered, waitForRunProgress, waitForRunShown } from './harness/resultsPanel';
import { withVsCode } from './harness/session';
import { screenshotEachTheme } from './harness/themes';
import { timed } from './harness/timing';
import { notification, runCommand, setSettingInUi } from './harness/workbench';

const manifest = readManifest();
const run = quickRun(manifest);
const splitsKey = settingKey(manifest, /(^|\.)splits$/);
/** Minutes of work: the Cancel press certainly comes before the end. */
const LONG_SPLITS = 200;

test('cancelling a run from its notification shows it cancelled, and the next run works', { skip: splitsKey ? false : 'no splits setting', timeout: run.budgetMs + 240_000 }, () =>
  withVsCode({ name: 'cancel', theme: 'dark', settings: { [splitsKey!]: LONG_SPLITS } }, async ({ page, screenshot, userSettings }) => {
    await timed('cancel: scenario', async () => {
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.run'));
      await waitForRunProgress(page, manifest);
      const panel = resultsPanel(page, manifest);
      await waitForPanelRendered(panel);
      await waitForRunShown(panel);
      // Cancel while splits are being trained, not while the trainer is still starting.
      await panel.locator('#run-percent').filter({ hasText: /^[1-9]\d?%$/ }).waitFor({ timeout: 120_000 });
      await waitForLiveChart(panel);
      assert.ok((await panel.locator('#live-chart svg .role-mark path').count()) > 0, 'the live chart has no marks');

      await notification(page, manifest.displayName).getByRole('button', { name: 'Cancel' }).click();
      await panel.locator('#error-state').getByRole('heading', { name: 'Cancelled' }).waitFor({ timeout: 30_000 });
      await panel.locator('#run-status').filter({ hasText: /cancelled/i }).waitFor();
      await notification(page, /run cancelled/i).waitFor({ timeout: 15_000 });
      assert.equal(await panel.locator('#charts svg, #charts canvas').count(), 0, 'a cancelled run draws no final charts');
      assert.ok(await panel.locator('#action-run').isVisible(), 'the panel offers to run again');
      await screenshotEachTheme(page, screenshot, 'cancel', 'dark', { allowAlerts: true });

      await runCommand(page, 'Notifications: Clear All Notifications');
      await setSettingInUi(page, splitsKey!, String(run.settings[splitsKey!]));
      await waitForSetting(() => userSettings()[splitsKey!], run.settings[splitsKey!]);
      // The Settings editor hid the panel; once it is closed the panel is shown again from its saved state
      // (the cancelled run). Waiting for that first keeps the restored page from being taken for the new run.
      await runCommand(page, 'View: Close Editor');
      await panel.locator('#error-state').getByRole('heading', { name: 'Cancelled' }).waitFor({ timeout: 30_000 });
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.run'));
      await waitForRunProgress(page, manifest);
      await panel.locator('#run-status').filter({ hasText: /^Training/ }).waitFor({ timeout: 30_000 });
      await panel.locator('#error-state').waitFor({ state: 'hidden' });
      await waitForChartsOrError(page, manifest, panel, run.budgetMs);
      await screenshot('cancel-next-run.png');
    });
  }),
);

/**
 * VS Code writes settings.json shortly after the box changes: poll the file, bounded. VS Code truncates the
 * file before it writes it, so a read can land on an empty or half-written file: that is "not yet".
 */
async function waitForSetting(read: () => unknown, expected: unknown): Promise<void> {
  const current = (): unknown => {
    try {
      return read();
    } catch (err) {
      if (err instanceof SyntaxError) return `(being written: ${err.message})`;
      throw err;
    }
  };
  for (const deadline = Date.now() + 10_000; current() !== expected; await delay(100)) {
    if (Date.now() > deadline) assert.fail(`settings.json still has ${JSON.stringify(current())}, not ${JSON.stringify(expected)}`);
  }
}
