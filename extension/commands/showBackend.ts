import * as vscode from 'vscode';
import { readSettings } from '../config';
import { describeLadder, describeSelection } from '../run/backendLadder';
import type { LabCommand } from './types';

/** Explains which tfjs backend the last run used and why each faster one was skipped. */
export const showBackend: LabCommand = async (c) => {
  const selection = c.backend.last;
  const setting = readSettings().backend;
  if (!selection) {
    void vscode.window.showInformationMessage(
      `No run yet in this window. The backend is chosen when a run starts (setting biomedLab.backend: ${setting}; trainer host: ${c.backend.host}).`,
    );
    return;
  }
  const items = describeLadder(selection).map((label) => ({ label }));
  await vscode.window.showQuickPick(items, {
    title: describeSelection(selection, c.backend.host),
    placeHolder: `biomedLab.backend is "${setting}". The ladder tries the fastest backend first.`,
  });
};
