import * as vscode from 'vscode';
import type { WebviewView } from '../../protocol/webview';
import type { Log } from '../log';
import type { WebviewChannel } from './channel';
import { configureWebview } from './panels';
import { watchReady } from './readyWatchdog';

/** Reloads a panel whose page never said ready, then offers a window reload (see readyWatchdog.ts). */
export function guardPanelLoad(
  panel: vscode.WebviewPanel,
  channel: WebviewChannel,
  extensionUri: vscode.Uri,
  view: WebviewView,
  log: Log,
  dataRoots: () => readonly vscode.Uri[] = () => [],
): vscode.Disposable {
  const dog = watchReady({
    isReady: () => channel.isReady,
    isVisible: () => panel.visible,
    reload: (attempt) => {
      log.warn(`${view} panel did not load; loading it again (attempt ${attempt})`);
      configureWebview(panel.webview, extensionUri, view, panel.title, dataRoots());
    },
    giveUp: () => {
      log.error(`${view} panel still did not load after retries`);
      void vscode.window
        .showErrorMessage(`The ${panel.title} panel did not load. Reloading the window usually fixes this.`, 'Reload Window')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.reloadWindow');
        });
    },
  });
  return new vscode.Disposable(() => dog.dispose());
}
