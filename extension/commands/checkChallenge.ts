import * as path from 'node:path';
import * as vscode from 'vscode';
import { gradebookEnvelope } from '../../protocol/gradebook';
import type { GradeEventParams } from '../../protocol/grading';
import type { SubmoduleId } from '../../protocol/messages';
import { gradebookEndFor, gradebookMessageFor } from '../grading/gradebookEvents';
import { runGradeProcess } from '../grading/gradeProcess';
import { isSubmodule } from '../submodules';
import type { LabCommand } from './types';

let diagnostics: vscode.DiagnosticCollection | undefined;

/**
 * Learners: runs the course's public challenge tests on their challenge file (the open one, or the
 * scaffolded <submodule>/challenge.ts) and shows each test's result and what to do about it in the
 * Challenge Check panel, a squiggle per test that is not passed, and the score as a notification. Hidden
 * tests never run here: they exist only in the instructor's key, and the grader refuses public tests
 * marked hidden.
 */
export function checkChallengeOf(submodule: SubmoduleId): LabCommand {
  return (c, arg) => check(c, submodule, arg);
}

async function check(c: Parameters<LabCommand>[0], submodule: SubmoduleId, arg: unknown): Promise<void> {
  const view = c.challengeCheck;
  if (view.state.status === 'running') {
    void vscode.window.showWarningMessage('Your challenge is already being checked.');
    return;
  }
  const file = await challengeFile(c.paths.exerciseFile(submodule, 'challenge.ts'), submodule, arg);
  if (!diagnostics) diagnostics = c.track(vscode.languages.createDiagnosticCollection('biomedLab.challenge'));
  diagnostics.clear();
  await view.start(file, submodule);
  let result: GradeEventParams<'grade/check/finish'> | undefined;
  let ended = false;
  const code = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Checking your challenge', cancellable: true },
    (_progress, token) =>
      runGradeProcess({
        nodePath: process.execPath,
        cliScript: path.join(c.paths.extensionPath, 'dist', 'cli.js'),
        args: ['--check', file.fsPath, '--submodule', submodule],
        cancel: token,
        onStderr: (line) => c.log.info(`[check] ${line}`),
        onEvent: (event) => {
          const message = gradebookMessageFor(event);
          if (message) view.apply(message);
          if (event.method === 'grade/check/finish') {
            result = event.params;
            view.remember(submodule, event.params);
            // The check has no run/finish of its own: its one result is the end of the run.
            view.apply(gradebookEnvelope('gradebook/run/finish', { cancelled: false, canExport: false, notGraded: [] }));
            ended = true;
          }
          if (event.method === 'grade/run/fail') ended = true;
        },
      }),
  );
  const end = gradebookEndFor(code, ended);
  if (end) view.apply(end);
  if (!result) {
    if (view.state.status === 'cancelled') return;
    throw new Error(view.state.error ?? 'The check stopped without results; see the log.');
  }

  const failed = result.tests.filter((t) => t.status !== 'passed');
  for (const t of result.tests) c.log.info(`challenge check: ${t.status} ${t.score}/${t.max_score} ${t.name}: ${t.message}`);
  diagnostics.set(
    file,
    failed.map((t) => {
      const line = Math.max(0, (t.location?.line ?? 1) - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, t.location?.column ?? 0, line, Number.MAX_SAFE_INTEGER), `${t.name}: ${t.message}`, vscode.DiagnosticSeverity.Warning);
      d.source = 'Challenge check';
      return d;
    }),
  );
  const summary = `Challenge check: ${result.score} / ${result.maxScore} on the public tests.`;
  const choice = failed.length
    ? await vscode.window.showWarningMessage(`${summary} ${failed.length} to improve: the Challenge Check panel says what to change.`, 'Show Results')
    : await vscode.window.showInformationMessage(`${summary} All public tests pass; your instructor's hidden tests may check more.`, 'Show Results');
  if (choice === 'Show Results') view.show();
}

async function challengeFile(scaffolded: vscode.Uri, submodule: SubmoduleId, arg: unknown): Promise<vscode.Uri> {
  const active = vscode.window.activeTextEditor?.document;
  // An open challenge.ts in another submodule's folder is not ours: the challenges export different things.
  const parent = active ? path.basename(path.dirname(active.uri.fsPath)) : '';
  const isOurs = active && path.basename(active.uri.fsPath) === 'challenge.ts' && (parent === submodule || !isSubmodule(parent));
  const uri = arg instanceof vscode.Uri ? arg : isOurs ? active.uri : scaffolded;
  // The grader reads the file from disk: unsaved edits would be graded as if they were not there.
  await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.save();
  return uri;
}

