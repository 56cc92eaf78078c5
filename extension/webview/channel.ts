/**
 * A typed, validated message channel to one webview with a ready handshake: messages posted before the
 * webview says `webview/ready` are queued and flushed in order once it does. After a reload or a tab
 * that was discarded, the webview says ready again, and `onReady` lets the owner replay its snapshot.
 */
import {
  decodeWebviewMessage,
  FROM_WEBVIEW,
  type FromWebviewMessage,
  type ToWebviewMessage,
  type WebviewEnvelope,
} from '../../protocol/webview';
import type { Log } from '../log';

/** The slice of `vscode.Webview` the channel needs. */
export interface PostTarget {
  postMessage(message: unknown): PromiseLike<boolean>;
  onDidReceiveMessage(listener: (message: unknown) => void): { dispose(): void };
}

type ReadyMessage = WebviewEnvelope<'webview/ready'>;

export class WebviewChannel {
  private ready = false;
  private queue: ToWebviewMessage[] = [];
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly target: PostTarget,
    private readonly log: Log,
    private readonly handlers: {
      /**
       * Called on every handshake. Return a full snapshot to bring the webview up to date; a snapshot
       * already contains whatever was queued, so the queue is then dropped instead of applied twice.
       */
      onReady(message: ReadyMessage): ToWebviewMessage[];
      onMessage(message: Exclude<FromWebviewMessage, ReadyMessage>): void;
    },
  ) {
    this.subscription = target.onDidReceiveMessage((raw) => this.receive(raw));
  }

  get isReady(): boolean {
    return this.ready;
  }

  post(message: ToWebviewMessage): void {
    if (this.ready) this.deliver(message);
    else this.queue.push(message);
  }

  dispose(): void {
    this.subscription.dispose();
    this.queue = [];
  }

  private receive(raw: unknown): void {
    const decoded = decodeWebviewMessage(raw, FROM_WEBVIEW);
    if (!decoded.ok) {
      this.log.warn(`ignored a malformed webview message: ${decoded.reason}`);
      return;
    }
    const message = decoded.message;
    if (message.method === 'webview/ready') {
      this.ready = true;
      const snapshot = this.handlers.onReady(message);
      const queued = this.queue;
      this.queue = [];
      (snapshot.length > 0 ? snapshot : queued).forEach((m) => this.deliver(m));
      return;
    }
    this.handlers.onMessage(message);
  }

  private deliver(message: ToWebviewMessage): void {
    this.target.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.log.debug(`webview did not take ${message.method} (hidden or closed)`);
      },
      (err: unknown) => this.log.warn(`could not post ${message.method}: ${String(err)}`),
    );
  }
}
