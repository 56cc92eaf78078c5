import * as vscode from 'vscode';
import { emptyGradebook, gradebookEnvelope, type GradebookMode, type GradebookState, type ToGradebookMessage } from '../../protocol/gradebook';
import type { Log } from '../log';
import { GradebookChannel, type GradebookRequest } from './gradebookChannel';
import { guardPanelLoad } from '../webview/guardPanelLoad';
import { buildWebviewHtml } from '../webview/html';
import { replacePanel, type PanelPlacement } from '../webview/panels';

type RequestHandler = (request: GradebookRequest, state: GradebookState) => void;

/** Webview panel types of the two uses of the gradebook page. */
export const GRADEBOOK_PANEL_TYPES = { class: 'biomedLab.gradebook', check: 'biomedLab.challengeCheck' } as const satisfies Record<GradebookMode, string>;

/**
 * One gradebook panel (the class gradebook, or the learner's check) and its snapshot. A run's commands
 * feed it through `apply`; the page's requests go to the handler the current run set, because the folders
 * an "Open submission" or "Export CSV" refers to belong to that run.
 */
export class GradebookPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly channel: GradebookChannel;
  private handler: RequestHandler = () => undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly mode: GradebookMode,
    private readonly tabTitle: string,
  ) {
    this.channel = new GradebookChannel(emptyGradebook(mode, ''), log, (request, state) => this.handler(request, state));
  }

  get state(): GradebookState {
    return this.channel.state;
  }

  /** Starts a new run in the panel, opening or revealing it, with the handler for this run's requests. */
  start(title: string, handler: RequestHandler): void {
    this.handler = handler;
    this.apply(gradebookEnvelope('gradebook/run/start', { mode: this.mode, title }));
    this.show();
  }

  /** Replaces what the panel shows with a finished gradebook (read back from disk) and that run's handler. */
  present(state: GradebookState, handler: RequestHandler): void {
    this.handler = handler;
    this.apply(gradebookEnvelope('gradebook/snapshot/set', state));
  }

  /** Takes over a panel VS Code brought back after a window reload (the serializer hands it over). */
  restore(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) this.panel?.dispose();
    this.detach();
    this.adopt(panel);
  }

  apply(message: ToGradebookMessage): void {
    this.channel.apply(message);
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    // The learner's check sits beside the file it is about; the class gradebook takes the editor area.
    const viewColumn = this.mode === 'check' ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    this.adopt(this.create(this.tabTitle, { viewColumn, preserveFocus: this.mode === 'check' }));
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
  }

  private get viewType(): string {
    return GRADEBOOK_PANEL_TYPES[this.mode];
  }

  private create(title: string, placement: PanelPlacement): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(this.viewType, title, { viewColumn: placement.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: placement.preserveFocus }, { enableFindWidget: true });
  }

  private adopt(panel: vscode.WebviewPanel, attemptsSoFar = 0): void {
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    const scripts = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [scripts, media] };
    this.channel.attach(panel.webview);
    panel.webview.html = buildWebviewHtml(panel.webview, {
      view: 'gradebook',
      title: this.tabTitle,
      scriptUri: vscode.Uri.joinPath(scripts, 'gradebook.js'),
      styleUris: [vscode.Uri.joinPath(media, 'webview.css'), vscode.Uri.joinPath(media, 'gradebook.css')],
    });
    this.panel = panel;
    // A replaced panel's dispose may arrive after its successor was adopted; it must not detach that one.
    this.panelDisposables.push(
      panel.onDidDispose(() => this.panel === panel && this.detach()),
      guardPanelLoad(panel, this.channel, this.viewType, this.log, {
        attemptsSoFar,
        replace: (attempt) => {
          this.detach();
          this.adopt(replacePanel(panel, (title, placement) => this.create(title, placement)), attempt);
        },
      }),
    );
  }

  private detach(): void {
    this.channel.detach();
    this.panel = undefined;
    this.panelDisposables.splice(0).forEach((d) => d.dispose());
    this.log.debug(`${this.tabTitle} panel closed`);
  }
}
