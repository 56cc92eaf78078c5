import * as vscode from 'vscode';
import type { SubmoduleId } from '../../protocol/messages';
import type { LabCommand } from './types';

/** Opens a submodule's challenge file, creating the exercise files first if needed; never asks to replace edits. */
export function openChallengeOf(submodule: SubmoduleId): LabCommand {
  return async (c) => {
    await c.scaffolder.scaffold(submodule, { askOnConflict: false });
    await vscode.window.showTextDocument(c.paths.exerciseFile(submodule, 'challenge.ts'), { preview: false });
  };
}
