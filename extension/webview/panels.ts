import * as vscode from 'vscode';
import type { WebviewView } from '../../protocol/webview';
import { buildWebviewHtml } from './html';

/** Webview panel types; each also names an `onWebviewPanel:` activation event and a serializer. */
export const PANEL_TYPES = { results: 'biomedLab.results', quiz: 'biomedLab.quiz' } as const satisfies Record<WebviewView, string>;

/**
 * One webview bundle serves both views: the quiz is a few dozen lines of DOM and shares the message
 * layer, styles and error handling with the results view, so a second bundle would only duplicate them.
 */
export function configureWebview(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  view: WebviewView,
  title: string,
  /** Folders outside the extension the page may load from, e.g. the runs' thumbnails. */
  dataRoots: readonly vscode.Uri[] = [],
): void {
  const scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  webview.options = { enableScripts: true, localResourceRoots: [scripts, media, ...dataRoots] };
  webview.html = buildWebviewHtml(webview, {
    view,
    title,
    scriptUri: vscode.Uri.joinPath(scripts, 'results.js'),
    styleUris: [vscode.Uri.joinPath(media, 'webview.css')],
  });
}

export function createPanel(
  extensionUri: vscode.Uri,
  view: WebviewView,
  title: string,
  /** Beside the active editor unless a column is given (a replaced panel keeps its column). */
  placement: PanelPlacement,
  dataRoots: readonly vscode.Uri[] = [],
): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(
    PANEL_TYPES[view],
    title,
    { viewColumn: placement.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: placement.preserveFocus },
    // Not retained when hidden: the webview keeps its state with setState and the host replays a snapshot.
    { enableFindWidget: true },
  );
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
  configureWebview(panel.webview, extensionUri, view, title, dataRoots);
  return panel;
}

export interface PanelPlacement {
  preserveFocus: boolean;
  viewColumn?: vscode.ViewColumn | undefined;
}

/**
 * Closes a panel that is on screen and opens a new one of the same view in its column, shown but without
 * taking the focus. The title is read first: a disposed panel throws on every property.
 */
export function replacePanel(old: vscode.WebviewPanel, create: (title: string, placement: PanelPlacement) => vscode.WebviewPanel): vscode.WebviewPanel {
  const title = old.title;
  const placement = { viewColumn: old.viewColumn, preserveFocus: true };
  old.dispose();
  const panel = create(title, placement);
  // Opened with preserveFocus, a new editor can stay behind the one that took its old tab's place.
  panel.reveal(placement.viewColumn, true);
  return panel;
}
