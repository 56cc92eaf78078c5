/**
 * The gradebook between the grader and the page: messages are validated, the grader's events become rows,
 * the reducer builds the same snapshot whatever order submissions finish in, sorting, the host channel's
 * handshake, which file "Open submission" may open, and that a learner's check can carry nothing hidden.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gradebookEndFor, gradebookMessageFor } from '../../extension/grading/gradebookEvents';
import { GradebookChannel, type GradebookRequest } from '../../extension/grading/gradebookChannel';
import { buildWebviewHtml } from '../../extension/webview/html';
import { keyEntry, submissionFile } from '../../extension/grading/submissionFile';
import {
  decodeGradebookMessage,
  emptyGradebook,
  FROM_GRADEBOOK,
  GradebookTestSchema,
  reduceGradebook,
  sortRows,
  TO_GRADEBOOK,
  type GradebookRow,
  type GradebookState,
  type ToGradebookMessage,
} from '../../protocol/gradebook';
import { decodeGradeEvent, gradeEvent, type GradedTest } from '../../protocol/grading';

const graded = (id: string, score: number, max: number, hidden = false): GradedTest => ({
  id,
  title: `title of ${id}`,
  hidden,
  status: score >= max ? 'passed' : score > 0 ? 'partial' : 'failed',
  score,
  max_score: max,
  message: `message of ${id}`,
  detail: `measured for ${id}`,
  duration: 1.25,
});

/** A grader's `--json` line, through the real encoder and decoder. */
function event(line: string): ToGradebookMessage {
  const decoded = decodeGradeEvent(line);
  assert.ok(decoded, `not a grade event: ${line}`);
  const message = gradebookMessageFor(decoded);
  assert.ok(message, `no gradebook message for ${decoded.method}`);
  return message;
}

const finish = (name: string, done: number, tests: GradedTest[]): string =>
  gradeEvent('grade/submission/finish', {
    name,
    done,
    total: 3,
    score: tests.reduce((s, t) => s + t.score, 0),
    maxScore: tests.reduce((s, t) => s + t.max_score, 0),
    tests,
  });

describe('gradebook messages are validated', () => {
  it('accepts what the page sends', () => {
    for (const raw of [
      { v: 1, method: 'gradebook/view/ready', params: {} },
      { v: 1, method: 'gradebook/csv/export', params: {} },
      { v: 1, method: 'gradebook/submission/open', params: { name: 'alice' } },
      { v: 1, method: 'gradebook/location/open', params: { line: 3 } },
      { v: 1, method: 'gradebook/run/regrade', params: {} },
      { v: 1, method: 'webview/error/report', params: { message: 'x' } },
    ]) {
      const decoded = decodeGradebookMessage(raw, FROM_GRADEBOOK);
      assert.ok(decoded.ok, JSON.stringify(raw));
    }
  });

  const rejected: [string, unknown, RegExp][] = [
    ['a wrong version', { v: 2, method: 'gradebook/view/ready', params: {} }, /version 2/],
    ['a host-only method from the page', { v: 1, method: 'gradebook/snapshot/set', params: emptyGradebook('class', '') }, /unknown method/],
    ['an empty submission name', { v: 1, method: 'gradebook/submission/open', params: { name: '' } }, /params\.name/],
    ['line 0', { v: 1, method: 'gradebook/location/open', params: { line: 0 } }, /params\.line/],
    ['a results-panel action', { v: 1, method: 'webview/action/invoke', params: { action: 'run' } }, /unknown method/],
  ];
  for (const [what, raw, reason] of rejected) {
    it(`rejects ${what} with a reason`, () => {
      const decoded = decodeGradebookMessage(raw, FROM_GRADEBOOK);
      assert.equal(decoded.ok, false);
      if (!decoded.ok) assert.match(decoded.reason, reason);
    });
  }

  it('rejects a host row whose test has an unknown status', () => {
    const row = { name: 'a', score: 0, maxScore: 1, status: 'failed', tests: [{ name: 't', status: 'exploded', score: 0, max_score: 1, message: '', duration: 0 }] };
    const decoded = decodeGradebookMessage({ v: 1, method: 'gradebook/submission/finish', params: { row, total: 1 } }, TO_GRADEBOOK);
    assert.equal(decoded.ok, false);
    if (!decoded.ok) assert.match(decoded.reason, /params\.row\.tests\.0\.status/);
  });
});

