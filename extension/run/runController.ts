import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  envelope,
  headline,
  type DidFailParams,
  type DidFinishRunParams,
  type StartRunParams,
  type SubmoduleId,
  type TrainerMessage,
} from '../../protocol/messages';
import { webviewEnvelope } from '../../protocol/webview';
import { CONTEXT_KEYS } from '../commands/ids';
import { readSettings } from '../config';
import { SUBMODULE_INFO } from '../submodules';
import type { LabPaths } from '../labPaths';
import type { Logger } from '../logger';
import type { TrainerClient, TrainerExit } from '../trainer/trainerClient';
import type { ResultsHost } from '../webview/resultsHost';
import type { BackendStatus } from './backendStatus';
import { liveRowOf, RowBatcher } from './liveRows';
import { openReport } from './openReport';
import type { Problems } from './problems';

type Outcome = { kind: 'done'; result: DidFinishRunParams } | { kind: 'failed'; error: DidFailParams };

interface ActiveRun {
  runId: string;
  submodule: SubmoduleId;
  progress: vscode.Progress<{ message?: string; increment?: number }>;
  reported: number;
  rows: RowBatcher;
  /** The folder of the misclassified images' thumbnails, once the trainer reports it. */
  thumbnails?: string;
  settle(outcome: Outcome): void;
  cancelTimer?: ReturnType<typeof setTimeout>;
}

/** How long a cancelled run may take to stop on its own before the trainer is killed. */
const CANCEL_GRACE_MS = 10_000;

/**
 * Runs one lab experiment at a time: starts it on the trainer, mirrors its progress into a cancellable
 * notification, the status bar and the results panel, and turns its outcome into a message with next
 * steps (and a squiggle when the learner's file is at fault). Nothing here throws into VS Code: a failed
 * run leaves the extension ready for the next one.
 */
