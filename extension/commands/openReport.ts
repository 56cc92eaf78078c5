import * as vscode from 'vscode';
import { openReport as open } from '../run/openReport';
import type { LabCommand } from './types';

/** Opens the last finished run's HTML report, written by the trainer next to its metrics. */
export const openReport: LabCommand = async (c) => {
  const reportPath = c.results.state.reportPath;
  if (!reportPath) {
    void vscode.window.showInformationMessage('No finished run yet. Run the Regression lab first.');
    return;
  }
  await open(reportPath);
};
