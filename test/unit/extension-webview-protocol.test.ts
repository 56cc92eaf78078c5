import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildWebviewHtml, contentSecurityPolicy } from '../../extension/webview/html';
import type { RegressionMetrics } from '../../protocol/messages';
import {
  decodeWebviewMessage,
  EMPTY_RESULTS,
  FROM_WEBVIEW,
  MAX_LIVE_ROWS,
  reduceResults,
  TO_RESULTS,
  webviewEnvelope,
  type ResultsState,
  type ToResultsMessage,
} from '../../protocol/webview';

describe('webview messages are validated', () => {
  it('accepts a well-formed ready handshake', () => {
    const decoded = decodeWebviewMessage({ v: 1, method: 'webview/ready', params: { view: 'results' } }, FROM_WEBVIEW);
    assert.ok(decoded.ok);
  });

  const rejected: [string, unknown, RegExp][] = [
    ['a string', 'hello', /must be an object/],
    ['an array', [1, 2], /must be an object/],
    ['a wrong protocol version', { v: 2, method: 'webview/ready', params: { view: 'results' } }, /version 2 is not supported/],
    ['an unknown method', { v: 1, method: 'results/explode', params: {} }, /unknown method "results\/explode"/],
    ['a host-only method sent by the webview', { v: 1, method: 'results/run/start', params: {} }, /unknown method/],
    ['an unknown view', { v: 1, method: 'webview/ready', params: { view: 'settings' } }, /webview\/ready: params\.view/],
    ['an unknown action', { v: 1, method: 'webview/action/invoke', params: { action: 'rm -rf' } }, /params\.action/],
    ['an empty answer', { v: 1, method: 'quiz/answer/submit', params: { questionId: 'q', choiceId: '' } }, /params\.choiceId/],
  ];
  for (const [what, raw, reason] of rejected) {
    it(`rejects ${what} with a reason`, () => {
      const decoded = decodeWebviewMessage(raw, FROM_WEBVIEW);
      assert.equal(decoded.ok, false);
      if (!decoded.ok) assert.match(decoded.reason, reason);
    });
  }

  it('rejects a live row whose error is not a finite number', () => {
    const raw = { v: 1, method: 'results/metric/add', params: { runId: 'r', rows: [{ model: 'm', split: 0, mae: null }] } };
    const decoded = decodeWebviewMessage(raw, TO_RESULTS);
    assert.equal(decoded.ok, false);
    if (!decoded.ok) assert.match(decoded.reason, /params\.rows\.0\.mae/);
  });
});

describe('the results snapshot, as both the host and the panel keep it', () => {
  const start = webviewEnvelope('results/run/start', { runId: 'r1', submodule: 'regression', profile: 'quick', seed: 42 });
  const apply = (messages: ToResultsMessage[], from: ResultsState = EMPTY_RESULTS) => messages.reduce(reduceResults, from);

  it('starts a run with an empty live chart', () => {
    const state = apply([start]);
    assert.equal(state.status, 'running');
    assert.deepEqual(state.live, []);
  });

  it('collects live rows and progress for the current run only', () => {
    const state = apply([
      start,
      webviewEnvelope('results/run/progress', { runId: 'r1', stage: 'split 1/100', fraction: 0.01 }),
      webviewEnvelope('results/metric/add', { runId: 'r1', rows: [{ model: 'linear', split: 0, mae: 0.1 }] }),
      webviewEnvelope('results/metric/add', { runId: 'old', rows: [{ model: 'linear', split: 0, mae: 9 }] }),
    ]);
    assert.equal(state.stage, 'split 1/100');
    assert.deepEqual(state.live, [{ model: 'linear', split: 0, mae: 0.1 }]);
  });

  it('keeps at most the newest live rows', () => {
    const rows = Array.from({ length: MAX_LIVE_ROWS + 10 }, (_, i) => ({ model: 'm', split: i, mae: 1 }));
    const state = apply([start, webviewEnvelope('results/metric/add', { runId: 'r1', rows })]);
    assert.equal(state.live.length, MAX_LIVE_ROWS);
    assert.equal(state.live[0]?.split, 10);
  });

  it('shows a cancelled run as cancelled, not as failed', () => {
    const state = apply([start, webviewEnvelope('results/run/fail', { runId: 'r1', code: 'cancelled', message: 'stopped' })]);
    assert.equal(state.status, 'cancelled');
  });

  it('finishes with the metrics and the report path', () => {
    const metrics = { submodule: 'regression' } as unknown as RegressionMetrics;
    const state = apply([start, webviewEnvelope('results/run/finish', { runId: 'r1', metrics, reportPath: '/r/report.html' })]);
    assert.equal(state.status, 'done');
    assert.equal(state.fraction, 1);
    assert.equal(state.reportPath, '/r/report.html');
  });
});

describe('the webview HTML', () => {
  const webview = { cspSource: 'https://webview.test', asWebviewUri: (u: { toString(): string }) => ({ toString: () => `https://webview.test${u.toString()}` }) };
  const page = { view: 'results' as const, title: 'Lab <Results>', scriptUri: { toString: () => '/dist/webviews/results.js' }, styleUri: { toString: () => '/media/webview.css' } };

  it('allows nothing by default and no eval', () => {
    const csp = contentSecurityPolicy('https://webview.test', 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
  });

  it('runs only the bundle, with this load’s nonce, and escapes the title', () => {
    const html = buildWebviewHtml(webview, page, 'n0nce');
    assert.match(html, /<script nonce="n0nce" src="https:\/\/webview.test\/dist\/webviews\/results.js"><\/script>/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<body data-view="results">/);
    assert.match(html, /Lab &lt;Results&gt;/);
  });

  it('uses a fresh nonce per load', () => {
    const nonceOf = (html: string) => /nonce="([^"]+)"/.exec(html)?.[1];
    assert.notEqual(nonceOf(buildWebviewHtml(webview, page)), nonceOf(buildWebviewHtml(webview, page)));
  });
});