describe('the grader\'s events become gradebook rows', () => {
  it('builds one row per finished submission with every test, in the order they finish, live', () => {
    let s = reduceGradebook(emptyGradebook('class', ''), { v: 1, method: 'gradebook/run/start', params: { mode: 'class', title: 'subs' } });
    s = reduceGradebook(s, event(gradeEvent('grade/submission/start', { name: 'carol', index: 2, total: 3 })));
    s = reduceGradebook(s, event(gradeEvent('grade/submission/start', { name: 'alice', index: 0, total: 3 })));
    assert.deepEqual(s.grading, ['carol', 'alice']);
    assert.equal(s.total, 3);

    s = reduceGradebook(s, event(finish('carol', 1, [graded('exports', 1, 1), graded('hidden-a', 0, 3, true)])));
    assert.equal(s.status, 'running');
    assert.deepEqual(s.grading, ['alice']);
    assert.deepEqual(
      s.rows.map((r) => [r.name, r.score, r.maxScore, r.status]),
      [['carol', 1, 4, 'partial']],
    );
    const hidden = s.rows[0]!.tests[1]!;
    assert.deepEqual(hidden, { name: 'title of hidden-a', status: 'failed', score: 0, max_score: 3, message: 'message of hidden-a', duration: 1.25, id: 'hidden-a', hidden: true, detail: 'measured for hidden-a' });

    s = reduceGradebook(s, event(finish('alice', 2, [graded('exports', 1, 1), graded('hidden-a', 3, 3, true)])));
    s = reduceGradebook(s, event(gradeEvent('grade/run/finish', { outDir: '/o', gradebook: '/o/gradebook.csv', summary: '/o/summary.md', cancelled: false, notGraded: [] })));
    assert.equal(s.status, 'done');
    assert.equal(s.canExport, true);
    assert.deepEqual(s.rows.map((r) => [r.name, r.status]), [['carol', 'partial'], ['alice', 'passed']]);
  });

  it('marks a cancelled run: rows graded before it stay, unfinished ones are not graded (no 0, no "failed")', () => {
    let s = reduceGradebook(emptyGradebook('class', ''), { v: 1, method: 'gradebook/run/start', params: { mode: 'class', title: 'subs' } });
    s = reduceGradebook(s, event(gradeEvent('grade/submission/start', { name: 'bob', index: 0, total: 3 })));
    s = reduceGradebook(s, event(gradeEvent('grade/submission/start', { name: 'carol', index: 1, total: 3 })));
    s = reduceGradebook(s, event(finish('bob', 1, [graded('exports', 0, 1)])));
    s = reduceGradebook(s, event(gradeEvent('grade/run/finish', { outDir: '/o', gradebook: '/o/g.csv', summary: '/o/s.md', cancelled: true, notGraded: ['carol', 'dave'] })));
    assert.equal(s.status, 'cancelled');
    assert.deepEqual(s.rows.map((r) => [r.name, r.status]), [['bob', 'failed']]);
    assert.deepEqual(s.notGraded, ['carol', 'dave']);
    assert.deepEqual(s.grading, []);
    assert.equal(s.canExport, true);
  });

  it('a grader killed before its final event leaves what it was grading not graded', () => {
    let s = reduceGradebook(emptyGradebook('class', ''), { v: 1, method: 'gradebook/run/start', params: { mode: 'class', title: 'subs' } });
    s = reduceGradebook(s, event(gradeEvent('grade/submission/start', { name: 'alice', index: 0, total: 2 })));
    s = reduceGradebook(s, event(gradeEvent('grade/submission/start', { name: 'bob', index: 1, total: 2 })));
    s = reduceGradebook(s, event(finish('alice', 1, [graded('exports', 1, 1)])));
    s = reduceGradebook(s, gradebookEndFor(130, false)!);
    assert.equal(s.status, 'cancelled');
    assert.deepEqual(s.notGraded, ['bob']);
    assert.deepEqual(s.rows.map((r) => r.name), ['alice']);
    // The next run starts clean.
    s = reduceGradebook(s, { v: 1, method: 'gradebook/run/start', params: { mode: 'class', title: 'subs' } });
    assert.deepEqual(s.notGraded, []);
  });

  it('a run\'s start changes nothing in the panel (the host remembers the run), and an interrupted gradebook from disk reaches the page', () => {
    const started = decodeGradeEvent(gradeEvent('grade/run/start', { outDir: '/o', gradebook: '/o/gradebook.csv', submissions: ['a', 'b'] }));
    assert.ok(started);
    assert.equal(gradebookMessageFor(started), undefined);
    const interrupted = { ...emptyGradebook('class', 'subs'), status: 'interrupted', total: 2, notGraded: ['b'], canExport: true };
    assert.ok(decodeGradebookMessage({ v: 1, method: 'gradebook/snapshot/set', params: interrupted }, TO_GRADEBOOK).ok);
  });

  it('a finished run has nothing "not graded", whatever the grader lists', () => {
    const s = reduceGradebook({ ...emptyGradebook('class', ''), status: 'running', grading: ['x'] }, { v: 1, method: 'gradebook/run/finish', params: { cancelled: false, canExport: true, notGraded: ['x'] } });
    assert.deepEqual(s.notGraded, []);
  });

  it('says why when the grader refuses or dies without a final event', () => {
    const refused = event(gradeEvent('grade/run/fail', { message: 'Network isolation is unavailable' }));
    const s = reduceGradebook({ ...emptyGradebook('class', 'x'), status: 'running', grading: ['a'] }, refused);
    assert.equal(s.status, 'failed');
    assert.equal(s.error, 'Network isolation is unavailable');
    assert.deepEqual(s.grading, []);

    assert.equal(gradebookEndFor(0, true), undefined);
    assert.deepEqual(gradebookEndFor(130, false)?.params, { cancelled: true, canExport: false, notGraded: [] });
    const crashed = gradebookEndFor(1, false);
    assert.equal(crashed?.method, 'gradebook/run/fail');
    assert.match(JSON.stringify(crashed?.params), /exit code 1/);
  });

  it('warns about a weaker sandbox, naming each gap, and says nothing when it is complete', () => {
    const full = decodeGradeEvent(gradeEvent('grade/sandbox/describe', { isolation: true, addressSpaceCap: true }))!;
    assert.equal(gradebookMessageFor(full), undefined);
    const weak = event(gradeEvent('grade/sandbox/describe', { isolation: false, isolationReason: 'unshare: EPERM', addressSpaceCap: false, addressSpaceReason: 'no prlimit' }));
    assert.equal(weak.method, 'gradebook/sandbox/warn');
    assert.match(JSON.stringify(weak.params), /unshare: EPERM.*no prlimit/);
  });

  it('a re-graded submission replaces its row instead of adding a second', () => {
    let s: GradebookState = { ...emptyGradebook('class', ''), status: 'running' };
    s = reduceGradebook(s, event(finish('alice', 1, [graded('exports', 0, 1)])));
    s = reduceGradebook(s, event(finish('alice', 1, [graded('exports', 1, 1)])));
    assert.deepEqual(s.rows.map((r) => [r.name, r.score]), [['alice', 1]]);
  });

  it('a learner\'s check becomes one row with only the learner feedback: no id, no hidden flag, no grader detail', () => {
    const line = gradeEvent('grade/check/finish', {
      file: '/ws/biomed-lab/regression/challenge.ts',
      score: 1,
      maxScore: 4,
      tests: [
        { name: 'exports', status: 'passed', score: 1, max_score: 1, message: 'ok', duration: 0.2 },
        { name: 'architecture', status: 'failed', score: 0, max_score: 3, message: 'threw', duration: 0.1, location: { file: '/ws/x.ts', line: 7, column: 2 } },
      ],
    });
    const message = event(line);
    assert.equal(message.method, 'gradebook/submission/finish');
    const row = (message.params as { row: GradebookRow }).row;
    assert.equal(row.name, 'challenge.ts');
    assert.equal(row.status, 'partial');
    for (const t of row.tests) {
      assert.deepEqual(Object.keys(t).filter((k) => ['id', 'hidden', 'detail'].includes(k)), []);
      assert.ok(GradebookTestSchema.safeParse(t).success);
    }
    assert.equal(row.tests[1]!.line, 7);
  });
});

