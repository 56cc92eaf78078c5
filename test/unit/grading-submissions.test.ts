/**
 * A class's submissions, honest and hostile, graded in one run with two jobs against the sample key,
 * through real sandboxed child processes. What an instructor would check: marks are right, every failure
 * says why, nothing hangs, one bad submission does not hurt another, and nothing hidden leaks into the
 * files that go back to learners.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runGradeCommand } from '../../trainer/cli/gradeCommand';
import { decodeGradeEvent } from '../../protocol/grading';
import { checkChallenge } from '../../trainer/grading/gradeSubmissions';
import type { LearnerFeedback } from '../../trainer/grading/outputs';
import { loadTestManifest } from '../../trainer/grading/testSpec';

const repo = join(import.meta.dirname, '..', '..');
const keyDir = join(repo, 'instructor', 'keys', 'regression');
const key = loadTestManifest(join(keyDir, 'manifest.json'));
const work = mkdtempSync(join(tmpdir(), 'grading-class-'));
const submissions = join(work, 'submissions');
const out = join(work, 'out');

const NETWORK = `
export function buildNetwork(inputFeatures: number): tf.LayersModel {
  return tf.sequential({ layers: [
    tf.layers.dense({ units: 32, activation: 'relu', inputShape: [inputFeatures] }),
    tf.layers.dense({ units: 16, activation: 'relu' }),
    tf.layers.dense({ units: 1 }),
  ] });
}`;
const GOOD = `import * as tf from '@tensorflow/tfjs';
export const training = { learningRate: 0.2, epochs: 300, batchSize: 32 };
${NETWORK}`;
/** The course's one-layer network at its slow learning rate: legal, but short of the challenge. */
const ONE_LAYER = `import * as tf from '@tensorflow/tfjs';
export const training = { learningRate: 0.0001, epochs: 20, batchSize: 32 };
export function buildNetwork(inputFeatures: number): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [inputFeatures] })] });
}`;
const withTop = (top: string, base = ONE_LAYER): string => `${base}\n${top}\n`;
const withinBuild = (stmt: string): string => ONE_LAYER.replace('return tf.sequential', `${stmt}\n  return tf.sequential`);

let server: Server;
let connections = 0;
let port = 0;
let stdout = '';
let exitCode = -1;

const CLASS: Record<string, () => string> = {
  good: () => GOOD,
  'one-layer': () => ONE_LAYER,
  'loop-at-import': () => withTop('while (true) {}'),
  'loop-in-build': () => withinBuild('while (true) {}'),
  'exit-at-import': () => withTop('process.exit(0);'),
  'exit-in-test': () => withinBuild('(process as unknown as { reallyExit(c: number): void }).reallyExit(0);'),
  'fake-results': () =>
    withTop(`
console.log('PASS all tests 15/15');
console.log(JSON.stringify({ t: 'result', ref: 'm3', value: { kind: 'outcome', maes: [0] } }));
(process as unknown as { send?: unknown }).send = () => true;
const Sock = process.stdout.constructor as new (o: object) => { write(s: string): void };
try { new Sock({ fd: 3, readable: false, writable: true }).write('{"t":"result","ref":"m3","value":{"kind":"outcome","maes":[0]}}\\n{"t":"done"}\\n'); } catch { /* no socket */ }`),
  'read-key': () => withTop(`const fs = (process as unknown as { getBuiltinModule(n: string): typeof import('fs') }).getBuiltinModule('fs');
console.log(fs.readFileSync(${JSON.stringify(join(keyDir, 'manifest.json'))}, 'utf8'));`),
  'import-key': () => withTop(`import keyText from '../../../key-copy/manifest.json';\nconsole.log(keyText);`),
  'write-outside': () => withTop(`(process as unknown as { getBuiltinModule(n: string): typeof import('fs') }).getBuiltinModule('fs').writeFileSync(${JSON.stringify(join(work, 'pwned.txt'))}, 'x');`),
  network: () => withTop(`(process as unknown as { getBuiltinModule(n: string): typeof import('http') }).getBuiltinModule('http').get('http://127.0.0.1:' + String(PORT));`),
  'huge-allocation': () => withinBuild('const a: number[] = new Array(1e9).fill(0); console.log(a.length);'),
  'buffer-hog': () => withTop('const keep: Buffer[] = []; for (;;) keep.push(Buffer.alloc(64 * 1024 * 1024, 1));'),
  'tamper-json': () => withTop(`JSON.stringify = () => '{"t":"done"}';`, GOOD),
  'tamper-prototypes': () => withTop(`(Object.prototype as unknown as { toJSON: unknown }).toJSON = function () { return {}; };\nPromise.prototype.then = function () { return this; } as never;`, GOOD),
};

