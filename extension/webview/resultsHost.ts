import * as vscode from 'vscode';
import {
  EMPTY_RESULTS,
  reduceResults,
  ResultsStateSchema,
  webviewEnvelope,
  type ResultsState,
  type ToResultsMessage,
  type WebviewAction,
} from '../../protocol/webview';
import type { SubmoduleId } from '../../protocol/messages';
import type { Log } from '../log';
import { WebviewChannel } from './channel';
import { guardPanelLoad } from './guardPanelLoad';
import { configureWebview, createPanel, replacePanel } from './panels';
import { resultsForPanel } from './resultsForPanel';

const STATE_KEY = 'biomedLab.results.snapshot';
const TITLE = 'Lab Results';

/**
 * Owns the results panel and the snapshot of the current (or last) run. Every trainer event goes through
 * `apply`, which updates the snapshot and forwards the message; a panel opened later, or restored after a
 * reload, is brought up to date from the snapshot on its `webview/ready`.
 */
export class ResultsHost implements vscode.Disposable {
  private snapshot: ResultsState;
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel | undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly onAction: (action: WebviewAction, submodule: SubmoduleId) => void,
    /** Where runs write their files; the panel may load thumbnails from there. */
    private readonly runsRoot: () => vscode.Uri,
  ) {
    const stored = ResultsStateSchema.safeParse(context.workspaceState.get(STATE_KEY));
    // A run that was still going when the window closed did not finish; show it as interrupted.
    this.snapshot = stored.success ? interrupted(stored.data) : EMPTY_RESULTS;
  }

  get state(): ResultsState {
    return this.snapshot;
  }

  show(preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    this.attach(createPanel(this.context.extensionUri, 'results', TITLE, { preserveFocus }, this.dataRoots()));
  }

  /** Called by the serializer after a reload. */
  restore(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    configureWebview(panel.webview, this.context.extensionUri, 'results', TITLE, this.dataRoots());
    this.attach(panel);
  }

  apply(message: ToResultsMessage): void {
    this.snapshot = reduceResults(this.snapshot, message);
    if (this.panel && this.channel) this.channel.post(resultsForPanel(message, this.toWebviewUri(this.panel)));
    // Saved when a run starts or ends, not per metric: the webview's own setState covers the live detail.
    if (message.method !== 'results/run/progress' && message.method !== 'results/metric/add' && message.method !== 'results/backend/select') {
      void this.context.workspaceState.update(STATE_KEY, this.snapshot);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
  }

  /**
   * The runs folder, and the snapshot's thumbnails wherever they are (a run from before the workspace
   * folder changed). Read when the page loads: changing the roots of a loaded webview reloads it.
   */
  private dataRoots(): vscode.Uri[] {
    const thumbnails = this.snapshot.thumbnails;
    return [this.runsRoot(), ...(thumbnails ? [vscode.Uri.file(thumbnails)] : [])];
  }

  private toWebviewUri(panel: vscode.WebviewPanel): (fsPath: string) => string {
    return (fsPath) => panel.webview.asWebviewUri(vscode.Uri.file(fsPath)).toString();
  }

  private attach(panel: vscode.WebviewPanel, attemptsSoFar = 0): void {
    this.panel = panel;
    this.channel = new WebviewChannel(panel.webview, this.log, {
      onReady: () => [resultsForPanel(webviewEnvelope('results/snapshot/set', this.snapshot), this.toWebviewUri(panel))],
      onMessage: (message) => {
        switch (message.method) {
          case 'webview/action/invoke':
            this.onAction(message.params.action, this.snapshot.run?.submodule ?? 'regression');
            break;
          case 'webview/error/report':
            this.log.error(`results webview: ${message.params.message}`);
            break;
          default:
            this.log.warn(`results webview sent ${message.method}, which it should not`);
        }
      },
    });
    this.panelDisposables.push(
      panel.onDidDispose(() => this.detach()),
      guardPanelLoad(panel, this.channel, 'results', this.log, {
        attemptsSoFar,
        replace: (attempt) => {
          this.detach();
          this.attach(replacePanel(panel, (title, placement) => createPanel(this.context.extensionUri, 'results', title, placement, this.dataRoots())), attempt);
        },
      }),
    );
  }

  private detach(): void {
    this.channel?.dispose();
    this.channel = undefined;
    this.panel = undefined;
    this.panelDisposables.splice(0).forEach((d) => d.dispose());
  }
}

function interrupted(state: ResultsState): ResultsState {
  if (state.status !== 'running') return state;
  return { ...state, status: 'failed', error: { code: 'internal', message: 'The window closed while this run was going; run it again.' } };
}
