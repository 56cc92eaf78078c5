/**
 * The learner's one Challenge Check panel: the live check, and the last check's result shown again after a
 * window reload, read from the result stored when that check finished. Owned by the container, because the
 * panel serializer and the Check My Challenge commands must reach the same panel.
 */
import * as vscode from 'vscode';
import type { GradebookState, ToGradebookMessage } from '../../protocol/gradebook';
import type { GradeEventParams } from '../../protocol/grading';
import type { SubmoduleId } from '../../protocol/vocabulary';
import type { Log } from '../log';
import { CheckResultStore } from './checkResultStore';
import type { GradebookRequest } from './gradebookChannel';
import { GradebookPanel } from './gradebookPanel';
import { savedCheckState } from './savedCheck';

export class ChallengeCheck implements vscode.Disposable {
  private readonly panel: GradebookPanel;
  private readonly store: CheckResultStore;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.panel = new GradebookPanel(context.extensionUri, log, 'check', 'Challenge Check');
    const storage = context.storageUri ?? context.globalStorageUri;
    this.store = new CheckResultStore(vscode.Uri.joinPath(storage, 'challenge-checks').fsPath, context.workspaceState);
  }

  get state(): GradebookState {
    return this.panel.state;
  }

  /** A new check of `file` fills the panel live; the submodule's earlier stored result is dropped. */
  async start(file: vscode.Uri, submodule: SubmoduleId): Promise<void> {
    // Running first: a second command started while the store is being updated sees this check.
    this.panel.start(vscode.workspace.asRelativePath(file), this.requests(file.fsPath));
    try {
      await this.store.begin(submodule);
    } catch (err) {
      this.log.warn(`could not drop the previous check result (a reload during this check may show it): ${String(err)}`);
    }
  }

  apply(message: ToGradebookMessage): void {
    this.panel.apply(message);
  }

  /** The check's result: kept for the panel a reload brings back. */
  remember(submodule: SubmoduleId, result: GradeEventParams<'grade/check/finish'>): void {
    try {
      this.store.save(submodule, this.panel.state.title, result);
    } catch (err) {
      this.log.warn(`could not store the check result (a reload will not show it): ${String(err)}`);
    }
  }

  show(): void {
    this.panel.show();
  }

  /** The serializer's half: VS Code reopened the panel after a reload; it shows the stored result. */
  restore(webviewPanel: vscode.WebviewPanel): void {
    if (this.panel.state.status !== 'running') {
      const loaded = this.store.load();
      if (!loaded.ok) this.log.warn(`challenge check: ${loaded.problem}`);
      const file = loaded.ok ? loaded.check.result.file : undefined;
      this.panel.present(savedCheckState(loaded), file ? this.requests(file) : () => this.log.warn('the challenge check panel has no checked file to act on'));
    }
    this.panel.restore(webviewPanel);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private requests(file: string): (request: GradebookRequest) => void {
    return (request) => {
      if (request.method === 'gradebook/location/open') void revealLine(vscode.Uri.file(file), request.params.line);
      else this.log.warn(`the challenge check panel sent ${request.method}, which it should not`);
    };
  }
}

async function revealLine(file: vscode.Uri, line: number): Promise<void> {
  const position = new vscode.Position(line - 1, 0);
  await vscode.window.showTextDocument(file, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
}
