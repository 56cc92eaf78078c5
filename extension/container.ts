import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SubmoduleId } from '../protocol/messages';
import type { WebviewAction } from '../protocol/webview';
import { COMMAND_IDS, type CommandId } from './commands/ids';
import { ChallengeCheck } from './grading/challengeCheck';
import { ClassGradebook } from './grading/classGradebook';
import { GRADEBOOK_PANEL_TYPES } from './grading/gradebookPanel';
import { LabPaths } from './labPaths';
import { Logger } from './logger';
import { QuizHost } from './quiz/quizHost';
import { QuizStore } from './quiz/quizStore';
import { BackendStatus } from './run/backendStatus';
import { Problems } from './run/problems';
import { RunController } from './run/runController';
import { Scaffolder } from './scaffold/scaffolder';
import { restoreWalkthroughProgress } from './walkthrough/restoreProgress';
import { TrainerClient } from './trainer/trainerClient';
import { PANEL_TYPES } from './webview/panels';
import { ResultsHost } from './webview/resultsHost';

/** What each webview button does: the same commands as the palette, so behaviour cannot differ. */
/**
 * What a webview button runs. The panel's submodule travels with the action as the command's argument, so
 * "Run Again" on a Classification result runs Classification.
 */
const ACTION_COMMANDS: Record<WebviewAction, (submodule: SubmoduleId) => CommandId | undefined> = {
  run: () => 'biomedLab.run',
  cancel: () => 'biomedLab.cancelRun',
  openQuiz: () => 'biomedLab.quiz.open',
  openChallenge: (submodule) => COMMAND_IDS.find((id) => id === `biomedLab.${submodule}.openChallenge`),
  showLog: () => 'biomedLab.showLog',
  openReport: () => 'biomedLab.openReport',
};

/**
 * The one object built at activation that owns every service. Services are created in dependency order
 * and registered with `track`, and `dispose` releases them in reverse, so the trainer process is killed
 * before the log it writes to is closed. No DI framework: constructors take what they need.
 */
export class Container implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  readonly log: Logger;
  readonly paths: LabPaths;
  readonly trainer: TrainerClient;
  readonly problems: Problems;
  readonly backend: BackendStatus;
  readonly results: ResultsHost;
  readonly quizzes: QuizStore;
  readonly quiz: QuizHost;
  readonly scaffolder: Scaffolder;
  readonly runs: RunController;
  readonly gradebook: ClassGradebook;
  readonly challengeCheck: ChallengeCheck;

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = this.track(new Logger());
    this.paths = new LabPaths(context);
    const extensionPath = context.extensionUri.fsPath;
    const trainer = new TrainerClient({
      nodePath: process.execPath,
      trainerScript: path.join(extensionPath, 'dist', 'trainer.js'),
      cwd: extensionPath,
      log: this.log,
      stderrLog: this.log.tagged('trainer stderr'),
      // The backend ladder looks here first for a native build installed by "Install Faster Backend".
      env: { BIOMED_LAB_NATIVE_DIR: this.paths.nativeBackendDir },
    });
    this.trainer = trainer;
    this.track({ dispose: () => trainer.dispose() });
    this.problems = this.track(new Problems());
    this.backend = this.track(new BackendStatus());
    const onAction = (action: WebviewAction, submodule: SubmoduleId): void => {
      const command = ACTION_COMMANDS[action](submodule);
      if (command) void vscode.commands.executeCommand(command, submodule);
      else this.log.warn(`${submodule} has no command for the webview action ${action}`);
    };
    this.results = this.track(new ResultsHost(context, this.log, onAction, () => this.paths.runsRoot));
    this.quizzes = new QuizStore(context, this.paths);
    this.quiz = this.track(new QuizHost(context, this.quizzes, this.log, onAction));
    this.scaffolder = new Scaffolder(this.paths, this.log);
    this.runs = this.track(
      new RunController({ trainer, results: this.results, backend: this.backend, problems: this.problems, paths: this.paths, log: this.log }),
    );
    this.track(
      vscode.window.registerWebviewPanelSerializer(PANEL_TYPES.results, {
        deserializeWebviewPanel: async (panel) => this.results.restore(panel),
      }),
    );
    this.track(
      vscode.window.registerWebviewPanelSerializer(PANEL_TYPES.quiz, {
        deserializeWebviewPanel: async (panel) => this.quiz.restore(panel),
      }),
    );
    this.gradebook = this.track(new ClassGradebook(context, this.log));
    this.track(
      vscode.window.registerWebviewPanelSerializer(GRADEBOOK_PANEL_TYPES.class, {
        deserializeWebviewPanel: async (panel) => this.gradebook.restore(panel),
      }),
    );
    this.challengeCheck = this.track(new ChallengeCheck(context, this.log));
    this.track(
      vscode.window.registerWebviewPanelSerializer(GRADEBOOK_PANEL_TYPES.check, {
        deserializeWebviewPanel: async (panel) => this.challengeCheck.restore(panel),
      }),
    );
  }

  /** Publishes the learner's progress to the walkthroughs' context keys (see restoreProgress.ts). */
  async restoreContext(): Promise<void> {
    await restoreWalkthroughProgress({ scaffolder: this.scaffolder, paths: this.paths, quizzes: this.quizzes, log: this.log });
  }

  track<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        // Keep disposing the rest; a failing dispose must not leave the trainer running.
        console.error('Biomedical Deep Learning Lab: dispose failed', err);
      }
    }
  }
}
