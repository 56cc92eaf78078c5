/**
 * The checks themselves, shown to fail when the extension is broken: the installed copy is damaged before
 * VS Code starts (the .vsix is not rebuilt), in two ways a bad change could ship.
 * - The results webview's mount throws (its bundle is made to see an unknown view): the panel must not pass
 *   as rendered. Before that, the bundle's first load in this browser stops before it says ready, as when
 *   code-server's shared service worker stalls a new webview: the extension must replace the panel (and the
 *   replacement then shows the mount's error).
 * - A walkthrough step's page is missing from the package: showing that step must fail.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { installedExtensionPath } from './harness/extensionTests';
import { extensionId, paletteTitle, readManifest, stepRunning, walkthrough } from './harness/manifest';
import { resultsPanel, waitForPanelRendered } from './harness/resultsPanel';
import { withVsCode } from './harness/session';
import { timed } from './harness/timing';
import { openWalkthrough, showStep } from './harness/walkthroughPage';
import { runCommand } from './harness/workbench';
import { repoRoot } from './harness/env';

const manifest = readManifest();
const regression = walkthrough(manifest, 'regression');
const { step: brokenStep } = stepRunning(regression, 'biomedLab.regression.run');
const WEBVIEW_BUNDLE = join('dist', 'webviews', 'results.js');
/** Webview pages share code-server's origin, so this survives into the replacement panel's page. */
const STALLED_KEY = 'biomed-e2e-stalled-once';

function breakInstalled(extensionsDir: string): void {
  const dir = installedExtensionPath(extensionsDir, extensionId(manifest));
  // main.ts mounts by body[data-view]; an unknown one makes the mount throw, as a bug in it would.
  const bundle = join(dir, WEBVIEW_BUNDLE);
  const stallFirstLoad = `if (!localStorage.getItem('${STALLED_KEY}')) { localStorage.setItem('${STALLED_KEY}', '1'); throw new Error('deliberately stalled'); }`;
  writeFileSync(bundle, `${stallFirstLoad}\ndocument.body.dataset.view = 'deliberately-broken';\n${readFileSync(bundle, 'utf8')}`);
  rmSync(join(dir, brokenStep.media!.markdown!));
}

/** The message the check failed with, logged for the record; the check must fail. */
async function mustFail(what: string, check: Promise<unknown>): Promise<string> {
  const error = await check.then(
    () => assert.fail(`${what}: the check passed on a broken extension`),
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
  console.log(`[broken] ${what} was caught: ${error.split('\n')[0]}`);
  appendFileSync(join(repoRoot, '.test-output', 'e2e', 'broken.caught.txt'), `${what}:\n${error}\n\n`);
  return error;
}

test('the checks catch a results view whose mount throws and a walkthrough step whose page is missing', { timeout: 240_000 }, () =>
  withVsCode({ name: 'broken', theme: 'dark', alterInstalled: breakInstalled }, async ({ page, screenshot, logText }) => {
    await timed('broken: scenario', async () => {
      writeFileSync(join(repoRoot, '.test-output', 'e2e', 'broken.caught.txt'), '');
      await runCommand(page, paletteTitle(manifest, 'biomedLab.showResults'));
      const message = await mustFail('results webview mount throws', waitForPanelRendered(resultsPanel(page, manifest)));
      assert.match(message, /shows an error/);
      assert.match(logText('biomed-dl-lab'), /results panel did not load; opening it again \(attempt 1\)/, 'the stalled panel was not replaced');
      await screenshot('broken/results.png');

      await openWalkthrough(page, manifest, regression);
      // A page that is missing never comes: half the usual wait is enough to show the check rejects it.
      await mustFail(`walkthrough step "${brokenStep.title}" without its page`, showStep(page, brokenStep, 15_000));
      await screenshot('broken/walkthrough.png');
    });
  }),
);
