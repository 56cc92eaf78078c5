import * as vscode from 'vscode';
import type { LabCommand } from './types';

export const cancelRun: LabCommand = (c) => {
  if (!c.runs.cancel()) void vscode.window.showInformationMessage('No lab run is in progress.');
};
