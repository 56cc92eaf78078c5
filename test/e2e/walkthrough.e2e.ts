/**
 * A learner opens the Regression walkthrough from the command palette and reads it: every step is listed and
 * each step's page renders its markdown. Once per colour theme, with a screenshot of each for a human to judge.
 */
import { test } from 'node:test';
import { readManifest, walkthrough } from './harness/manifest';
import { withVsCode } from './harness/session';
import { timed } from './harness/timing';
import { openWalkthrough, showStep } from './harness/walkthroughPage';
import type { ThemeKind } from './harness/workbench';

const manifest = readManifest();
const regression = walkthrough(manifest, 'regression');
const THEMES: ThemeKind[] = ['light', 'dark', 'high-contrast'];

for (const theme of THEMES) {
  test(`the Regression walkthrough lists its steps and shows each step's page (${theme} theme)`, { timeout: 180_000 }, () =>
    withVsCode({ name: `walkthrough-${theme}`, theme }, async ({ page, screenshot }) => {
      await timed(`walkthrough-${theme}: scenario`, async () => {
        await openWalkthrough(page, manifest, regression);
        for (const step of regression.steps) await showStep(page, step);
        // The screenshot shows the first page, the one a learner starts on.
        await showStep(page, regression.steps[0]!);
        await screenshot(`walkthrough-${theme}.png`);
      });
    }),
  );
}
