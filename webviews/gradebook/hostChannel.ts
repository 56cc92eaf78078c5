/**
 * The gradebook page's side of the host channel: typed posts, validated receives, and the persisted state.
 * A malformed message from the host is reported back (the host logs it) and otherwise ignored.
 */
import {
  decodeGradebookMessage,
  gradebookEnvelope,
  TO_GRADEBOOK,
  type FromGradebookMethod,
  type GradebookParamsOf,
  type ToGradebookMessage,
} from '../../protocol/gradebook';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostChannel {
  private readonly api = acquireVsCodeApi();

  post<M extends FromGradebookMethod>(method: M, params: GradebookParamsOf<M>): void {
    this.api.postMessage(gradebookEnvelope(method, params));
  }

  listen(handler: (message: ToGradebookMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const decoded = decodeGradebookMessage(event.data, TO_GRADEBOOK);
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
