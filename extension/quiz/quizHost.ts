import * as vscode from 'vscode';
import type { SubmoduleId } from '../../protocol/messages';
import { webviewEnvelope, type ToWebviewMessage, type WebviewAction } from '../../protocol/webview';
import type { Log } from '../log';
import { WebviewChannel } from '../webview/channel';
import { guardPanelLoad } from '../webview/guardPanelLoad';
import { configureWebview, createPanel, replacePanel } from '../webview/panels';
import { gradeAnswer, progressView, quizView } from './quiz';
import type { QuizStore } from './quizStore';

/**
 * The quiz panel. Grading happens here, not in the webview: the answer key never leaves the host, and
 * progress is stored where the walkthrough can see it.
 */
export class QuizHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel | undefined;
  private submodule: SubmoduleId = 'regression';
  private readonly panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: QuizStore,
    private readonly log: Log,
    private readonly onAction: (action: WebviewAction, submodule: SubmoduleId) => void,
  ) {}

  async show(submodule: SubmoduleId): Promise<void> {
    const quiz = await this.store.quiz(submodule);
    this.submodule = submodule;
    if (this.panel) {
      this.log.info(`quiz: showing the ${submodule} quiz in the open panel`);
      this.panel.title = quiz.title;
      this.panel.reveal();
      this.channel?.post(await this.stateMessage());
      return;
    }
    this.log.info(`quiz: opening the ${submodule} quiz in a new panel`);
    this.attach(createPanel(this.context.extensionUri, 'quiz', quiz.title, { preserveFocus: false }));
  }

  /** Called by the serializer after a reload; the quiz is the only one with questions so far. */
  restore(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    configureWebview(panel.webview, this.context.extensionUri, 'quiz', panel.title);
    this.attach(panel);
  }

  /** Refreshes an open panel, e.g. after the progress was reset from the command palette. */
  async refresh(): Promise<void> {
    if (this.channel) this.channel.post(await this.stateMessage());
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
  }

  private attach(panel: vscode.WebviewPanel, attemptsSoFar = 0): void {
    this.panel = panel;
    this.channel = new WebviewChannel(panel.webview, this.log, {
      // The snapshot is built asynchronously (the quiz file is read lazily), so it is posted, not returned.
      onReady: () => {
        void this.stateMessage().then((m) => this.channel?.post(m), (err: unknown) => this.log.error(String(err)));
        return [];
      },
      onMessage: (message) => {
        switch (message.method) {
          case 'quiz/answer/submit':
            void this.answer(message.params.questionId, message.params.choiceId);
            break;
          case 'quiz/progress/reset':
            void this.store.save(this.submodule, {}).then(() => this.refresh());
            break;
          case 'webview/action/invoke':
            this.onAction(message.params.action, this.submodule);
            break;
          case 'webview/error/report':
            this.log.error(`quiz webview: ${message.params.message}`);
            break;
        }
      },
    });
    this.panelDisposables.push(
      panel.onDidDispose(() => {
        this.log.info('quiz: panel closed');
        this.detach();
      }),
      guardPanelLoad(panel, this.channel, 'quiz', this.log, {
        attemptsSoFar,
        replace: (attempt) => {
          this.detach();
          this.attach(replacePanel(panel, (title, placement) => createPanel(this.context.extensionUri, 'quiz', title, placement)), attempt);
        },
      }),
    );
  }

  private async answer(questionId: string, choiceId: string): Promise<void> {
    const quiz = await this.store.quiz(this.submodule);
    const graded = gradeAnswer(quiz, this.store.progress(this.submodule), questionId, choiceId);
    if (!graded.ok) {
      this.log.warn(`quiz: ${graded.reason}`);
      return;
    }
    const wasPassed = progressView(quiz, this.store.progress(this.submodule)).passed;
    await this.store.save(this.submodule, graded.progress);
    const view = progressView(quiz, graded.progress);
    this.channel?.post(webviewEnvelope('quiz/state/set', { quiz: quizView(quiz), progress: view }));
    if (view.passed && !wasPassed) {
      void vscode.window.showInformationMessage(
        `Quiz passed: ${view.firstTryCount} of ${view.total} right on the first try. The walkthrough step is complete.`,
      );
    }
  }

  private async stateMessage(): Promise<ToWebviewMessage> {
    const quiz = await this.store.quiz(this.submodule);
    return webviewEnvelope('quiz/state/set', { quiz: quizView(quiz), progress: progressView(quiz, this.store.progress(this.submodule)) });
  }

  private detach(): void {
    this.channel?.dispose();
    this.channel = undefined;
    this.panel = undefined;
    this.panelDisposables.splice(0).forEach((d) => d.dispose());
  }
}
