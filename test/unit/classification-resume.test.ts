// Long runs survive: the CLI checkpoints every epoch, a killed run resumes to the same numbers as one that
// was never interrupted, Ctrl-C stops within a batch and keeps the last checkpoint, and a resume with other
// settings is refused by name. Everything runs through the built CLI (npm run build) on a tiny fixture.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { ClassificationMetricsSchema, decodeLine, envelope, TRAINER_TO_HOST, type ClassificationMetrics, type StartRunParams, type TrainerMessage } from '../../protocol/messages';
import { tf } from '../../trainer/backend/tf';
import { RunRecordSchema } from '../../trainer/run/runRecord';
import { RunCheckpoints } from '../../trainer/submodules/classification/checkpoints';
import { restoreTensorState } from '../../trainer/submodules/classification/trainingState';
import { createResNet18 } from '../../trainer/models/resnet18';
import { medmnistNpz } from './data-fixtures';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'cls-resume-'));
const dataDir = join(work, 'data');

// BreastMNIST's shape (28×28 grey, two classes). 260 training images make three batches per epoch (128, 128, 4),
// so a cancel can land in the middle of an epoch.
const fixture = medmnistNpz({ counts: { train: 260, val: 10, test: 10 }, size: 28, channels: 1, labelColumns: 1, maxLabel: 1 });
mkdirSync(dataDir);
writeFileSync(join(dataDir, 'breastmnist.npz'), fixture);

interface CliRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly messages: TrainerMessage[];
  readonly stderr: string;
}

/**
 * Runs the CLI with --json; `onMessage` sees every protocol line as it arrives and may signal the child.
 * Resolves when the child exits.
 */
function runCli(args: string[], onMessage?: (m: TrainerMessage, child: ReturnType<typeof spawn>) => void): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args, '--json'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    const messages: TrainerMessage[] = [];
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const decoded = decodeLine(line, TRAINER_TO_HOST);
        assert.ok(decoded.ok, `not a protocol line: ${line}`);
        messages.push(decoded.message);
        onMessage?.(decoded.message, child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status, signal) => resolve({ status, signal, messages, stderr }));
  });
}

/** Experiment A only (no weights file needed), two epochs, seed 5 unless `more` says otherwise (parseArgs keeps the last). */
const baseArgs = (out: string, ...more: string[]): string[] =>
  ['run', 'classification', '--data-dir', dataDir, '--dataset', 'breastmnist', '--experiment', 'A', '--epochs', '2', '--seed', '5', '--backend', 'wasm', '--out', out, ...more];

function metricsOf(out: string): ClassificationMetrics {
  return ClassificationMetricsSchema.parse(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')));
}

/** Metrics without the wall-clock times, which differ between runs by nature. */
function withoutTimes(m: ClassificationMetrics): unknown {
  return { ...m, wallSeconds: 0, experiments: m.experiments.map((e) => ({ ...e, wallSeconds: 0 })) };
}

function isCheckpoint(m: TrainerMessage): boolean {
  return m.method === 'run/artifact' && m.params.kind === 'checkpoint';
}

function failure(run: CliRun): string {
  const error = run.messages.find((m) => m.method === 'run/error');
  return error?.method === 'run/error' ? error.params.message : run.stderr;
}

const uninterrupted = runCli(baseArgs(join(work, 'whole')));

test('a run killed after its first checkpoint resumes to exactly the metrics of an uninterrupted run', async () => {
  const out = join(work, 'killed');
  const killed = await runCli(baseArgs(out), (m, child) => {
    if (isCheckpoint(m)) child.kill('SIGKILL');
  });
  assert.equal(killed.signal, 'SIGKILL', `the run ended before its first checkpoint: ${failure(killed)}`);
  assert.equal(existsSync(join(out, 'metrics.json')), false);
  assert.ok(existsSync(join(out, 'checkpoints', 'A.ckpt')));

  const resumed = await runCli(baseArgs(out, '--resume'));
  assert.equal(resumed.status, 0, failure(resumed));
  assert.ok(resumed.messages.some((m) => m.method === 'run/log' && /resuming after epoch 1 of 2/.test(m.params.message)));
  const epochsTrained = resumed.messages.flatMap((m) => (m.method === 'run/metric' && m.params.name === 'trainLoss' ? [m.params.epoch] : []));
  assert.deepEqual(epochsTrained, [2], 'the resumed run must train only the epoch the killed one did not finish');
  assert.equal(existsSync(join(out, 'checkpoints')), false, 'a finished run removes its checkpoints');

  const whole = await uninterrupted;
  assert.equal(whole.status, 0, failure(whole));
  const reference = metricsOf(join(work, 'whole'));
  assert.equal(reference.experiments[0]!.epochs.length, 2);
  assert.deepEqual(withoutTimes(metricsOf(out)), withoutTimes(reference));
});

test('the run record names seed, backend, threads, packages, the data checksum and each epoch\'s wall time', async () => {
  const whole = await uninterrupted;
  assert.equal(whole.status, 0, failure(whole));
  const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(work, 'whole', 'record.json'), 'utf8')));
  assert.equal(record.seed, 5);
  assert.equal(record.backend, 'wasm');
  assert.equal(record.backendVersion, tf.version_core);
  // One thread with the stock wasm setup; up to one per core where the backend is given a thread pool.
  assert.ok(Number.isInteger(record.threads.count) && record.threads.count! >= 1 && record.threads.count! <= availableParallelism(), JSON.stringify(record.threads));
  assert.equal(record.dataset.sha256, createHash('sha256').update(fixture).digest('hex'));
  const installed = (name: string): string => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  assert.equal(record.packages['@tensorflow/tfjs'], installed('@tensorflow/tfjs'));
  assert.equal(record.packages['@tensorflow/tfjs-backend-wasm'], installed('@tensorflow/tfjs-backend-wasm'));
  assert.equal(record.timings['A']?.length, 2, 'one wall time per epoch of experiment A');
  assert.ok(record.timings['A']!.every((s) => s > 0));
});

