/**
 * A panel page's side of its host channel: typed posts, validated receives, and the persisted state. Each
 * bundle makes one over its protocol's method table (protocol/webview.ts, protocol/gradebook.ts). A malformed
 * message from the host is reported back (the host logs it) and otherwise ignored.
 */
import type { z } from 'zod';
import { decodeMessage, envelopeOf, type EnvelopeOf, type MethodTable } from '../../protocol/envelope';
import { webviewEnvelope, type webviewMethods } from '../../protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Every panel's protocol carries the same error report, so any page can say what went wrong in it. */
type ReportsErrors = Pick<typeof webviewMethods, 'webview/error/report'>;

/** `From`: the methods the page sends; `To`: those the host sends it. */
export class HostChannel<T extends MethodTable & ReportsErrors, From extends keyof T & string, To extends keyof T & string> {
  private readonly api = acquireVsCodeApi();

  constructor(private readonly methods: T) {}

  post<M extends From>(method: M, params: z.infer<T[M]>): void {
    this.api.postMessage(envelopeOf<T, M>(method, params));
  }

  /** Listens for host messages of the given methods; anything else is reported and dropped. */
  listen<M extends To>(allowed: readonly M[], handler: (message: EnvelopeOf<T, M>) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const decoded = decodeMessage(this.methods, event.data, allowed);
      if (decoded.ok) handler(decoded.message);
      else this.reportError(`ignored a host message: ${decoded.reason}`);
    });
  }

  reportError(message: string): void {
    this.api.postMessage(webviewEnvelope('webview/error/report', { message }));
  }

  get state(): unknown {
    return this.api.getState();
  }

  set state(value: unknown) {
    this.api.setState(value);
  }
}
