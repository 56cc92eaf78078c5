import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildWebviewHtml, contentSecurityPolicy } from '../../extension/webview/html';
import { resultsForPanel } from '../../extension/webview/resultsForPanel';
import type { ClassificationMetrics, RegressionMetrics } from '../../protocol/messages';
import {
  decodeWebviewMessage,
  EMPTY_RESULTS,
  FROM_WEBVIEW,
  MAX_LIVE_ROWS,
  reduceResults,
  TO_RESULTS,
  webviewEnvelope,
  type LiveRow,
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
    const raw = { v: 1, method: 'results/metric/add', params: { runId: 'r', rows: [{ kind: 'split', model: 'm', split: 0, mae: null }] } };
    const decoded = decodeWebviewMessage(raw, TO_RESULTS);
    assert.equal(decoded.ok, false);
    if (!decoded.ok) assert.match(decoded.reason, /params\.rows\.0\.mae/);
  });

  const epochRow = (row: Record<string, unknown>) => ({ v: 1, method: 'results/metric/add', params: { runId: 'r', rows: [row] } });
  const rejectedRows: [string, Record<string, unknown>, RegExp][] = [
    ['a row of no known kind', { model: 'A', epoch: 1, metric: 'valAcc', value: 0.5 }, /params\.rows\.0\.kind/],
    ['an epoch row for a measure the live chart does not draw', { kind: 'epoch', model: 'A', epoch: 1, metric: 'testAcc', value: 0.5 }, /params\.rows\.0\.metric/],
    ['an epoch row for epoch 0 (epochs count from 1)', { kind: 'epoch', model: 'A', epoch: 0, metric: 'valAcc', value: 0.5 }, /params\.rows\.0\.epoch/],
  ];
  for (const [what, row, reason] of rejectedRows) {
    it(`rejects ${what}`, () => {
      const decoded = decodeWebviewMessage(epochRow(row), TO_RESULTS);
      assert.equal(decoded.ok, false);
      if (!decoded.ok) assert.match(decoded.reason, reason);
    });
  }
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
      webviewEnvelope('results/metric/add', { runId: 'r1', rows: [{ kind: 'split', model: 'linear', split: 0, mae: 0.1 }] }),
      webviewEnvelope('results/metric/add', { runId: 'old', rows: [{ kind: 'split', model: 'linear', split: 0, mae: 9 }] }),
    ]);
    assert.equal(state.stage, 'split 1/100');
    assert.deepEqual(state.live, [{ kind: 'split', model: 'linear', split: 0, mae: 0.1 }]);
  });

  it('keeps at most the newest live rows', () => {
    const rows = Array.from({ length: MAX_LIVE_ROWS + 10 }, (_, i) => ({ kind: 'split' as const, model: 'm', split: i, mae: 1 }));
    const state = apply([start, webviewEnvelope('results/metric/add', { runId: 'r1', rows })]);
    assert.equal(state.live.length, MAX_LIVE_ROWS);
    assert.deepEqual(state.live[0], rows[10]);
  });

  describe('a classification run', () => {
    const startC = webviewEnvelope('results/run/start', { runId: 'c1', submodule: 'classification', profile: 'quick', seed: 1 });
    const epochRows = (epoch: number): LiveRow[] =>
      (['A', 'B', 'C'] as const).flatMap((model) => [
        { kind: 'epoch' as const, model, epoch, metric: 'trainLoss' as const, value: 1 / epoch },
        { kind: 'epoch' as const, model, epoch, metric: 'valAcc' as const, value: 0.5 + epoch / 100 },
      ]);

    it('collects each experiment’s loss and accuracy per epoch, in arrival order', () => {
      const state = apply([startC, webviewEnvelope('results/metric/add', { runId: 'c1', rows: epochRows(1) }), webviewEnvelope('results/metric/add', { runId: 'c1', rows: epochRows(2) })]);
      assert.deepEqual(state.live, [...epochRows(1), ...epochRows(2)]);
    });

    it('keeps at most the newest rows, dropping the oldest epochs first', () => {
      const epochs = Math.ceil(MAX_LIVE_ROWS / 6) + 2;
      const rows = Array.from({ length: epochs }, (_, i) => epochRows(i + 1)).flat();
      const state = apply([startC, webviewEnvelope('results/metric/add', { runId: 'c1', rows })]);
      assert.equal(state.live.length, MAX_LIVE_ROWS);
      assert.deepEqual(state.live.at(-1), rows.at(-1));
      assert.deepEqual(state.live[0], rows[rows.length - MAX_LIVE_ROWS]);
    });

    it('starts the next run with no rows of the last one', () => {
      const state = apply([startC, webviewEnvelope('results/metric/add', { runId: 'c1', rows: epochRows(1) }), { ...startC, params: { ...startC.params, runId: 'c2' } }]);
      assert.deepEqual(state.live, []);
    });

    it('keeps where the thumbnails are when the run finishes, and nothing when it wrote none', () => {
      const metrics = { submodule: 'classification' } as unknown as ClassificationMetrics;
      const finish = (thumbnails?: string) =>
        webviewEnvelope('results/run/finish', { runId: 'c1', metrics, reportPath: '/r/report.html', ...(thumbnails ? { thumbnails } : {}) });
      assert.equal(apply([startC, finish('/r/thumbnails')]).thumbnails, '/r/thumbnails');
      assert.equal(apply([startC, finish()]).thumbnails, undefined);
      // A new run must not show the last run's images.
      assert.equal(apply([startC, finish('/r/thumbnails'), { ...startC, params: { ...startC.params, runId: 'c2' } }]).thumbnails, undefined);
    });
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

/** CSP host-source matching (scheme, optional `*.` wildcard host, optional path prefix), enough for img-src. */
function cspSourceMatches(source: string, url: URL): boolean {
  if (source === 'data:') return url.protocol === 'data:';
  const m = /^(https?):\/\/(\*\.)?([^/:]+)(\/.*)?$/.exec(source);
  if (!m) return false;
  const [, scheme, wildcard, host, path] = m;
  if (url.protocol !== `${scheme}:`) return false;
  const hostOk = wildcard ? url.hostname.endsWith(`.${host}`) : url.hostname === host;
  return hostOk && (path === undefined || url.pathname.startsWith(path));
}

describe('the results a panel receives', () => {
  const toUri = (fsPath: string) => `https://file%2B.vscode-resource.vscode-cdn.net${fsPath}`;
  const metrics = { submodule: 'classification' } as unknown as ClassificationMetrics;

  it('names the thumbnails folder by a URI the page may load, ending in a slash, while the host keeps the path', () => {
    const finish = webviewEnvelope('results/run/finish', { runId: 'r', metrics, reportPath: '/runs/r/report.html', thumbnails: '/runs/r/thumbnails' });
    const posted = resultsForPanel(finish, toUri);
    assert.equal(posted.method, 'results/run/finish');
    assert.equal(posted.method === 'results/run/finish' && posted.params.thumbnails, 'https://file%2B.vscode-resource.vscode-cdn.net/runs/r/thumbnails/');
    assert.equal(finish.params.thumbnails, '/runs/r/thumbnails', 'the host’s message must not change');
    const snapshot = resultsForPanel(webviewEnvelope('results/snapshot/set', { ...EMPTY_RESULTS, thumbnails: '/runs/r/thumbnails/' }), toUri);
    assert.equal(snapshot.method === 'results/snapshot/set' && snapshot.params.thumbnails, 'https://file%2B.vscode-resource.vscode-cdn.net/runs/r/thumbnails/');
  });

  it('passes every other message, and a run without thumbnails, through unchanged', () => {
    const progress = webviewEnvelope('results/run/progress', { runId: 'r', stage: 's', fraction: 0.5 });
    assert.equal(resultsForPanel(progress, toUri), progress);
    const finish = webviewEnvelope('results/run/finish', { runId: 'r', metrics, reportPath: '/runs/r/report.html' });
    assert.deepEqual(resultsForPanel(finish, toUri), finish);
  });
});

describe('the webview HTML', () => {
  const webview = { cspSource: 'https://webview.test', asWebviewUri: (u: { toString(): string }) => ({ toString: () => `https://webview.test${u.toString()}` }) };
  const page = { view: 'results' as const, title: 'Lab <Results>', scriptUri: { toString: () => '/dist/webviews/results.js' }, styleUris: [{ toString: () => '/media/webview.css' }] };

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

  it('lets the page load a run’s thumbnails through their webview URI, and images from nowhere else', () => {
    // VS Code's own values: its cspSource and what asWebviewUri makes of a file in the workspace.
    const cspSource = 'https://*.vscode-cdn.net';
    const thumbnail = 'https://file%2B.vscode-resource.vscode-cdn.net/home/learner/biomed-lab/results/classification/r1/thumbnails/test-12.png';
    const imgSrc = /(?:^|; )img-src ([^;]*)/.exec(contentSecurityPolicy(cspSource, 'n'))?.[1]?.split(' ') ?? [];
    const allows = (url: string) => imgSrc.some((source) => cspSourceMatches(source, new URL(url)));
    assert.ok(allows(thumbnail), `img-src ${imgSrc.join(' ')} blocks ${thumbnail}`);
    assert.ok(!allows('https://example.com/test-12.png'));
    assert.ok(!allows('http://file%2B.vscode-resource.vscode-cdn.net/test-12.png'));
  });

  it('uses a fresh nonce per load', () => {
    const nonceOf = (html: string) => /nonce="([^"]+)"/.exec(html)?.[1];
    assert.notEqual(nonceOf(buildWebviewHtml(webview, page)), nonceOf(buildWebviewHtml(webview, page)));
  });
});
