/**
 * The one function that builds every webview's HTML. The policy is strict: nothing loads unless listed,
 * scripts run only with this load's nonce, styles and images come only from the extension's own files.
 * Charts stay CSP-safe because vega runs with its expression interpreter instead of `new Function`.
 */
import { randomBytes } from 'node:crypto';
import type { WebviewView } from '../../protocol/webview';

/** The slice of `vscode.Webview` the builder needs, so the builder is testable without VS Code. */
export interface WebviewLike {
  readonly cspSource: string;
  asWebviewUri(uri: UriLike): UriLike;
}
export interface UriLike {
  toString(): string;
}

export interface WebviewPage {
  /** The results bundle mounts the view named here; the gradebook bundle has one view. */
  view: WebviewView | 'gradebook';
  title: string;
  scriptUri: UriLike;
  styleUris: readonly UriLike[];
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function buildWebviewHtml(webview: WebviewLike, page: WebviewPage, nonce: string = newNonce()): string {
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  const styles = page.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttribute(webview.asWebviewUri(u).toString())}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${escapeText(page.title)}</title>
</head>
<body data-view="${page.view}">
<main id="app" aria-busy="true">
<p id="boot-status" role="status">Loading ${escapeText(page.title)}… If this message stays, open the log with the command “Biomedical Deep Learning Lab: Show Log”.</p>
</main>
<script nonce="${nonce}" src="${escapeAttribute(webview.asWebviewUri(page.scriptUri).toString())}"></script>
</body>
</html>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
