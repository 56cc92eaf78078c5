import type * as vscode from 'vscode';
import {
  EMPTY_RESULTS,
  reduceResults,
  ResultsStateSchema,
  webviewEnvelope,
  type ResultsState,
  type ToResultsMessage,
  type WebviewAction,
} from '../../protocol/webview';
import type { Log } from '../log';
import { WebviewChannel } from './channel';
import { guardPanelLoad } from './guardPanelLoad';
import { configureWebview, createPanel } from './panels';

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
    private readonly onAction: (action: WebviewAction) => void,
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
    this.attach(createPanel(this.context.extensionUri, 'results', TITLE, preserveFocus));
  }

  /** Called by the serializer after a reload. */
  restore(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    configureWebview(panel.webview, this.context.extensionUri, 'results', TITLE);
    this.attach(panel);
  }

  apply(message: ToResultsMessage): void {
    this.snapshot = reduceResults(this.snapshot, message);
    this.channel?.post(message);
    // Saved when a run starts or ends, not per metric: the webview's own setState covers the live detail.
    if (message.method !== 'results/run/progress' && message.method !== 'results/metric/add' && message.method !== 'results/backend/select') {
      void this.context.workspaceState.update(STATE_KEY, this.snapshot);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.channel = new WebviewChannel(panel.webview, this.log, {
      onReady: () => [webviewEnvelope('results/snapshot/set', this.snapshot)],
      onMessage: (message) => {
        switch (message.method) {
          case 'webview/action/invoke':
            this.onAction(message.params.action);
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
      guardPanelLoad(panel, this.channel, this.context.extensionUri, 'results', this.log),
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
