/**
 * The instructor's one class gradebook: the live panel of a grading run, and the last run's gradebook
 * shown again (after a window reload, or by "Show Last Gradebook") from the grader's files on disk. Owned
 * by the container, because the panel serializer and the commands must reach the same panel.
 */
import type * as vscode from 'vscode';
import type { GradebookState, ToGradebookMessage } from '../../protocol/gradebook';
import type { Log } from '../log';
import { GradebookPanel } from './gradebookPanel';
import { classGradebookRequests } from './gradebookRequests';
import { LastGradebookStore, type GradedRun } from './lastGradebook';
import { loadSavedGradebook } from './savedGradebook';

export class ClassGradebook implements vscode.Disposable {
  private readonly panel: GradebookPanel;
  private readonly store: LastGradebookStore;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.panel = new GradebookPanel(context.extensionUri, log, 'class', 'Gradebook');
    this.store = new LastGradebookStore(context.workspaceState);
  }

  get state(): GradebookState {
    return this.panel.state;
  }

  /** A new grading run fills the panel live. */
  start(run: GradedRun): void {
    this.panel.start(run.title, classGradebookRequests(this.log, run));
  }

  apply(message: ToGradebookMessage): void {
    this.panel.apply(message);
  }

  /** The grader has started writing its files: from now on this run is the one shown again. */
  remember(run: GradedRun): void {
    this.store.set(run).then(undefined, (err: unknown) => this.log.warn(`could not remember the last gradebook: ${String(err)}`));
  }

  /** Shows the last gradebook as its files are now; a run in progress in this window is only revealed. */
  showLast(): void {
    if (this.panel.state.status !== 'running') this.load();
    this.panel.show();
  }

  /** The serializer's half: VS Code reopened the panel after a reload; it shows the saved gradebook. */
  restore(webviewPanel: vscode.WebviewPanel): void {
    if (this.panel.state.status !== 'running') this.load();
    this.panel.restore(webviewPanel);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private load(): void {
    const run = this.store.get();
    const state = loadSavedGradebook(run);
    if (state.error) this.log.warn(`last gradebook: ${state.error}`);
    this.panel.present(state, run ? classGradebookRequests(this.log, run) : () => this.log.warn('the gradebook has no graded run to act on'));
  }
}
