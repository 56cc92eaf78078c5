import * as vscode from 'vscode';
import type { Log } from '../log';
import { watchReady } from './readyWatchdog';

export interface PanelReplacement {
  /** Replacements already made for the panel this one replaced (0 for a panel the user opened). */
  attemptsSoFar: number;
  /** Disposes the panel and opens a new one in its place; `attempt` goes to the new panel's guard. */
  replace(attempt: number): void;
}

/** Replaces a panel whose page never said ready, then offers a window reload (see readyWatchdog.ts). */
export function guardPanelLoad(
  panel: vscode.WebviewPanel,
  /** The page's end of the ready handshake: the results and quiz channel, or a gradebook's. */
  channel: { readonly isReady: boolean },
  /** Names the panel in the log. */
  view: string,
  log: Log,
  replacement: PanelReplacement,
): vscode.Disposable {
  const dog = watchReady({
    isReady: () => channel.isReady,
    isVisible: () => panel.visible,
    attemptsSoFar: replacement.attemptsSoFar,
    reload: (attempt) => {
      log.warn(`${view} panel did not load; opening it again (attempt ${attempt})`);
      replacement.replace(attempt);
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
