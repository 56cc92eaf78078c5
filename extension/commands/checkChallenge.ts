import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GradeEventParams } from '../../protocol/grading';
import type { SubmoduleId } from '../../protocol/messages';
import { runGradeProcess } from '../grading/gradeProcess';
import { isSubmodule } from '../submodules';
import type { LabCommand } from './types';

let diagnostics: vscode.DiagnosticCollection | undefined;

/**
 * Learners: runs the course's public challenge tests on their challenge file (the open one, or the
 * scaffolded <submodule>/challenge.ts) and shows the score, a squiggle per failed test and the details in
 * the log. Hidden tests never run here: they exist only in the instructor's key.
 */
export function checkChallengeOf(submodule: SubmoduleId): LabCommand {
  return (c, arg) => check(c, submodule, arg);
}

export const checkChallenge: LabCommand = checkChallengeOf('regression');

async function check(c: Parameters<LabCommand>[0], submodule: SubmoduleId, arg: unknown): Promise<void> {
  const file = await challengeFile(c.paths.exerciseFile(submodule, 'challenge.ts'), submodule, arg);
  if (!diagnostics) diagnostics = c.track(vscode.languages.createDiagnosticCollection('biomedLab.challenge'));
  diagnostics.clear();
  let result: GradeEventParams<'grade/check/finish'> | undefined;
  let failure: string | undefined;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Checking your challenge', cancellable: true },
    (_progress, token) =>
      runGradeProcess({
        nodePath: process.execPath,
        cliScript: path.join(c.paths.extensionPath, 'dist', 'cli.js'),
        args: ['--check', file.fsPath, '--submodule', submodule],
        cancel: token,
        onStderr: (line) => c.log.info(`[check] ${line}`),
        onEvent: (event) => {
          if (event.method === 'grade/check/finish') result = event.params;
          if (event.method === 'grade/run/fail') failure = event.params.message;
        },
      }),
  );
  if (failure || !result) throw new Error(failure ?? 'The check stopped without results; see the log.');

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
    ? await vscode.window.showWarningMessage(`${summary} ${failed.length} to improve: see the Problems panel.`, 'Show Details')
    : await vscode.window.showInformationMessage(`${summary} All public tests pass; your instructor's hidden tests may check more.`, 'Show Details');
  if (choice === 'Show Details') c.log.show();
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
