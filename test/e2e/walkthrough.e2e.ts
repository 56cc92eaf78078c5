/**
 * A learner opens the Regression walkthrough from the command palette and reads it: every step is listed and
 * each step's page renders its markdown, in the light, dark and high-contrast themes (switched in the running
 * window), with a screenshot of the first page in each for a human to judge.
 */
import { test } from 'node:test';
import { readManifest, walkthrough } from './harness/manifest';
import { withVsCode } from './harness/session';
import { THEMES, switchTheme } from './harness/themes';
import { timed } from './harness/timing';
import { openWalkthrough, showStep } from './harness/walkthroughPage';
import { assertWebviewsRendered } from './harness/webviews';

const manifest = readManifest();
const regression = walkthrough(manifest, 'regression');

test('the Regression walkthrough lists its steps and shows each step\'s page, in light, dark and high-contrast themes', { timeout: 300_000 }, () =>
  withVsCode({ name: 'walkthrough', theme: 'light' }, async ({ page, screenshot }) => {
    await timed('walkthrough: scenario', async () => {
      await openWalkthrough(page, manifest, regression);
      for (const theme of THEMES) {
        await switchTheme(page, theme);
        for (const step of regression.steps) {
          await showStep(page, step);
          await assertWebviewsRendered(page, { allowAlerts: false });
        }
        // The screenshot shows the first page, the one a learner starts on.
        await showStep(page, regression.steps[0]!);
        await screenshot(`walkthrough/${theme}.png`);
      }
    });
  }),
);
