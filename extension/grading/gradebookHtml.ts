/**
 * The gradebook page: the same Content Security Policy as every lab panel (nonce'd script, the extension's
 * own styles only), its own bundle, and the shared theme stylesheet plus the gradebook's.
 */
import { contentSecurityPolicy, newNonce, type UriLike, type WebviewLike } from '../webview/html';

export interface GradebookPage {
  title: string;
  scriptUri: UriLike;
  styleUris: readonly UriLike[];
}

export function buildGradebookHtml(webview: WebviewLike, page: GradebookPage, nonce: string = newNonce()): string {
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
<body data-view="gradebook">
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
