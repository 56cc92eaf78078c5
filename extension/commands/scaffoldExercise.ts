import * as vscode from 'vscode';
import type { SubmoduleId } from '../../protocol/messages';
import { SUBMODULE_INFO } from '../submodules';
import type { LabCommand } from './types';

/** Copies a submodule's exercise into the lab folder (keeping edited files) and opens its exercise file. */
export function scaffoldExerciseOf(submodule: SubmoduleId): LabCommand {
  return async (c) => {
    await c.scaffolder.scaffold(submodule, { askOnConflict: true });
    const first = SUBMODULE_INFO[submodule].runFiles[0];
    if (first) await vscode.window.showTextDocument(c.paths.exerciseFile(submodule, first), { preview: false });
    if (!c.paths.hasWorkspace) await suggestFolder(c.paths.labRoot.fsPath);
  };
}

export const scaffoldExercise: LabCommand = scaffoldExerciseOf('regression');

async function suggestFolder(labRoot: string): Promise<void> {
  const open = 'Open Folder…';
  const choice = await vscode.window.showInformationMessage(
    `No folder is open, so the exercise was created in the extension's storage (${labRoot}). Open a folder and run this command again to keep your work with your project.`,
    open,
  );
  if (choice === open) await vscode.commands.executeCommand('vscode.openFolder');
}
