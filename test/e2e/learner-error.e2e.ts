/**
 * A learner's mistake, end to end: the exercise's buildNetwork throws on line 3. Running the lab reports it
 * in an error notification, in the results panel's error state and in the Problems view at the learner's
 * line. Fixing the file and running again works (the extension is still healthy) and the problem is gone.
 *
 * The file is rewritten on disk, as an external edit, then "File: Revert File" makes the editor read it back
 * (code-server's file watcher may not notice the change in the sandbox) and the wait is on the editor showing
 * the new text. Typing into the editor would go through auto-indent and auto-closing brackets.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './harness/env';
import { extensionId, paletteTitle, readManifest } from './harness/manifest';
import { quickRun, resultsPanel, waitForChartsOrError, waitForRunProgress, waitForRunShown } from './harness/resultsPanel';
import { withVsCode } from './harness/session';
import { screenshotEachTheme } from './harness/themes';
import { timed } from './harness/timing';
import { webviewContent } from './harness/webviews';
import { editorTab, focusProblems, notification, runCommand } from './harness/workbench';

const manifest = readManifest();
const run = quickRun(manifest);
const MESSAGE = 'lab test error';
const BROKEN = [
  "import * as tf from '@tensorflow/tfjs';",
  'export function buildNetwork(inputFeatures: number): tf.LayersModel {',
  `  throw new Error('${MESSAGE}: ' + inputFeatures);`,
  '}',
  'export const training = { learningRate: 1e-4, epochs: 100, batchSize: 32 };',
  '',
].join('\n');
const FIXED = readFileSync(join(repoRoot, 'walkthroughs', 'regression', 'exercise', 'network.ts'), 'utf8');

test('an error in the learner\'s network is reported at line 3, and after the fix the lab runs again', { timeout: 2 * run.budgetMs + 150_000 }, () =>
  withVsCode({ name: 'learner-error', theme: 'dark', settings: run.settings }, async ({ page, workspace, screenshot }) => {
    await timed('learner-error: scenario', async () => {
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.scaffoldExercise'));
      await editorTab(page, 'network.ts').and(page.locator('.tab.active')).waitFor({ timeout: 30_000 });
      const file = join(workspace, 'biomed-lab', 'regression', 'network.ts');
      const editorText = page.locator('.editor-instance .monaco-editor .view-lines').first();

      writeFileSync(file, BROKEN);
      await runCommand(page, 'File: Revert File');
      await editorText.filter({ hasText: MESSAGE }).waitFor({ timeout: 30_000 });
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.run'));

      await notification(page, MESSAGE).first().waitFor({ timeout: run.budgetMs });
      const panel = resultsPanel(page, manifest);
      await panel.locator('#error-state[role="alert"]').waitFor({ timeout: 30_000 });
      await panel.locator('#error-message').filter({ hasText: MESSAGE }).waitFor();
      await screenshot('learner-error.png');
      await screenshotEachTheme(page, screenshot, 'learner-error', 'dark', { allowAlerts: true });

      const problems = await focusProblems(page);
      const problem = problems.locator('.monaco-list-row', { hasText: MESSAGE });
      await problem.first().waitFor({ timeout: 30_000 });
      assert.match(await problem.first().innerText(), /\[Ln 3, Col \d+\]/);
      await screenshot('learner-error-problems.png');

      // The fix: the course's own network, and the file is run again from its editor.
      await runCommand(page, 'Notifications: Clear All Notifications');
      await editorTab(page, 'network.ts').click();
      await editorTab(page, 'network.ts').and(page.locator('.tab.active')).waitFor();
      writeFileSync(file, FIXED);
      await runCommand(page, 'File: Revert File');
      await editorText.filter({ hasText: MESSAGE }).waitFor({ state: 'detached', timeout: 30_000 });
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.run'));
      await waitForRunProgress(page, manifest);
      const fresh = webviewContent(page, extensionId(manifest));
      await waitForRunShown(fresh);
      await waitForChartsOrError(page, manifest, fresh, run.budgetMs);
      await problem.first().waitFor({ state: 'detached', timeout: 10_000 });
      await screenshot('learner-error-fixed.png');
    });
  }),
);