test('Ctrl-C in the middle of an epoch stops within a batch, keeps the last checkpoint and says how to resume', async () => {
  const out = join(work, 'interrupted');
  let epochStarted = 0;
  let epochSeconds = 0;
  let signalled = 0;
  const run = await runCli(baseArgs(out), (m, child) => {
    if (m.method === 'run/progress' && m.params.epoch?.index === 1 && epochStarted === 0) epochStarted = performance.now();
    if (isCheckpoint(m)) epochSeconds = performance.now() - epochStarted;
    if (signalled === 0 && m.method === 'run/progress' && m.params.epoch?.index === 2 && m.params.batch !== undefined) {
      signalled = performance.now();
      child.kill('SIGINT');
    }
  });
  assert.ok(signalled > 0, `the run never reached epoch 2: ${failure(run)}`);
  const stopped = performance.now() - signalled;
  assert.equal(run.status, 130, failure(run));
  assert.ok(stopped < epochSeconds, `stopping took ${stopped.toFixed(0)} ms, longer than a whole epoch (${epochSeconds.toFixed(0)} ms)`);
  assert.equal(run.messages.filter(isCheckpoint).length, 1, 'no checkpoint after the cancel');
  assert.ok(!run.messages.some((m) => m.method === 'run/metric' && m.params.epoch === 2), 'epoch 2 must not finish');
  const error = run.messages.find((m) => m.method === 'run/error');
  assert.ok(error?.method === 'run/error' && error.params.code === 'cancelled');
  assert.match(error.params.message, /experiment A after epoch 1/);
  assert.match(error.params.message, /--resume/);

  // The kept checkpoint loads into a fresh network and optimiser.
  const manifest = JSON.parse(readFileSync(join(out, 'checkpoints', 'run.json'), 'utf8')) as { fingerprint: Record<string, string | number | null> };
  const snapshot = RunCheckpoints.resume(out, manifest.fingerprint).training('A', { 'weights sha256': null });
  assert.ok(snapshot);
  assert.equal(snapshot.completedEpochs, 1);
  assert.equal(snapshot.records.length, 1);
  await tf.setBackend('cpu');
  const model = createResNet18({ channels: 1, classes: 2, height: 28, width: 28 });
  const optimizer = tf.train.momentum(0.001, 0.9);
  await restoreTensorState(model, optimizer, model.trainableWeights.length, snapshot);
  const moving = model.weights.find((w) => w.originalName === 'bn1/moving_mean')!;
  const saved = snapshot.weights.find((w) => w.name === 'bn1/moving_mean')!;
  assert.deepEqual(Array.from(await moving.read().data()), Array.from(saved.values));
  assert.ok(saved.values.some((v) => v !== 0), 'BatchNorm statistics moved during epoch 1');
  assert.equal((await optimizer.getWeights()).length, 1 + model.trainableWeights.length);
  optimizer.dispose();
  model.dispose();
});

