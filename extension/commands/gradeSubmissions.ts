import * as path from 'node:path';
import * as vscode from 'vscode';
import { gradebookEndFor, gradebookMessageFor } from '../grading/gradebookEvents';
import { runGradeProcess } from '../grading/gradeProcess';
import type { GradedRun } from '../grading/lastGradebook';
import { keyEntry } from '../grading/submissionFile';
import type { LabCommand } from './types';

/**
 * Instructors: grades a folder of challenge submissions against a key folder, with progress and cancel;
 * the gradebook panel fills in as each submission finishes. Results land beside the submissions folder.
 * Folders may be passed as `vscode.Uri` arguments (another extension, a script); otherwise two open
 * dialogs ask for them. Only Uri objects are taken, so a command link's plain JSON still gets the dialogs.
 */
export const gradeSubmissions: LabCommand = async (c, submissionsArg, keyArg) => {
  // One gradebook panel: a second run would interleave its rows with the first's.
  const panel = c.gradebook;
  if (panel.state.status === 'running') {
    void vscode.window.showWarningMessage('Grading is already running; cancel it in its notification first.');
    return;
  }
  const submissions = folderArg(submissionsArg) ?? (await pickFolder('Select the submissions folder (one sub-folder per learner)', 'Use as Submissions'));
  if (!submissions) return;
  const key = folderArg(keyArg) ?? (await pickFolder('Select the key folder (with manifest.json; never share it with learners)', 'Use as Key'));
  if (!key) return;
  const outDir = path.join(path.dirname(submissions), `${path.basename(submissions)}-graded`);
  const run: GradedRun = { title: path.basename(submissions), submissions, key, entry: keyEntry(key), outDir };
  panel.start(run);

  let ended = false;
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
          const message = gradebookMessageFor(event);
          if (message) panel.apply(message);
          if (event.method === 'grade/sandbox/describe' && !event.params.addressSpaceCap) c.log.warn(`grading: ${event.params.addressSpaceReason ?? 'no address-space cap'}`);
          if (event.method === 'grade/submission/finish') {
            const p = event.params;
            progress.report({ increment: 100 / p.total, message: `${p.done}/${p.total}: ${p.name} ${p.score}/${p.maxScore}` });
          }
          if (event.method === 'grade/run/finish' || event.method === 'grade/run/fail') ended = true;
          // The out folder is this run's from now on: a reload shows this run, finished or interrupted, not the previous one.
          if (event.method === 'grade/run/start') panel.remember(run);
          if (event.method === 'grade/run/fail') c.log.error(`grading failed: ${event.params.message}`);
        },
      }),
  );
  const end = gradebookEndFor(code, ended);
  if (end) panel.apply(end);
  const state = panel.state;
  if (state.status === 'failed') throw new Error(state.error ?? 'Grading failed; see the log.');
  const notGraded = state.notGraded.length;
  void vscode.window.showInformationMessage(
    state.status === 'cancelled'
      ? `Grading cancelled: ${state.rows.length} submission(s) graded, ${notGraded} not graded (grade ${notGraded === 1 ? 'it' : 'them'} again). Results in ${outDir}; learner feedback safe to return is in feedback/.`
      : `Grading finished in ${outDir}. Learner feedback safe to return is in feedback/.`,
  );
};

function folderArg(arg: unknown): string | undefined {
  return arg instanceof vscode.Uri && arg.scheme === 'file' ? arg.fsPath : undefined;
}

async function pickFolder(title: string, openLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, openLabel, canSelectFolders: true, canSelectFiles: false, canSelectMany: false });
  return picked?.[0]?.fsPath;
}