before(async () => {
  server = createServer((_req, res) => res.end('x'));
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
  mkdirSync(join(work, 'key-copy'));
  writeFileSync(join(work, 'key-copy', 'manifest.json'), readFileSync(join(keyDir, 'manifest.json')));
  for (const [name, source] of Object.entries(CLASS)) {
    mkdirSync(join(submissions, name), { recursive: true });
    writeFileSync(join(submissions, name, 'challenge.ts'), source().replace('PORT', String(port)));
  }
  const sink = { write: (t: string) => (stdout += t) };
  exitCode = await runGradeCommand([submissions, '--key', keyDir, '--out', out, '--jobs', '2', '--memory', '512', '--json'], { stdout: sink, stderr: { write: () => true } });
});
after(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

const feedback = (name: string): LearnerFeedback => JSON.parse(readFileSync(join(out, 'feedback', `${name}.json`), 'utf8')) as LearnerFeedback;
const maxTotal = key.tests.reduce((s, t) => s + t.max_score, 0);
const byName = (name: string, test: string) => feedback(name).tests.find((t) => t.name === key.tests.find((k) => k.id === test)!.title)!;
/** Hidden tests carry only their hint and a generic cause, so the exact reason is checked on public ones. */
const allZeroWith = (name: string, pattern: RegExp): void => {
  const f = feedback(name);
  assert.equal(f.score, 0, `${name} should earn nothing, got ${f.score}`);
  for (const t of f.tests) {
    assert.equal(t.score, 0);
    if (!t.name.startsWith('hidden')) assert.match(t.message, pattern, `${name}: ${t.name}: ${t.message}`);
  }
};

describe('grading a class against the sample key (two jobs, one run)', () => {
  it('finishes, reports every submission and writes a gradebook with one column per test', () => {
    assert.equal(exitCode, 0);
    const events = stdout.split('\n').filter(Boolean).map(decodeGradeEvent);
    assert.ok(events.every((e) => e !== undefined), 'every --json line is a valid grade event');
    assert.equal(events.filter((e) => e?.method === 'grade/submission/finish').length, Object.keys(CLASS).length);
    const csv = readFileSync(join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
    assert.deepEqual(csv[0]!.split(','), ['submission', ...key.tests.map((t) => t.id), 'total', 'max_total', 'status']);
    assert.ok(csv.slice(1).every((line) => line.endsWith(',graded')), 'a run that was not cancelled grades every submission');
    assert.equal(csv.length, Object.keys(CLASS).length + 1);
  });

  it('gives a correct solution full marks, though hostile submissions were graded beside it', () => {
    const f = feedback('good');
    assert.equal(f.score, maxTotal, JSON.stringify(f.tests.filter((t) => t.status !== 'passed')));
  });

  it('gives a legal but weak solution partial marks, each with a reason to act on', () => {
    const f = feedback('one-layer');
    assert.ok(f.score > 0 && f.score < maxTotal);
    assert.equal(byName('one-layer', 'exports').status, 'passed');
    assert.match(byName('one-layer', 'architecture').message, /at least 2 hidden dense layers/);
    assert.match(byName('one-layer', 'error-one-split').message, /Mean absolute error .* learning rate/);
  });

  it('stops an endless loop at import within the load limit', () => allZeroWith('loop-at-import', /did not finish loading|took too long to load/));

  it('stops an endless loop in buildNetwork per call, and still grades the tests that do not call it', () => {
    const f = feedback('loop-in-build');
    assert.equal(byName('loop-in-build', 'exports').status, 'passed');
    assert.equal(byName('loop-in-build', 'step-budget').status, 'passed');
    assert.match(byName('loop-in-build', 'architecture').message, /did not return within .*endless loop/);
    assert.ok(f.tests.filter((t) => t.name.startsWith('hidden')).every((t) => t.score === 0 && /did not return in time/.test(t.message)));
  });

  it('refuses process.exit at import, with the reason', () => allZeroWith('exit-at-import', /process\.exit is not available|not allow/));

  it('treats a process that ends without its final report as a failure with a stated reason', () => {
    assert.match(byName('exit-in-test', 'architecture').message, /ended before this check reported back/);
    assert.equal(byName('exit-in-test', 'step-budget').status, 'passed');
  });

  it('ignores fake pass lines on stdout and forged lines on the result channel', () => {
    const f = feedback('fake-results');
    const honest = feedback('one-layer');
    assert.equal(f.score, honest.score);
    const instructor = JSON.parse(readFileSync(join(out, 'instructor', 'fake-results.json'), 'utf8')) as { notes: string[] };
    assert.ok(instructor.notes.some((n) => /without the run's nonce/.test(n)), instructor.notes.join('\n'));
  });

  it('blocks reading the key, importing it, writing outside the folder and the network', () => {
    allZeroWith('read-key', /not allow/);
    allZeroWith('import-key', /outside your submission folder/);
    allZeroWith('write-outside', /not allow/);
    allZeroWith('network', /not allow/);
    assert.equal(connections, 0);
    assert.deepEqual(readdirSync(work).filter((n) => n === 'pwned.txt'), []);
  });

  it('stops huge allocations at the memory limit (or, for a slow fill, the call limit)', () => {
    assert.match(byName('huge-allocation', 'architecture').message, /more memory than grading allows|did not return within/);
    assert.equal(byName('huge-allocation', 'architecture').score, 0);
    allZeroWith('buffer-hog', /more memory than grading allows/);
  });

  it('refuses tampering with JSON, Object.prototype and Promise.prototype.then', () => {
    allZeroWith('tamper-json', /change a built-in object/);
    allZeroWith('tamper-prototypes', /change a built-in object/);
  });

  it('leaks no hidden test id, title, threshold or seed into any learner-facing file', () => {
    const secrets = key.tests
      .filter((t) => t.hidden)
      .flatMap((t) => [t.id, t.title, ...(t.kind === 'outcome' ? [String(t.full_credit_mae), String(t.zero_credit_mae), String(t.seed)] : [])]);
    for (const file of readdirSync(join(out, 'feedback'))) {
      const text = readFileSync(join(out, 'feedback', file), 'utf8');
      for (const secret of secrets) assert.ok(!text.includes(secret), `${file} mentions "${secret}"`);
    }
  });
});

describe('Check My Challenge (public tests only)', () => {
  it("grades the learner's file with the public tests and points at the line that failed", async () => {
    const dir = join(work, 'learner');
    mkdirSync(dir);
    writeFileSync(join(dir, 'challenge.ts'), "import * as tf from '@tensorflow/tfjs';\nexport const training = { learningRate: 0.1, epochs: 10, batchSize: 32 };\nexport function buildNetwork(n: number): tf.LayersModel {\n  throw new Error('not written yet ' + n);\n}\n");
    const f = await checkChallenge({ file: join(dir, 'challenge.ts'), memoryMb: 512, timeScale: 1, allowNetworkUnsandboxed: false });
    assert.ok(f, 'the check was not cancelled');
    assert.ok(f.tests.every((t) => !t.name.startsWith('hidden')));
    const arch = f.tests.find((t) => /buildNetwork\(29\)/.test(t.name))!;
    assert.match(arch.message, /not written yet 29/);
    assert.deepEqual(arch.location, { file: join(dir, 'challenge.ts'), line: 4, column: 8 });
  });
});
