import * as vscode from 'vscode';

/**
 * Opens a run's HTML report. On a desktop window with the files on this machine the system browser shows
 * it as a page; in a browser-based or remote window a file URI means nothing to the learner's browser, so
 * the file is revealed in the Explorer and opened as text (the results panel already shows its charts).
 */
export async function openReport(reportPath: string): Promise<void> {
  const uri = vscode.Uri.file(reportPath);
  const local = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
  if (local && (await vscode.env.openExternal(uri))) return;
  await vscode.commands.executeCommand('revealInExplorer', uri);
  await vscode.commands.executeCommand('vscode.open', uri);
}