test('a resume with other settings (or another learner file) is refused naming the setting, and a folder without checkpoints has nothing to resume', async () => {
  const out = join(work, 'interrupted');
  assert.ok(existsSync(join(out, 'checkpoints', 'A.ckpt')), 'needs the interrupted run of the previous test');
  const cases: [string[], RegExp][] = [
    [baseArgs(out, '--resume', '--seed', '6'), /was made with seed 5, but this run has seed 6/],
    [baseArgs(out, '--resume', '--epochs', '3'), /was made with epochs 2, but this run has epochs 3/],
    // B and C would come from the learner's network, not the one the checkpoint was trained from.
    [baseArgs(out, '--resume', '--learner-file', join(root, 'walkthroughs', 'classification', 'exercise', 'transfer.ts')), /learner file sha256/],
    [baseArgs(join(work, 'empty'), '--resume'), /Nothing to resume/],
  ];
  for (const [args, pattern] of cases) {
    const run = await runCli(args);
    assert.equal(run.status, 1);
    const error = run.messages.find((m) => m.method === 'run/error');
    assert.ok(error?.method === 'run/error' && error.params.code === 'bad-request', failure(run));
    assert.match(error.params.message, pattern);
    assert.ok(!run.messages.some((m) => m.method === 'run/progress' && m.params.batch !== undefined), 'refused before any training');
  }
  assert.ok(existsSync(join(out, 'checkpoints', 'A.ckpt')), 'a refused resume leaves the checkpoint alone');
});

test('the trainer process stops on run/cancel within a batch, says the run can be resumed, and resumes on run/start with resume', async () => {
  const child = spawn(process.execPath, [join(root, 'dist', 'trainer.js')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const messages: TrainerMessage[] = [];
  const waiters: { match: (m: TrainerMessage) => boolean; resolve: (m: TrainerMessage) => void }[] = [];
  const send = (line: unknown): void => void child.stdin.write(`${JSON.stringify(line)}\n`);
  createInterface({ input: child.stdout }).on('line', (line) => {
    const decoded = decodeLine(line, TRAINER_TO_HOST);
    assert.ok(decoded.ok, line);
    const m = decoded.message;
    messages.push(m);
    // Cancel as soon as the second epoch is under way, from inside the line handler: no delay in between.
    if (m.method === 'run/progress' && m.params.runId === 'first' && m.params.epoch?.index === 2 && m.params.batch !== undefined) {
      send(envelope('run/cancel', { runId: 'first' }));
    }
    for (const w of [...waiters]) {
      if (!w.match(m)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  const next = (match: (m: TrainerMessage) => boolean): Promise<TrainerMessage> =>
    new Promise((resolve) => (messages.some(match) ? resolve(messages.find(match)!) : waiters.push({ match, resolve })));
  try {
    await next((m) => m.method === 'trainer/ready');
    const outDir = join(work, 'trainer-process');
    const params: Omit<StartRunParams, 'runId'> = { submodule: 'classification', profile: 'quick', seed: 5, backend: 'wasm', outDir, dataDir, dataset: 'breastmnist', experiments: ['A'], epochs: 2 };
    send(envelope('run/start', { runId: 'first', ...params }));
    const cancelled = await next((m) => (m.method === 'run/error' || m.method === 'run/result') && m.params.runId === 'first');
    assert.ok(cancelled.method === 'run/error' && cancelled.params.code === 'cancelled', JSON.stringify(cancelled.params));
    assert.match(cancelled.params.message, /experiment A after epoch 1.*--resume/);
    assert.ok(!messages.some((m) => m.method === 'run/metric' && m.params.runId === 'first' && m.params.epoch === 2), 'epoch 2 must not finish');

    send(envelope('run/start', { runId: 'second', ...params, resume: true }));
    const resumed = await next((m) => (m.method === 'run/error' || m.method === 'run/result') && m.params.runId === 'second');
    assert.equal(resumed.method, 'run/result', JSON.stringify(resumed.params));
    const whole = await uninterrupted;
    assert.equal(whole.status, 0, failure(whole));
    assert.deepEqual(withoutTimes(metricsOf(outDir)), withoutTimes(metricsOf(join(work, 'whole'))));
  } finally {
    child.stdin.end();
  }
});
