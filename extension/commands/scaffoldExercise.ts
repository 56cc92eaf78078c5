import * as vscode from 'vscode';
import type { LabCommand } from './types';

/** Copies the regression exercise into the lab folder (keeping edited files) and opens network.ts. */
export const scaffoldExercise: LabCommand = async (c) => {
  await c.scaffolder.scaffold('regression', { askOnConflict: true });
  const file = c.paths.exerciseFile('regression', 'network.ts');
  await vscode.window.showTextDocument(file, { preview: false });
  if (!c.paths.hasWorkspace) {
    const open = 'Open Folder…';
    const choice = await vscode.window.showInformationMessage(
      `No folder is open, so the exercise was created in the extension's storage (${c.paths.labRoot.fsPath}). Open a folder and run this command again to keep your work with your project.`,
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('vscode.openFolder');
  }
};
