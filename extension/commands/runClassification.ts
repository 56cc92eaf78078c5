import * as vscode from 'vscode';
import type { LabCommand } from './types';

/**
 * Runs the classification lab (experiments A, B and C). With a file argument (the editor title button) that
 * file is the learner's transfer step; otherwise the open or scaffolded transfer.ts, or the course's own.
 */
export const runClassification: LabCommand = (c, file) => c.runs.start('classification', file instanceof vscode.Uri ? file : undefined);
