/**
 * What the class gradebook's buttons do, for one graded run: "Export CSV" saves the grader's CSV where the
 * instructor chooses, "Open submission" opens a learner's challenge file, "Grade Again" grades the run's
 * submissions against its key again. Built from the run's folders, so a gradebook restored after a reload
 * works the same as a live one.
 */
import { copyFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GradebookState } from '../../protocol/gradebook';
import type { CommandId } from '../commands/ids';
import type { Log } from '../log';
import type { GradebookRequest } from './gradebookChannel';
import type { GradedRun } from './lastGradebook';
import { gradebookCsvPath } from './savedGradebook';
import { submissionFile } from './submissionFile';

export type GradebookRequestHandler = (request: GradebookRequest, state: GradebookState) => void;

export function classGradebookRequests(log: Log, run: GradedRun): GradebookRequestHandler {
  return (request, state) => {
    handle(log, request, state, run).catch((err: unknown) => log.error(`gradebook: ${String(err)}`));
  };
}

async function handle(log: Log, request: GradebookRequest, state: GradebookState, run: GradedRun): Promise<void> {
  switch (request.method) {
    case 'gradebook/csv/export':
      return exportCsv(log, run);
    case 'gradebook/submission/open': {
      const listed = [...state.rows.map((r) => r.name), ...state.notGraded];
      const file = submissionFile(run.submissions, request.params.name, run.entry, listed);
      if (!file) return void log.warn(`gradebook asked to open ${JSON.stringify(request.params.name)}, which is not a graded submission`);
      if (!existsSync(file)) return void vscode.window.showWarningMessage(`${request.params.name} has no ${run.entry}.`);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false, viewColumn: vscode.ViewColumn.Beside });
      return;
    }
    case 'gradebook/location/open':
      return log.warn('the class gradebook has no learner locations to open');
    case 'gradebook/run/regrade': {
      const id: CommandId = 'biomedLab.grading.gradeSubmissions';
      // Without a key on record (a run remembered before keys were kept), the command's dialog asks for it.
      await vscode.commands.executeCommand(id, vscode.Uri.file(run.submissions), ...(run.key ? [vscode.Uri.file(run.key)] : []));
      return;
    }
  }
}

async function exportCsv(log: Log, run: GradedRun): Promise<void> {
  const csv = gradebookCsvPath(run);
  if (!existsSync(csv)) {
    void vscode.window.showWarningMessage(`There is no gradebook CSV at ${csv}: grading writes it when the run ends.`);
    return;
  }
  const suggested = path.join(path.dirname(run.outDir), `${path.basename(run.submissions)}-gradebook.csv`);
  const target = await vscode.window.showSaveDialog({ title: 'Export the gradebook CSV', defaultUri: vscode.Uri.file(suggested), filters: { CSV: ['csv'] }, saveLabel: 'Export' });
  if (!target) return;
  copyFileSync(csv, target.fsPath);
  log.info(`gradebook exported to ${target.fsPath}`);
  void vscode.window.showInformationMessage(`Gradebook exported to ${target.fsPath}.`);
}
