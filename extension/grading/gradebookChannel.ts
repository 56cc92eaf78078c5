/**
 * The host's end of one gradebook page. Every host message updates a snapshot first; the page gets the
 * message only once it has said ready, and a full snapshot on every ready (first load, or the page was
 * discarded while its tab was hidden), so nothing needs queueing.
 */
import {
  decodeGradebookMessage,
  FROM_GRADEBOOK,
  gradebookEnvelope,
  reduceGradebook,
  type FromGradebookMessage,
  type GradebookEnvelope,
  type GradebookState,
  type ToGradebookMessage,
} from '../../protocol/gradebook';
import type { Log } from '../log';
import type { PostTarget } from '../webview/channel';

export type GradebookRequest = Exclude<FromGradebookMessage, GradebookEnvelope<'gradebook/view/ready'>>;

export class GradebookChannel {
  private ready = false;
  private target: PostTarget | undefined;
  private subscription: { dispose(): void } | undefined;

  constructor(
    private snapshot: GradebookState,
    private readonly log: Log,
    private readonly onRequest: (request: GradebookRequest, state: GradebookState) => void,
  ) {}

  get state(): GradebookState {
    return this.snapshot;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Follows a (new) page; the previous one, if any, is let go. */
  attach(target: PostTarget): void {
    this.detach();
    this.target = target;
    this.subscription = target.onDidReceiveMessage((raw) => this.receive(raw));
  }

  detach(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    this.target = undefined;
    this.ready = false;
  }

  apply(message: ToGradebookMessage): void {
    this.snapshot = reduceGradebook(this.snapshot, message);
    if (this.ready) this.deliver(message);
  }

  private receive(raw: unknown): void {
    const decoded = decodeGradebookMessage(raw, FROM_GRADEBOOK);
    if (!decoded.ok) {
      this.log.warn(`ignored a malformed gradebook message: ${decoded.reason}`);
      return;
    }
    const message = decoded.message;
    if (message.method === 'gradebook/view/ready') {
      this.ready = true;
      this.deliver(gradebookEnvelope('gradebook/snapshot/set', this.snapshot));
      return;
    }
    if (message.method === 'webview/error/report') {
      this.log.error(`gradebook webview: ${message.params.message}`);
      return;
    }
    this.onRequest(message, this.snapshot);
  }

  private deliver(message: ToGradebookMessage): void {
    this.target?.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.log.debug(`gradebook did not take ${message.method} (hidden or closed)`);
      },
      (err: unknown) => this.log.warn(`could not post ${message.method}: ${String(err)}`),
    );
  }
}
