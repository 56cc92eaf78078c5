import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runGradeProcess } from '../grading/gradeProcess';
import type { LabCommand } from './types';

/**
 * Instructors: grades a folder of challenge submissions against a key folder, with progress and cancel,
 * then opens the summary and offers the gradebook CSV. Results land beside the submissions folder.
 */
export const gradeSubmissions: LabCommand = async (c) => {
  const submissions = await pickFolder('Select the submissions folder (one sub-folder per learner)', 'Use as Submissions');
  if (!submissions) return;
  const key = await pickFolder('Select the key folder (with manifest.json; never share it with learners)', 'Use as Key');
  if (!key) return;
  const outDir = path.join(path.dirname(submissions), `${path.basename(submissions)}-graded`);
  let finish: { gradebook: string; summary: string; cancelled: boolean } | undefined;
  let failure: string | undefined;

  const code = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Grading challenge submissions', cancellable: true },
    (progress, token) =>
      runGradeProcess({
        nodePath: process.execPath,
        cliScript: path.join(c.paths.extensionPath, 'dist', 'cli.js'),
        args: [submissions, '--key', key, '--out', outDir],
        cancel: token,
        onStderr: (line) => c.log.info(`[grader] ${line}`),
        onEvent: (event) => {
          switch (event.method) {
            case 'grade/sandbox/describe':
              if (!event.params.addressSpaceCap) c.log.warn(`grading: ${event.params.addressSpaceReason ?? 'no address-space cap'}`);
              break;
            case 'grade/submission/finish':
              progress.report({ increment: 100 / event.params.total, message: `${event.params.done}/${event.params.total}: ${event.params.name} ${event.params.score}/${event.params.maxScore}` });
              break;
            case 'grade/run/finish':
              finish = event.params;
              break;
            case 'grade/run/fail':
              failure = event.params.message;
              break;
            default:
              break;
          }
        },
      }),
  );
  if (failure || !finish) throw new Error(failure ?? `The grader stopped (exit code ${code}) without results; see the log.`);
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(finish.summary));
  const choice = await vscode.window.showInformationMessage(
    `${finish.cancelled ? 'Grading cancelled; partial results' : 'Grading finished'} in ${outDir}. Learner feedback safe to return is in feedback/.`,
    'Open Gradebook CSV',
    'Export CSV…',
  );
  if (choice === 'Open Gradebook CSV') await vscode.window.showTextDocument(vscode.Uri.file(finish.gradebook));
  if (choice === 'Export CSV…') {
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(finish.gradebook), filters: { CSV: ['csv'] } });
    if (target) copyFileSync(finish.gradebook, target.fsPath);
  }
};

async function pickFolder(title: string, openLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, openLabel, canSelectFolders: true, canSelectFiles: false, canSelectMany: false });
  return picked?.[0]?.fsPath;
}
