/**
 * A learner takes the Regression quiz from the palette: a wrong answer shows that choice's own feedback and
 * does not count; the right answer says so and raises the score. The progress is the learner's, not the
 * panel's: after "Developer: Reload Window" the reopened quiz still shows the question answered correctly, and
 * the Regression walkthrough still ticks the step done before the reload (and not one that was never done).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paletteTitle, readManifest, stepRunning, walkthrough } from './harness/manifest';
import { answer, correctCount, openQuizFromPalette, readQuiz } from './harness/quizPanel';
import { withVsCode } from './harness/session';
import { screenshotEachTheme } from './harness/themes';
import { timed } from './harness/timing';
import { openWalkthrough, stepDone } from './harness/walkthroughPage';
import { editorTab, reloadWindow, runCommand } from './harness/workbench';

const manifest = readManifest();
const quiz = readQuiz('regression');
const question = quiz.questions[0]!;
const right = question.choices.find((c) => c.id === question.answer)!;
const wrong = question.choices.find((c) => c.id !== question.answer)!;
const regression = walkthrough(manifest, 'regression');
const scaffold = { commandId: 'biomedLab.regression.scaffoldExercise', ...stepRunning(regression, 'biomedLab.regression.scaffoldExercise') };
const runStep = stepRunning(regression, 'biomedLab.regression.run');

test('the Regression quiz grades a wrong and a right answer, and the quiz and walkthrough progress survive a window reload', { timeout: 240_000 }, () =>
  withVsCode({ name: 'quiz', theme: 'dark' }, async ({ page, screenshot }) => {
    await timed('quiz: scenario', async () => {
      let panel = await openQuizFromPalette(page, manifest, 'Regression', quiz);
      const form = (): ReturnType<typeof panel.locator> => panel.locator(`form#quiz-${question.id}`);
      const feedback = (): ReturnType<typeof panel.locator> => panel.locator(`#quiz-${question.id}-feedback`);
      const before = await correctCount(panel);

      await answer(panel, question.id, wrong.id);
      await panel.locator(`form#quiz-${question.id}[data-state="wrong"]`).waitFor();
      await feedback().filter({ hasText: wrong.feedback }).waitFor();
      assert.equal(await correctCount(panel), before, 'a wrong answer must not count');
      await screenshot('quiz-wrong.png');

      await answer(panel, question.id, right.id);
      await panel.locator(`form#quiz-${question.id}[data-state="correct"]`).waitFor();
      await feedback().filter({ hasText: right.feedback }).waitFor();
      assert.match(await feedback().innerText(), /^Correct\./);
      assert.equal(await correctCount(panel), before + 1, 'the right answer must raise the score by one');
      assert.ok(await form().locator(`#quiz-${question.id}-${right.id}`).isChecked());
      assert.equal(await form().locator('.right-mark').count(), 1, 'the right answer, once locked, is marked as the learner\'s');
      assert.ok((await form().locator('.choice.right').innerText()).includes(right.text), 'the mark sits on the right answer');
      await screenshot('quiz.png');
      // A walkthrough step done before the reload (its completion event is the scaffold command).
      await runCommand(page, paletteTitle(manifest, scaffold.commandId));
      await editorTab(page, 'network.ts').waitFor({ timeout: 30_000 });

      await reloadWindow(page, 'dark');
      // Walkthrough progress: the scaffold step is ticked, the run step (never run) is not. The walkthrough is
      // opened first on purpose: VS Code ticks a step on its context key only when the key changes while the
      // walkthrough service is alive, and opening a walkthrough is what activates the extension, which then
      // publishes the keys from the files on disk (extension/walkthrough/restoreProgress.ts).
      await openWalkthrough(page, manifest, regression);
      await stepDone(page, scaffold.step).waitFor({ timeout: 30_000 });
      assert.equal(await stepDone(page, runStep.step).count(), 0, 'a step that was never done shows as done');
      await screenshot('quiz-walkthrough-after-reload.png');
      // The walkthrough is closed before the quiz is checked in every theme: its step page is VS Code's own
      // webview, and right after a reload code-server can leave a new one of those blank for good (seen: its
      // host page took the pre-reload service worker as controller and never finished the handshake; see the
      // scenario's browser log). That page is walkthrough.e2e's subject; this part of the test is the quiz's.
      await runCommand(page, 'View: Close All Editors');

      panel = await openQuizFromPalette(page, manifest, 'Regression', quiz);
      await panel.locator(`form#quiz-${question.id}[data-state="correct"]`).waitFor();
      await feedback().filter({ hasText: right.feedback }).waitFor();
      assert.equal(await correctCount(panel), before + 1, 'the score after the reload');
      assert.ok(await panel.locator(`#quiz-${question.id}-check`).isDisabled(), 'a question answered correctly stays locked');
      await screenshot('quiz-after-reload.png');

      await screenshotEachTheme(page, screenshot, 'quiz', 'dark');
    });
  }),
);
