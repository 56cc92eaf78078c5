import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ExperimentResult } from '../../protocol/messages';
import { writeFileAtomic } from '../../trainer/checkpoint/atomicFile';
import { LabError } from '../../trainer/core/labError';
import { RunCheckpoints } from '../../trainer/submodules/classification/checkpoints';
import type { TrainingSnapshot } from '../../trainer/submodules/classification/trainingState';

const RUN = { seed: 5, dataset: 'breastmnist', epochs: 3 };
const RANDOM_START = { 'weights sha256': null };

function snapshot(completedEpochs: number): TrainingSnapshot {
  return {
    completedEpochs,
    records: Array.from({ length: completedEpochs }, (_, i) => ({ epoch: i + 1, trainLoss: 0.7 - i / 10, val: { acc: 0.5, auc: 0.25 + i / 8 } })),
    epochSeconds: Array.from({ length: completedEpochs }, (_, i) => 1.5 + i),
    iterations: completedEpochs * 2,
    weights: [
      { name: 'conv1/kernel', shape: [2, 3], values: Float32Array.from([1, -2, 3.25, Math.PI, -0, 1e-30]) },
      { name: 'bn1/moving_mean', shape: [3], values: Float32Array.from([0.1, 0.2, 0.3]) },
    ],
    momentum: [{ name: 'conv1/kernel_7/momentum', shape: [2, 3], values: Float32Array.from([6, 5, 4, 3, 2, 1]) }],
  };
}

test('a training checkpoint reads back bit for bit, and a finished experiment replaces it', () => {
  const out = mkdtempSync(join(tmpdir(), 'ckpt-'));
  const checkpoints = RunCheckpoints.start(out, RUN, () => assert.fail('nothing to clear in a new folder'));
  const saved = snapshot(2);
  checkpoints.saveTraining('A', RANDOM_START, saved);
  const read = RunCheckpoints.resume(out, RUN).training('A', RANDOM_START);
  assert.ok(read);
  assert.equal(read.completedEpochs, 2);
  assert.deepEqual(read.records, saved.records);
  assert.deepEqual(read.epochSeconds, saved.epochSeconds);
  assert.equal(read.iterations, 4);
  for (const [got, want] of [...read.weights.map((w, i) => [w, saved.weights[i]!]), [read.momentum[0]!, saved.momentum[0]!]] as const) {
    assert.equal(got.name, want.name);
    assert.deepEqual(got.shape, want.shape);
    assert.deepEqual(new Uint8Array(got.values.buffer, got.values.byteOffset, got.values.byteLength), new Uint8Array(want.values.buffer));
  }
  assert.equal(checkpoints.describe(), 'experiment A after epoch 2');

  const full: ExperimentResult = {
    name: 'A', label: 'x', start: 'random', trains: 'all', epochs: [...saved.records], test: { acc: 1, auc: 1 }, confusion: [[1]], misclassified: [], wallSeconds: 3,
  };
  checkpoints.saveFinished('A', RANDOM_START, { result: full, epochSeconds: [1, 2] });
  assert.equal(existsSync(checkpoints.trainingPath('A')), false, 'the training state of a finished experiment is dropped');
  const again = RunCheckpoints.resume(out, RUN);
  assert.deepEqual(again.finished('A', RANDOM_START), { result: full, epochSeconds: [1, 2] });
  assert.equal(again.training('B', { 'weights sha256': 'ab' }), undefined);
  assert.equal(again.describe(), 'experiment A finished');
  assert.deepEqual(readdirSync(checkpoints.dir).sort(), ['A.result.json', 'run.json'], 'no temporary files are left behind');
});

test('an experiment checkpoint made from other weights is refused, naming the weights', () => {
  const out = mkdtempSync(join(tmpdir(), 'ckpt-'));
  RunCheckpoints.start(out, RUN, () => undefined).saveTraining('C', { 'weights sha256': 'aaaa' }, snapshot(1));
  assert.throws(
    () => RunCheckpoints.resume(out, RUN).training('C', { 'weights sha256': 'bbbb' }),
    (err: unknown) => LabError.is(err, 'bad-request') && /made with weights sha256 "aaaa", but this run has weights sha256 "bbbb"/.test(err.message),
  );
});

test('a fresh run in a folder with an unfinished run clears its checkpoints and says so', () => {
  const out = mkdtempSync(join(tmpdir(), 'ckpt-'));
  RunCheckpoints.start(out, RUN, () => undefined).saveTraining('A', RANDOM_START, snapshot(1));
  const warnings: string[] = [];
  const fresh = RunCheckpoints.start(out, { ...RUN, seed: 6 }, (m) => warnings.push(m));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /--resume/);
  assert.equal(fresh.training('A', RANDOM_START), undefined);
  assert.throws(() => RunCheckpoints.resume(out, RUN), /was made with seed 6, but this run has seed 5/);
});

test('a truncated checkpoint is reported as unreadable, not misread', () => {
  const out = mkdtempSync(join(tmpdir(), 'ckpt-'));
  const checkpoints = RunCheckpoints.start(out, RUN, () => undefined);
  checkpoints.saveTraining('A', RANDOM_START, snapshot(1));
  const path = checkpoints.trainingPath('A');
  truncateSync(path, readFileSync(path).length - 4);
  assert.throws(() => RunCheckpoints.resume(out, RUN).training('A', RANDOM_START), (err: unknown) => LabError.is(err, 'bad-data') && /truncated/.test(err.message));
});

test('a write that fails part way leaves the previous file whole and no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  const path = join(dir, 'state');
  writeFileSync(path, 'previous');
  // A chunk whose bytes cannot be read stands in for a process that dies in the middle of writing.
  const poisoned = new Proxy(new Uint8Array(4), { get: () => { throw new Error('disk gone'); } });
  assert.throws(() => writeFileAtomic(path, [Buffer.from('new, partly '), poisoned]), /disk gone/);
  assert.equal(readFileSync(path, 'utf8'), 'previous');
  assert.deepEqual(readdirSync(dir), ['state']);
  writeFileAtomic(path, [Buffer.from('new')]);
  assert.equal(readFileSync(path, 'utf8'), 'new');
});

test('a full disk is a disk-full error naming the file, and the previous file stays whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-full-'));
  const path = join(dir, 'checkpoint.bin');
  writeFileSync(path, 'previous');
  // /dev/full refuses every write with ENOSPC: a real full disk without filling one. The temporary file's name
  // is the target's plus this process's id.
  symlinkSync('/dev/full', `${path}.tmp-${process.pid}`);
  assert.throws(
    () => writeFileAtomic(path, [Buffer.from('new')]),
    (err: unknown) => LabError.is(err, 'disk-full') && err.message.startsWith(`${path}: the disk is full (ENOSPC)`) && /Free some space/.test(err.message),
  );
  assert.equal(readFileSync(path, 'utf8'), 'previous');
  assert.deepEqual(readdirSync(dir), ['checkpoint.bin']);
});
