import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Log } from '../../extension/log';
import { WebviewChannel, type PostTarget } from '../../extension/webview/channel';
import { webviewEnvelope, type ToWebviewMessage } from '../../protocol/webview';

function fakeWebview() {
  const posted: unknown[] = [];
  let listener: ((m: unknown) => void) | undefined;
  const target: PostTarget = {
    postMessage: (m) => {
      posted.push(m);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: (l) => {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
  };
  return { target, posted, send: (m: unknown) => listener?.(m) };
}

function recordingLog(): Log & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return { warnings, trace: ignore, debug: ignore, info: ignore, error: ignore, warn: (m) => warnings.push(m) };
}

const progress = webviewEnvelope('results/run/progress', { runId: 'r', stage: 's', fraction: 0.5 });
const ready = { v: 1, method: 'webview/ready', params: { view: 'results' } };

describe('the host waits for the webview to be ready', () => {
  it('queues messages until webview/ready, then sends them in order', () => {
    const view = fakeWebview();
    const channel = new WebviewChannel(view.target, recordingLog(), { onReady: () => [], onMessage: () => undefined });
    channel.post(progress);
    assert.equal(view.posted.length, 0);
    view.send(ready);
    assert.deepEqual(view.posted, [progress]);
  });

  it('sends a snapshot instead of the queue, so nothing is applied twice', () => {
    const view = fakeWebview();
    const snapshot: ToWebviewMessage = webviewEnvelope('results/snapshot/set', { status: 'idle', stage: '', fraction: 0, live: [] });
    const channel = new WebviewChannel(view.target, recordingLog(), { onReady: () => [snapshot], onMessage: () => undefined });
    channel.post(progress);
    view.send(ready);
    assert.deepEqual(view.posted, [snapshot]);
  });

  it('logs and ignores a malformed message from the webview', () => {
    const view = fakeWebview();
    const log = recordingLog();
    const received: unknown[] = [];
    new WebviewChannel(view.target, log, { onReady: () => [], onMessage: (m) => received.push(m) });
    view.send({ v: 1, method: 'quiz/answer/submit', params: { questionId: 42 } });
    assert.equal(received.length, 0);
    assert.match(log.warnings[0] ?? '', /malformed webview message: quiz\/answer\/submit: params\.questionId/);
  });

  it('hands valid messages to the owner', () => {
    const view = fakeWebview();
    const received: unknown[] = [];
    new WebviewChannel(view.target, recordingLog(), { onReady: () => [], onMessage: (m) => received.push(m.method) });
    view.send({ v: 1, method: 'webview/action/invoke', params: { action: 'run' } });
    assert.deepEqual(received, ['webview/action/invoke']);
  });
});
