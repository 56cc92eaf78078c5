/**
 * The extension's quiz panel and the quiz it shows, read from walkthroughs/<submodule>/quiz.json at test
 * time. The answer key is the test's own: it never reaches the webview, which only gets the host's grading.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { z } from 'zod';
import { repoRoot } from './env';
import { extensionId, paletteTitle, type Manifest } from './manifest';
import { webviewContent } from './webviews';
import { runCommandAndPick } from './workbench';

const QuizSchema = z.object({
  title: z.string(),
  questions: z.array(
    z.object({
      id: z.string(),
      prompt: z.string(),
      choices: z.array(z.object({ id: z.string(), text: z.string(), feedback: z.string() })),
      answer: z.string(),
    }),
  ),
});

export type Quiz = z.infer<typeof QuizSchema>;

export function readQuiz(submodule: string): Quiz {
  return QuizSchema.parse(JSON.parse(readFileSync(join(repoRoot, 'walkthroughs', submodule, 'quiz.json'), 'utf8')));
}

/** What "Take a Quiz…" asks (extension/commands/openQuiz.ts). */
const QUIZ_PICK_PLACEHOLDER = 'Which quiz do you want to take?';

/**
 * Opens a quiz from the palette: the command asks which lab, and the row is the one whose label starts with
 * the lab's name ("Regression: ..."). It also works straight after a window reload (see runCommand and runCommandAndPick).
 */
export async function openQuizFromPalette(page: Page, manifest: Manifest, labName: string, quiz: Quiz): Promise<FrameLocator> {
  await runCommandAndPick(page, paletteTitle(manifest, 'biomedLab.quiz.open'), QUIZ_PICK_PLACEHOLDER, labName, new RegExp(`^${labName}\\b`));
  const panel = webviewContent(page, extensionId(manifest));
  await panel.locator('#quiz-root').getByRole('heading', { name: quiz.title }).waitFor({ timeout: 30_000 });
  return panel;
}

/** "3 of 8 answered correctly so far." → 3; "Passed: all 8 ..." → the total. */
export async function correctCount(panel: FrameLocator): Promise<number> {
  const text = (await panel.locator('#quiz-score').innerText()).trim();
  const so = /(\d+) of \d+ answered correctly/.exec(text) ?? /all (\d+) answered correctly/.exec(text);
  if (!so) throw new Error(`the quiz score reads "${text}"`);
  return Number(so[1]);
}

/** Picks a choice and presses the question's Check button, as a learner would. */
export async function answer(panel: FrameLocator, questionId: string, choiceId: string): Promise<void> {
  await panel.locator(`#quiz-${questionId}-${choiceId}`).check();
  await panel.locator(`#quiz-${questionId}-check`).click();
}