export class RunController implements vscode.Disposable {
  private active: ActiveRun | undefined;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly deps: {
      trainer: TrainerClient;
      results: ResultsHost;
      backend: BackendStatus;
      problems: Problems;
      paths: LabPaths;
      log: Logger;
    },
  ) {
    this.subscriptions = [
      deps.trainer.onMessage((m) => this.onTrainerMessage(m)),
      deps.trainer.onExit((e) => this.onTrainerExit(e)),
    ];
  }

  get isRunning(): boolean {
    return this.active !== undefined;
  }

  async start(submodule: SubmoduleId, learnerFile?: vscode.Uri): Promise<void> {
    if (this.active) {
      const choice = await vscode.window.showWarningMessage(
        `A ${this.active.submodule} run is still going. Wait for it, or cancel it first.`,
        'Show Results',
        'Cancel Run',
      );
      if (choice === 'Show Results') this.deps.results.show();
      if (choice === 'Cancel Run') this.cancel();
      return;
    }
    const file = learnerFile ?? (await this.defaultLearnerFile(submodule));
    if (file) await saveIfDirty(file);
    const settings = readSettings();
    const runId = `${submodule}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const params: StartRunParams = {
      runId,
      submodule,
      profile: settings.profile,
      seed: settings.seed,
      backend: settings.backend,
      outDir: this.deps.paths.runFolder(submodule, runId).fsPath,
      // Only when set: without it the trainer uses the dataset shipped inside the extension.
      ...(settings.dataDirectory ? { dataDir: settings.dataDirectory } : {}),
      ...(file ? { learnerFile: file.fsPath } : {}),
      ...(settings.splits ? { splits: settings.splits } : {}),
      ...(submodule === 'classification' ? { dataset: settings.classificationDataset } : {}),
      ...(submodule === 'classification' && settings.imagenetWeights ? { weightsFile: settings.imagenetWeights } : {}),
    };
    this.deps.log.info(`run ${runId}: ${JSON.stringify(params)}`);
    this.deps.problems.clear();
    this.deps.results.apply(
      webviewEnvelope('results/run/start', {
        runId,
        submodule,
        profile: settings.profile,
        seed: settings.seed,
        ...(file ? { learnerFile: vscode.workspace.asRelativePath(file) } : {}),
      }),
    );
    this.deps.results.show(true);
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, true);

    const outcome = await vscode.window.withProgress<Outcome>(
      { location: vscode.ProgressLocation.Notification, title: `${title(submodule)}: training`, cancellable: true },
      (progress, token) =>
        new Promise<Outcome>((resolve) => {
          this.active = {
            runId,
            submodule,
            progress,
            reported: 0,
            rows: new RowBatcher((rows) => this.deps.results.apply(webviewEnvelope('results/metric/add', { runId, rows }))),
            settle: resolve,
          };
          token.onCancellationRequested(() => this.cancel());
          this.deps.trainer.send(envelope('run/start', params));
        }),
    );
    this.clearActive();
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, false);
    await this.report(submodule, outcome);
  }

  /** Asks the trainer to stop; if it does not within the grace period, the trainer process is killed. */
  cancel(): boolean {
    const run = this.active;
    if (!run) return false;
    this.deps.log.info(`cancelling ${run.runId}`);
    this.deps.trainer.send(envelope('run/cancel', { runId: run.runId }));
    run.cancelTimer ??= setTimeout(() => {
      this.deps.log.warn(`${run.runId} did not stop within ${CANCEL_GRACE_MS / 1000} s; stopping the trainer`);
      this.deps.trainer.dispose();
    }, CANCEL_GRACE_MS);
    return true;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.clearActive();
  }

  private clearActive(): void {
    if (this.active?.cancelTimer) clearTimeout(this.active.cancelTimer);
    this.active = undefined;
  }

  private onTrainerMessage(message: TrainerMessage): void {
    const run = this.active;
    switch (message.method) {
      case 'trainer/ready':
        return;
      case 'run/log': {
        const { level, message: text } = message.params;
        this.deps.log[level](`[trainer] ${text}`);
        return;
      }
      case 'run/artifact':
        this.deps.log.info(`[trainer] wrote ${message.params.kind}: ${message.params.path}`);
        if (run && message.params.runId === run.runId && message.params.kind === 'thumbnails') run.thumbnails = message.params.path;
        return;
      case 'run/error':
        if (run && (message.params.runId === undefined || message.params.runId === run.runId)) {
          this.finish(run, { kind: 'failed', error: message.params });
        } else {
          this.deps.log.error(`[trainer] ${message.params.code}: ${message.params.message}`);
        }
        return;
    }
    if (!run || message.params.runId !== run.runId) {
      this.deps.log.debug(`ignored ${message.method} for a run that is not active`);
      return;
    }
    switch (message.method) {
      case 'run/backend/select':
        this.deps.backend.update(message.params);
        this.deps.results.apply(webviewEnvelope('results/backend/select', message.params));
        return;
      case 'run/progress': {
        const { runId, stage, fraction } = message.params;
        const percent = Math.round(fraction * 100);
        run.progress.report({ message: `${stage} (${percent}%)`, increment: Math.max(0, percent - run.reported) });
        run.reported = Math.max(run.reported, percent);
        this.deps.results.apply(webviewEnvelope('results/run/progress', { runId, stage, fraction }));
        return;
      }
      case 'run/metric': {
        const row = liveRowOf(message.params);
        if (row) run.rows.add(row);
        return;
      }
      case 'run/result':
        this.finish(run, { kind: 'done', result: message.params });
        return;
    }
  }

  private onTrainerExit(exit: TrainerExit): void {
    const run = this.active;
    if (!run) return;
    const how = exit.signal ? `was stopped (${exit.signal})` : `exited with code ${exit.code ?? 'unknown'}`;
    const cancelled = run.cancelTimer !== undefined;
    this.finish(run, {
      kind: 'failed',
      error: {
        runId: run.runId,
        code: cancelled ? 'cancelled' : 'internal',
        message: cancelled ? 'The run was cancelled.' : `The trainer ${how} before the run finished. The log has its last lines.`,
      },
    });
  }

  private finish(run: ActiveRun, outcome: Outcome): void {
    run.rows.flush();
    if (outcome.kind === 'done') {
      const { runId, metrics, reportPath } = outcome.result;
      const thumbnails = run.thumbnails;
      this.deps.results.apply(webviewEnvelope('results/run/finish', { runId, metrics, reportPath, ...(thumbnails ? { thumbnails } : {}) }));
    } else {
      const { code, message, location } = outcome.error;
      this.deps.results.apply(
        webviewEnvelope('results/run/fail', { runId: run.runId, code, message, ...(location ? { location } : {}) }),
      );
    }
    run.settle(outcome);
  }

  private async report(submodule: SubmoduleId, outcome: Outcome): Promise<void> {
    if (outcome.kind === 'done') {
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.runSucceeded(submodule), true);
      const { metrics, reportPath } = outcome.result;
      const summary = ` ${headline(metrics)}`;
      const choice = await vscode.window.showInformationMessage(
        `${title(submodule)} run finished in ${Math.round(metrics.wallSeconds)} s.${summary}`,
        'Show Results',
        'Open Report',
      );
      if (choice === 'Show Results') this.deps.results.show();
      if (choice === 'Open Report') await openReport(reportPath);
      return;
    }
    const error = outcome.error;
    this.deps.log.error(`run failed (${error.code}): ${error.message}`);
    if (error.code === 'cancelled') {
      void vscode.window.showInformationMessage(`${title(submodule)} run cancelled.`);
      return;
    }
    const problemFile = this.deps.problems.report(error);
    const actions = [...(problemFile ? ['Go to Problem'] : []), 'Show Log', 'Run Again'];
    const choice = await vscode.window.showErrorMessage(`${title(submodule)} run failed: ${error.message}`, ...actions);
    if (choice === 'Go to Problem' && problemFile && error.location) {
      const line = Math.max(0, error.location.line - 1);
      const at = new vscode.Position(line, error.location.column);
      await vscode.window.showTextDocument(problemFile, { selection: new vscode.Range(at, at) });
    }
    if (choice === 'Show Log') this.deps.log.show();
    if (choice === 'Run Again') await vscode.commands.executeCommand('biomedLab.run', submodule);
  }

  /** The learner's exercise file when it exists; otherwise the trainer uses the course's reference code. */
  private async defaultLearnerFile(submodule: SubmoduleId): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = this.deps.paths.submoduleFolder(submodule);
    const runFiles: readonly string[] = SUBMODULE_INFO[submodule].runFiles;
    // Running from an open exercise (or, in Regression, challenge) file runs that file.
    if (active && active.scheme === 'file' && path.dirname(active.fsPath) === folder.fsPath && runFiles.includes(path.basename(active.fsPath))) {
      return active;
    }
    const first = SUBMODULE_INFO[submodule].runFiles[0];
    if (!first) return undefined;
    const network = this.deps.paths.exerciseFile(submodule, first);
    try {
      await vscode.workspace.fs.stat(network);
      return network;
    } catch {
      this.deps.log.info(`no ${vscode.workspace.asRelativePath(network)} yet; running the course's reference network`);
      return undefined;
    }
  }
}

export function title(submodule: SubmoduleId): string {
  return submodule.charAt(0).toUpperCase() + submodule.slice(1);
}

async function saveIfDirty(file: vscode.Uri): Promise<void> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  if (document?.isDirty) await document.save();
}

