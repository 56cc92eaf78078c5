import * as vscode from 'vscode';
import type { LabCommand } from './types';

/**
 * Runs the regression lab. With a file argument (the editor title button) that file is the learner's
 * network; otherwise the open exercise or challenge file, or network.ts, is used.
 */
export const runRegression: LabCommand = (c, file) => c.runs.start('regression', file instanceof vscode.Uri ? file : undefined);
