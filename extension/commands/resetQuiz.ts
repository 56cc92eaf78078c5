import * as vscode from 'vscode';
import { isSubmodule, pickSubmodule } from '../submodules';
import type { LabCommand } from './types';

/** Clears a quiz's saved answers, e.g. to take it again from scratch. */
export const resetQuiz: LabCommand = async (c, submodule) => {
  const id = isSubmodule(submodule) ? submodule : await pickSubmodule('quiz', 'Which quiz do you want to reset?');
  if (!id) return;
  const reset = 'Reset';
  const answer = await vscode.window.showWarningMessage(`Clear your saved ${id} quiz answers?`, { modal: true }, reset);
  if (answer !== reset) return;
  await c.quizzes.save(id, {});
  await c.quiz.refresh();
};