describe('sorting the gradebook', () => {
  const row = (name: string, score: number, maxScore: number): GradebookRow => ({ name, score, maxScore, status: 'partial', tests: [] });
  const rows = [row('bob', 5, 15), row('alice', 15, 15), row('dave', 5, 15), row('carol', 0, 15)];

  it('by name, by score highest first and lowest first (ties by name), without changing the snapshot', () => {
    assert.deepEqual(sortRows(rows, 'name').map((r) => r.name), ['alice', 'bob', 'carol', 'dave']);
    assert.deepEqual(sortRows(rows, 'score-desc').map((r) => r.name), ['alice', 'bob', 'dave', 'carol']);
    assert.deepEqual(sortRows(rows, 'score-asc').map((r) => r.name), ['carol', 'bob', 'dave', 'alice']);
    assert.deepEqual(rows.map((r) => r.name), ['bob', 'alice', 'dave', 'carol']);
  });

  it('compares scores as a fraction of each row\'s maximum', () => {
    assert.deepEqual(sortRows([row('a', 4, 10), row('b', 3, 5)], 'score-desc').map((r) => r.name), ['b', 'a']);
  });
});

describe('the host channel', () => {
  const log = { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => errors.push(m) };
  const warnings: string[] = [];
  const errors: string[] = [];

  function page(): { posted: unknown[]; send(raw: unknown): void; target: { postMessage(m: unknown): Promise<boolean>; onDidReceiveMessage(l: (m: unknown) => void): { dispose(): void } } } {
    const posted: unknown[] = [];
    let listener: ((m: unknown) => void) | undefined;
    return {
      posted,
      send: (raw) => listener?.(raw),
      target: {
        postMessage: (m) => {
          posted.push(m);
          return Promise.resolve(true);
        },
        onDidReceiveMessage: (l) => {
          listener = l;
          return { dispose: () => (listener = undefined) };
        },
      },
    };
  }

  it('sends nothing before ready, the whole snapshot on every ready, then each message; requests go to the run', () => {
    const requests: GradebookRequest[] = [];
    const channel = new GradebookChannel(emptyGradebook('class', ''), log, (r) => requests.push(r));
    const p = page();
    channel.attach(p.target);
    channel.apply({ v: 1, method: 'gradebook/run/start', params: { mode: 'class', title: 'subs' } });
    assert.deepEqual(p.posted, []);

    p.send({ v: 1, method: 'gradebook/view/ready', params: {} });
    assert.equal(p.posted.length, 1);
    assert.deepEqual(p.posted[0], { v: 1, method: 'gradebook/snapshot/set', params: channel.state });
    assert.equal(channel.state.status, 'running');

    channel.apply({ v: 1, method: 'gradebook/submission/start', params: { name: 'a', total: 1 } });
    assert.equal((p.posted[1] as { method: string }).method, 'gradebook/submission/start');

    p.send({ v: 1, method: 'gradebook/submission/open', params: { name: 'a' } });
    p.send({ v: 1, method: 'gradebook/submission/open', params: { name: 42 } });
    p.send({ v: 1, method: 'webview/error/report', params: { message: 'boom' } });
    assert.deepEqual(requests.map((r) => r.method), ['gradebook/submission/open']);
    assert.match(warnings.at(-1) ?? '', /params\.name/);
    assert.match(errors.at(-1) ?? '', /boom/);

    // The tab was hidden and the page discarded: it says ready again and gets the current snapshot.
    p.send({ v: 1, method: 'gradebook/view/ready', params: {} });
    assert.deepEqual(p.posted.at(-1), { v: 1, method: 'gradebook/snapshot/set', params: channel.state });
    assert.deepEqual(channel.state.grading, ['a']);
  });
});

