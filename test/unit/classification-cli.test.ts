import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ClassificationMetricsSchema, thumbnailFileName, type ClassificationMetrics, type StartRunParams, type TrainerMessage } from '../../protocol/messages';
import { executeRun } from '../../trainer/run/executeRun';
import { CancellationFlag } from '../../trainer/run/runContext';
import { PATH_SHAPED, medmnistNpz } from './data-fixtures';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const BREAST = join(root, '..', 'shared', 'data');
const work = mkdtempSync(join(tmpdir(), 'cls-cli-'));
let weightsFile: string;

before(() => {
  // A seeded torchvision ResNet-18 in safetensors form: the right names and shapes, but not ImageNet's values.
  const made = spawnSync('/usr/bin/python3', [join(root, 'scripts/reference/resnet18_fixture.py'), '--out', join(work, 'fixture'), '--sizes', '28', '--batch', '1'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  weightsFile = join(work, 'fixture', 'weights.safetensors');
});

function runCli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** Metrics without the wall-clock times, which differ between runs by nature. */
function withoutTimes(m: ClassificationMetrics): unknown {
  return { ...m, wallSeconds: 0, experiments: m.experiments.map((e) => ({ ...e, wallSeconds: 0 })) };
}

test('the CLI trains A, B and C on the real BreastMNIST, and one seed gives identical metrics twice', async () => {
  const outs = [join(work, 'breast-1'), join(work, 'breast-2')];
  const args = (out: string): string[] =>
    ['run', 'classification', '--data-dir', BREAST, '--dataset', 'breastmnist', '--profile', 'quick', '--weights', weightsFile, '--epochs', '1', '--seed', '3', '--backend', 'wasm', '--out', out];
  // Side by side: the two runs must not depend on each other's timing either.
  const runs = await Promise.all(outs.map((out) => runCli(args(out))));
  for (const r of runs) assert.equal(r.status, 0, r.stderr);
  const [first, second] = outs.map((out) => ClassificationMetricsSchema.parse(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'))));
  assert.deepEqual(first!.experiments.map((e) => e.name), ['A', 'B', 'C']);
  for (const e of first!.experiments) {
    for (const v of [e.test.acc, e.test.auc, ...e.epochs.flatMap((r) => [r.val.acc, r.val.auc])]) assert.ok(v >= 0 && v <= 1, `${e.name}: ${v}`);
    assert.equal(e.epochs.length, 1);
    assert.equal(e.confusion.flat().reduce((a, b) => a + b, 0), 156, `${e.name}'s confusion matrix does not cover the test split`);
    const wrong = e.confusion.flatMap((row, t) => row.filter((_, p) => p !== t)).reduce((a, b) => a + b, 0);
    assert.equal(e.misclassified.reduce((a, c) => a + c.count, 0), wrong);
  }
  assert.equal(first!.task, 'binary-class');
  assert.deepEqual(first!.image, { size: 28, channels: 1 });
  assert.deepEqual(first!.data.classCounts.test, [42, 114]);
  assert.equal(first!.weights?.origin, 'local-file');
  assert.deepEqual(withoutTimes(second!), withoutTimes(first!));

  const report = readFileSync(join(outs[0]!, 'report.html'), 'utf8');
  assert.match(report, /<svg/);
  assert.match(report, /Validation accuracy per epoch/);
  assert.match(report, /Why the frozen backbone \(B\) falls behind/);
  assert.match(report, /not\s+torchvision's ImageNet ResNet-18/, 'a local weights file must come with the caveat');
  assert.doesNotMatch(report, /https?:\/\//, 'the report links out');
  const record = JSON.parse(readFileSync(join(outs[0]!, 'record.json'), 'utf8')) as { seed: number; dataset: { sha256: string } };
  assert.equal(record.seed, 3);
  assert.match(record.dataset.sha256, /^[0-9a-f]{64}$/);
});

async function runInProcess(params: Partial<StartRunParams>, cancelAt?: (m: TrainerMessage) => boolean): Promise<{ ok: boolean; messages: TrainerMessage[] }> {
  const messages: TrainerMessage[] = [];
  const cancellation = new CancellationFlag();
  const full: StartRunParams = { runId: 't', submodule: 'classification', profile: 'quick', seed: 1, backend: 'wasm', outDir: join(work, 'unused'), ...params };
  const ok = await executeRun(
    full,
    (method, p) => {
      const message = { v: 1, method, params: p } as TrainerMessage;
      messages.push(message);
      if (cancelAt?.(message)) cancellation.cancel();
    },
    cancellation,
  );
  return { ok, messages };
}

function pathShapedDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cls-path-'));
  // PathMNIST's shape (28×28 RGB, nine classes); 18 validation and test images so every class appears in both.
  writeFileSync(join(dir, 'pathmnist.npz'), medmnistNpz({ ...PATH_SHAPED, counts: { train: 40, val: 18, test: 18 } }));
  return dir;
}

test('a PathMNIST-shaped file trains end to end with 3 channels and 9 classes, reporting metrics per epoch', async () => {
  const outDir = join(work, 'path');
  const { ok, messages } = await runInProcess({ dataset: 'pathmnist', dataDir: pathShapedDir(), weightsFile, epochs: 2, outDir });
  const failure = messages.find((m) => m.method === 'run/error');
  assert.ok(ok, failure?.method === 'run/error' ? failure.params.message : 'run failed');
  const result = messages.find((m) => m.method === 'run/result');
  assert.ok(result?.method === 'run/result' && result.params.metrics.submodule === 'classification');
  const metrics = result.params.metrics;
  assert.deepEqual(metrics.image, { size: 28, channels: 3 });
  assert.equal(metrics.classes.length, 9);
  for (const e of metrics.experiments) {
    assert.equal(e.confusion.length, 9);
    assert.equal(e.confusion.flat().reduce((a, b) => a + b, 0), 18);
    assert.deepEqual(e.epochs.map((r) => r.epoch), [1, 2]);
  }
  const perEpoch = messages.filter((m) => m.method === 'run/metric' && m.params.epoch !== undefined);
  assert.equal(perEpoch.length, 3 * 2 * 3, 'trainLoss, valAcc and valAuc per epoch per experiment');
  assert.ok(messages.some((m) => m.method === 'run/progress' && m.params.batch !== undefined && m.params.epoch !== undefined));
  assert.ok(messages.some((m) => m.method === 'run/log' && m.params.level === 'warn' && /train split has 40 images/.test(m.params.message)));
  for (const file of ['metrics.json', 'report.html', 'record.json']) assert.ok(existsSync(join(outDir, file)), file);
  // One thumbnail per test row the metrics list, announced as an artifact, and shown in the report.
  const thumbnails = messages.find((m) => m.method === 'run/artifact' && m.params.kind === 'thumbnails');
  assert.ok(thumbnails?.method === 'run/artifact');
  const listed = [...new Set(metrics.experiments.flatMap((e) => e.misclassified.flatMap((c) => c.testIndices)))];
  assert.ok(listed.length > 0, 'an untrained 9-class network gets some test images wrong');
  assert.deepEqual(readdirSync(thumbnails.params.path).sort(), listed.map(thumbnailFileName).sort());
  assert.match(readFileSync(join(outDir, 'report.html'), 'utf8'), new RegExp(`src="thumbnails/${thumbnailFileName(listed[0]!)}"`));
});

test('cancelling between batches stops the run with a cancelled error and writes no results', async () => {
  const outDir = join(work, 'cancelled');
  const { ok, messages } = await runInProcess(
    { dataset: 'pathmnist', dataDir: pathShapedDir(), weightsFile, epochs: 3, outDir },
    (m) => m.method === 'run/progress' && m.params.batch !== undefined,
  );
  assert.equal(ok, false);
  const error = messages.find((m) => m.method === 'run/error');
  assert.ok(error?.method === 'run/error' && error.params.code === 'cancelled');
  assert.equal(existsSync(join(outDir, 'metrics.json')), false);
});

test('a multi-label dataset or an unknown experiment is refused before any work', async () => {
  const cases: [Partial<StartRunParams>, RegExp][] = [
    [{ dataset: 'chestmnist' }, /multi-label/],
    [{ dataset: 'breastmnist', dataDir: BREAST, experiments: ['D'] }, /--experiment must be one of A, B, C/],
  ];
  for (const [params, pattern] of cases) {
    const { ok, messages } = await runInProcess(params);
    assert.equal(ok, false);
    const error = messages.find((m) => m.method === 'run/error');
    assert.ok(error?.method === 'run/error' && error.params.code === 'bad-request' && pattern.test(error.params.message));
  }
});
