import * as vscode from 'vscode';
import type { LabCommand } from './types';

/** Opens the challenge file, creating the exercise files first if needed; never asks to replace edits. */
export const openChallenge: LabCommand = async (c) => {
  await c.scaffolder.scaffold('regression', { askOnConflict: false });
  await vscode.window.showTextDocument(c.paths.exerciseFile('regression', 'challenge.ts'), { preview: false });
};
