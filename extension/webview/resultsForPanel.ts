/**
 * The host's results messages as a panel must receive them. The host's snapshot names the thumbnails
 * folder by file path, which a webview cannot load; only a live webview can turn it into a URI it may
 * load (`asWebviewUri`), so the conversion happens per post, not in the shared reducer.
 */
import type { ToResultsMessage } from '../../protocol/webview';

/** Turns a file path into the webview URI of that file or folder. */
export type ToWebviewUri = (fsPath: string) => string;

export function resultsForPanel(message: ToResultsMessage, toWebviewUri: ToWebviewUri): ToResultsMessage {
  switch (message.method) {
    case 'results/snapshot/set':
      return { ...message, params: withThumbnailUri(message.params, toWebviewUri) };
    case 'results/run/finish':
      return { ...message, params: withThumbnailUri(message.params, toWebviewUri) };
    default:
      return message;
  }
}

function withThumbnailUri<P extends { thumbnails?: string | undefined }>(params: P, toWebviewUri: ToWebviewUri): P {
  if (params.thumbnails === undefined) return params;
  // Ends with one slash, so the page appends a file name and nothing else.
  return { ...params, thumbnails: `${toWebviewUri(params.thumbnails).replace(/\/+$/, '')}/` };
}