describe('which file "Open submission" opens', () => {
  const root = mkdtempSync(join(tmpdir(), 'gradebook-open-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const subs = join(root, 'subs');

  it('only a graded row, as one folder name inside the submissions folder', () => {
    assert.equal(submissionFile(subs, 'alice', 'challenge.ts', ['alice']), join(subs, 'alice', 'challenge.ts'));
    assert.equal(submissionFile(subs, 'mallory', 'challenge.ts', ['alice']), undefined);
    for (const name of ['..', '.', '../key', 'a/b', 'a\\b']) assert.equal(submissionFile(subs, name, 'challenge.ts', [name]), undefined, name);
  });

  it('reads the entry file name from the key, falling back to challenge.ts', () => {
    const key = join(root, 'key');
    mkdirSync(key);
    assert.equal(keyEntry(key), 'challenge.ts');
    writeFileSync(join(key, 'manifest.json'), JSON.stringify({ entry: 'solution.ts' }));
    assert.equal(keyEntry(key), 'solution.ts');
    writeFileSync(join(key, 'manifest.json'), JSON.stringify({ entry: '../../etc/passwd' }));
    assert.equal(keyEntry(key), 'challenge.ts');
  });
});

describe('the gradebook page', () => {
  it('loads only its own nonce\'d script and the extension\'s styles', () => {
    const html = buildWebviewHtml(
      { cspSource: 'vscode-resource:', asWebviewUri: (u) => u },
      { view: 'gradebook', title: 'Gradebook <x>', scriptUri: { toString: () => 'vscode-resource:/dist/webviews/gradebook.js' }, styleUris: [{ toString: () => 'vscode-resource:/media/webview.css' }] },
      'NONCE',
    );
    assert.match(html, /script-src 'nonce-NONCE'/);
    assert.match(html, /<script nonce="NONCE" src="vscode-resource:\/dist\/webviews\/gradebook\.js">/);
    assert.doesNotMatch(html, /unsafe-(inline|eval)/);
    assert.match(html, /<title>Gradebook &lt;x&gt;<\/title>/);
  });
});
