/**
 * The results outlive their tab being hidden: after a short run, another editor is opened in the Lab
 * Results panel's group (the webview is hidden), then the panel's tab is selected again. The table and the
 * charts come back as they were, without a new run: the panel still says the run finished, no progress
 * notification is showing, and the table has the same text (the seed is fixed, so the numbers alone would
 * not tell a new run apart; the status and the notification do).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { extensionId, paletteTitle, readManifest } from './harness/manifest';
import { quickRun, resultsPanel, waitForChartsOrError, waitForPanelRendered, waitForRunProgress, waitForRunShown } from './harness/resultsPanel';
import { withVsCode } from './harness/session';
import { screenshotEachTheme } from './harness/themes';
import { timed } from './harness/timing';
import { editorTab, exactly, notification, runCommand } from './harness/workbench';

const manifest = readManifest();
const run = quickRun(manifest);
const PANEL_TITLE = 'Lab Results';
const OTHER_FILE = 'notes.md';

test('the results panel shows its table and charts again after its tab was hidden, without a new run', { timeout: run.budgetMs + 150_000 }, () =>
  withVsCode({ name: 'restore', theme: 'dark', settings: run.settings }, async ({ page, workspace, screenshot }) => {
    await timed('restore: scenario', async () => {
      writeFileSync(join(workspace, OTHER_FILE), '# Notes\n\nWhat changed when the learning rate went up?\n');
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.run'));
      await waitForRunProgress(page, manifest);
      const panel = resultsPanel(page, manifest);
      await waitForPanelRendered(panel);
      await waitForRunShown(panel);
      await waitForChartsOrError(page, manifest, panel, run.budgetMs);
      const table = panel.locator('#results-table');
      const tableText = await table.innerText();
      const status = panel.locator('#run-status');
      const statusText = await status.innerText();
      const chartCount = await panel.locator('#charts svg, #charts canvas').count();
      await runCommand(page, 'Notifications: Clear All Notifications');

      // Another editor in the panel's group hides the webview.
      const resultsTab = editorTab(page, exactly(PANEL_TITLE));
      await resultsTab.click();
      await resultsTab.and(page.locator('.tab.active')).waitFor();
      await runCommand(page, 'Go to File...');
      await page.locator('.quick-input-widget .quick-input-box input').fill(OTHER_FILE);
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: OTHER_FILE }).waitFor();
      await page.keyboard.press('Enter');
      const otherTab = editorTab(page, OTHER_FILE);
      await otherTab.and(page.locator('.tab.active')).waitFor();
      assert.equal(await otherTab.count(), 1);
      const sameGroup = page.locator('.editor-group-container', { has: resultsTab }).filter({ has: otherTab });
      assert.equal(await sameGroup.count(), 1, `${OTHER_FILE} opened in another group than the results panel`);
      await page.locator(`iframe.webview[src*="extensionId=${extensionId(manifest)}&"]`).first().waitFor({ state: 'hidden' });
      await screenshot('restore-hidden.png');

      await resultsTab.click();
      await table.waitFor({ timeout: 30_000 });
      await panel.locator('#charts svg, #charts canvas').first().waitFor();
      assert.equal(await panel.locator('#charts svg, #charts canvas').count(), chartCount, 'every chart is back');
      assert.equal(await table.innerText(), tableText, 'the table shows the same run');
      assert.equal(await status.innerText(), statusText, 'the panel shows the finished run, not a new one');
      assert.equal(await notification(page, manifest.displayName).count(), 0, 'no new run started');
      await screenshot('restore.png');
      await screenshotEachTheme(page, screenshot, 'restore', 'dark');
    });
  }),
);
