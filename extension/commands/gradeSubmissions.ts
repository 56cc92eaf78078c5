import { copyFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GradebookState } from '../../protocol/gradebook';
import type { Container } from '../container';
import { gradebookEndFor, gradebookMessageFor } from '../grading/gradebookEvents';
import { GradebookPanel } from '../grading/gradebookPanel';
import type { GradebookRequest } from '../grading/gradebookChannel';
import { runGradeProcess } from '../grading/gradeProcess';
import { keyEntry, submissionFile } from '../grading/submissionFile';
import type { LabCommand } from './types';

let gradebook: GradebookPanel | undefined;

/**
 * Instructors: grades a folder of challenge submissions against a key folder, with progress and cancel;
 * the gradebook panel fills in as each submission finishes. Results land beside the submissions folder.
 * Folders may be passed as `vscode.Uri` arguments (another extension, a script); otherwise two open
 * dialogs ask for them. Only Uri objects are taken, so a command link's plain JSON still gets the dialogs.
 */
export const gradeSubmissions: LabCommand = async (c, submissionsArg, keyArg) => {
  // One gradebook panel: a second run would interleave its rows with the first's.
  if (gradebook?.state.status === 'running') {
    void vscode.window.showWarningMessage('Grading is already running; cancel it in its notification first.');
    return;
  }
  const submissions = folderArg(submissionsArg) ?? (await pickFolder('Select the submissions folder (one sub-folder per learner)', 'Use as Submissions'));
  if (!submissions) return;
  const key = folderArg(keyArg) ?? (await pickFolder('Select the key folder (with manifest.json; never share it with learners)', 'Use as Key'));
  if (!key) return;
  const outDir = path.join(path.dirname(submissions), `${path.basename(submissions)}-graded`);
  const gradebookCsv = path.join(outDir, 'gradebook.csv');
  const panel = (gradebook ??= c.track(new GradebookPanel(c.context.extensionUri, c.log, 'class', 'Gradebook')));
  const entry = keyEntry(key);
  const run: RunFolders = { submissions, entry, gradebookCsv };
  panel.start(path.basename(submissions), (request, state) => {
    handle(c, request, state, run).catch((err: unknown) => c.log.error(`gradebook: ${String(err)}`));
  });

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
          if (event.method === 'grade/run/fail') c.log.error(`grading failed: ${event.params.message}`);
        },
      }),
  );
  const end = gradebookEndFor(code, ended);
  if (end) panel.apply(end);
  const state = panel.state;
  if (state.status === 'failed') throw new Error(state.error ?? 'Grading failed; see the log.');
  void vscode.window.showInformationMessage(
    `${state.status === 'cancelled' ? 'Grading cancelled; partial results' : 'Grading finished'} in ${outDir}. Learner feedback safe to return is in feedback/.`,
  );
};

interface RunFolders {
  submissions: string;
  entry: string;
  gradebookCsv: string;
}

async function handle(c: Container, request: GradebookRequest, state: GradebookState, run: RunFolders): Promise<void> {
  switch (request.method) {
    case 'gradebook/csv/export':
      return exportCsv(c, run);
    case 'gradebook/submission/open': {
      const file = submissionFile(run.submissions, request.params.name, run.entry, state.rows.map((r) => r.name));
      if (!file) return void c.log.warn(`gradebook asked to open ${JSON.stringify(request.params.name)}, which is not a graded submission`);
      if (!existsSync(file)) return void vscode.window.showWarningMessage(`${request.params.name} has no ${run.entry}.`);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false, viewColumn: vscode.ViewColumn.Beside });
      return;
    }
    case 'gradebook/location/open':
      return c.log.warn('the class gradebook has no learner locations to open');
  }
}

async function exportCsv(c: Container, run: RunFolders): Promise<void> {
  if (!existsSync(run.gradebookCsv)) {
    void vscode.window.showWarningMessage('There is no gradebook CSV yet: grading writes it when the run ends.');
    return;
  }
  const suggested = path.join(path.dirname(path.dirname(run.gradebookCsv)), `${path.basename(run.submissions)}-gradebook.csv`);
  const target = await vscode.window.showSaveDialog({ title: 'Export the gradebook CSV', defaultUri: vscode.Uri.file(suggested), filters: { CSV: ['csv'] }, saveLabel: 'Export' });
  if (!target) return;
  copyFileSync(run.gradebookCsv, target.fsPath);
  c.log.info(`gradebook exported to ${target.fsPath}`);
  void vscode.window.showInformationMessage(`Gradebook exported to ${target.fsPath}.`);
}

function folderArg(arg: unknown): string | undefined {
  return arg instanceof vscode.Uri && arg.scheme === 'file' ? arg.fsPath : undefined;
}

async function pickFolder(title: string, openLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, openLabel, canSelectFolders: true, canSelectFiles: false, canSelectMany: false });
  return picked?.[0]?.fsPath;
}
