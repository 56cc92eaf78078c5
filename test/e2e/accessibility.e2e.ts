/**
 * The lab's panels for a learner who uses the keyboard or a screen reader, in every theme. After a short
 * run, in the Lab Results panel and then in the quiz (opened from the results panel with Enter):
 * - Tab reaches every enabled control, and the keyboard operates them (the quiz is answered with Tab,
 *   Space, arrow keys and Enter only);
 * - every control has an accessible name (Playwright's ARIA snapshot), and every chart a text alternative;
 * - in light, dark and high-contrast themes, every text's colour is one of the theme's `--vscode-*`
 *   colours and contrasts with its background by at least 4.5:1 (WCAG AA for body text).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { namelessControls, tabbableControls, tabThrough, tabTo, textColours, unlabelledCharts } from './harness/accessibility';
import { extensionId, paletteTitle, readManifest } from './harness/manifest';
import { openQuizFromPalette, readQuiz } from './harness/quizPanel';
import { quickRun, resultsPanel, waitForChartsOrError, waitForPanelRendered, waitForRunProgress, waitForRunShown } from './harness/resultsPanel';
import { withVsCode } from './harness/session';
import { reopenAfterStall } from './harness/stalledPanel';
import { screenshotEachTheme } from './harness/themes';
import { timed } from './harness/timing';
import { webviewShowing } from './harness/webviews';
import { editorTab, runCommand, type ThemeKind } from './harness/workbench';

const manifest = readManifest();
const run = quickRun(manifest);
const quiz = readQuiz('regression');
const question = quiz.questions[0]!;
const MIN_CONTRAST = 4.5;

test('the results and quiz panels work with the keyboard, name every control, and take their colours from the theme', { timeout: run.budgetMs + 360_000 }, () =>
  withVsCode({ name: 'accessibility', theme: 'dark', settings: run.settings }, async ({ page, screenshot }) => {
    await timed('accessibility: scenario', async () => {
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.run'));
      await waitForRunProgress(page, manifest);
      const results = resultsPanel(page, manifest);
      await waitForPanelRendered(results);
      await waitForRunShown(results);
      await waitForChartsOrError(page, manifest, results, run.budgetMs);
      await runCommand(page, 'Notifications: Clear All Notifications');

      await assertKeyboardReachesEverything(page, results, '#results-heading');
      assert.deepEqual(await namelessControls(results), [], 'results panel controls without an accessible name');
      assert.ok((await results.locator('#charts .chart svg').count()) > 0, 'the charts were drawn');
      assert.deepEqual(await unlabelledCharts(results, '#charts .chart, #live-chart'), [], 'charts without a text alternative');
      await screenshotEachTheme(page, screenshot, 'accessibility-results', 'dark', { check: (theme) => assertThemeColours(results, 'results', theme) });

      // The results panel's own button, pressed with the keyboard, opens the panel's lab's quiz beside it.
      await tabTo(page, results, '#results-heading', 'action-quiz');
      await page.keyboard.press('Enter');
      const quizPanel = await webviewShowing(page, extensionId(manifest), '#quiz-root').catch(async (stalled: unknown) => {
        // The button did its part if the quiz's tab opened; a blank tab is the host stall reopenAfterStall handles.
        if ((await editorTab(page, quiz.title).count()) === 0) throw stalled;
        return reopenAfterStall(page, 'dark', stalled, async () => {
          await runCommand(page, 'View: Close All Editors');
          return openQuizFromPalette(page, manifest, 'Regression', quiz);
        });
      });
      await quizPanel.getByRole('heading', { name: quiz.title }).waitFor();
      await assertKeyboardReachesEverything(page, quizPanel, '#quiz-heading');
      assert.deepEqual(await namelessControls(quizPanel), [], 'quiz controls without an accessible name');
      await answerWithKeyboard(page, quizPanel);
      await screenshotEachTheme(page, screenshot, 'accessibility-quiz', 'dark', { check: (theme) => assertThemeColours(quizPanel, 'quiz', theme) });
    });
  }),
);

/** Tab, from a click on the panel's heading (which is not a control), reaches every enabled control. */
async function assertKeyboardReachesEverything(page: Page, webview: FrameLocator, heading: string): Promise<void> {
  const expected = await tabbableControls(webview);
  assert.ok(expected.length > 0, 'the panel has no controls to reach');
  await webview.locator(heading).click();
  const reached = await tabThrough(page, webview, expected.length * 2 + 5);
  assert.deepEqual(expected.filter((c) => !reached.includes(c)), [], `Tab did not reach these controls (reached: ${reached.join(', ')})`);
}

/** The first question, keyboard only: Tab into its choices, Space and arrows to pick the right one, Tab, Enter. */
async function answerWithKeyboard(page: Page, quizPanel: FrameLocator): Promise<void> {
  const group = `quiz-${question.id}`;
  const active = (): Promise<{ id: string; name: string; checked: string | null }> =>
    quizPanel.locator('body').evaluate((body, name) => {
      const el = body.ownerDocument.activeElement as HTMLInputElement | null;
      const checked = body.ownerDocument.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
      return { id: el?.id ?? '', name: el?.name ?? '', checked: checked?.value ?? null };
    }, group);

  await quizPanel.locator('#quiz-heading').click();
  for (let presses = 0; (await active()).name !== group; presses++) {
    assert.ok(presses < 10, `Tab never reached the choices of question ${question.id}`);
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Space');
  for (let presses = 0; (await active()).checked !== question.answer; presses++) {
    assert.ok(presses <= question.choices.length, `the arrow keys never picked choice ${question.answer}`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Tab');
  assert.equal((await active()).id, `quiz-${question.id}-check`, 'Tab after the choices goes to the Check button');
  await page.keyboard.press('Enter');
  await quizPanel.locator(`form#quiz-${question.id}[data-state="correct"]`).waitFor();
  assert.match(await quizPanel.locator(`#quiz-${question.id}-feedback`).innerText(), /^Correct\./);
}

/** Every text's colour is a theme colour with enough contrast; the table is printed for the report. */
async function assertThemeColours(webview: FrameLocator, panel: string, theme: ThemeKind): Promise<void> {
  const rows = await textColours(webview);
  assert.ok(rows.length > 0, `no text found in the ${panel} panel`);
  const lowest = rows.reduce((a, b) => (b.contrast < a.contrast ? b : a));
  console.log(`[a11y] ${panel} ${theme}: ${rows.length} texts, lowest contrast ${lowest.contrast.toFixed(2)} (${lowest.element} ${lowest.colour} on ${lowest.background}, ${lowest.variable ?? 'no variable'})`);
  const describe = (r: (typeof rows)[number]): string => `${r.element} "${r.text}": ${r.colour} on ${r.background} = ${r.contrast.toFixed(2)}:1, ${r.variable ?? 'no theme variable'}`;
  assert.deepEqual(rows.filter((r) => r.variable === null).map(describe), [], `${panel} (${theme}): text colours that are not theme colours`);
  assert.deepEqual(rows.filter((r) => r.contrast < MIN_CONTRAST).map(describe), [], `${panel} (${theme}): text below ${MIN_CONTRAST}:1`);
}
