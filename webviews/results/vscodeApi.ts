/**
 * The webview's side of the host channel: typed posts, validated receives, and the persisted state.
 * A malformed message from the host is reported back (the host logs it) and otherwise ignored.
 */
import {
  decodeWebviewMessage,
  webviewEnvelope,
  type FromWebviewMethod,
  type ToWebviewMethod,
  type WebviewEnvelope,
  type WebviewParamsOf,
} from '../../protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostChannel {
  private readonly api = acquireVsCodeApi();

  post<M extends FromWebviewMethod>(method: M, params: WebviewParamsOf<M>): void {
    this.api.postMessage(webviewEnvelope(method, params));
  }

  /** Listens for host messages of the given methods; anything else is reported and dropped. */
  listen<M extends ToWebviewMethod>(allowed: readonly M[], handler: (message: WebviewEnvelope<M>) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const decoded = decodeWebviewMessage(event.data, allowed);
      if (decoded.ok) handler(decoded.message);
      else this.reportError(`ignored a host message: ${decoded.reason}`);
    });
  }

  reportError(message: string): void {
    this.post('webview/error/report', { message });
  }

  get state(): unknown {
    return this.api.getState();
  }

  set state(value: unknown) {
    this.api.setState(value);
  }
}
