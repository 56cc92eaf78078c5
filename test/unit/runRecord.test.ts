import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TRAINER_TO_HOST, decodeLine } from '../../protocol/messages';
import { RunRecordSchema, recordedThreads } from '../../trainer/run/runRecord';
import { embeddedDatasetPath } from '../../trainer/submodules/regression/dataset';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'record-'));

test('a regression run records seed, backend, threads, packages, the data checksum and the wall time of every split', () => {
  const out = join(work, 'regression');
  const r = spawnSync(process.execPath, [cli, 'run', 'regression', '--splits', '3', '--workers', '2', '--seed', '8', '--backend', 'wasm', '--out', out], { encoding: 'utf8', cwd: work });
  assert.equal(r.status, 0, r.stderr);
  const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(out, 'record.json'), 'utf8')));
  assert.equal(record.submodule, 'regression');
  assert.equal(record.seed, 8);
  assert.equal(record.backend, 'wasm');
  // Each split worker computes on one wasm thread; the workers are the parallelism.
  assert.deepEqual(record.threads, { count: 1, source: 'per split worker' });
  assert.equal(record.dataset.sha256, createHash('sha256').update(readFileSync(embeddedDatasetPath())).digest('hex'));
  assert.equal(record.timings['splits']?.length, 3);
  assert.ok(record.timings['splits']!.every((s) => s > 0), 'every split was timed');
  assert.equal(record.settings['workers'], 2);
  const tfjs = (JSON.parse(readFileSync(join(root, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')) as { version: string }).version;
  assert.equal(record.packages['@tensorflow/tfjs'], tfjs);
});

test('--resume on a regression run is refused: it keeps no checkpoints', () => {
  const r = spawnSync(process.execPath, [cli, 'run', 'regression', '--splits', '1', '--resume', '--out', join(work, 'r2'), '--json'], { encoding: 'utf8', cwd: work });
  assert.equal(r.status, 1);
  const error = r.stdout.trim().split('\n').map((line) => decodeLine(line, TRAINER_TO_HOST)).find((d) => d.ok && d.message.method === 'run/error');
  assert.ok(error?.ok && error.message.method === 'run/error' && error.message.params.code === 'bad-request');
  assert.match(error.message.params.message, /keeps no checkpoints/);
});

test('the thread count is what the backend reported, else the native pool as TF_NUM_INTRAOP_THREADS sets it', () => {
  assert.deepEqual(recordedThreads(4), { count: 4, source: 'backend' });
  const saved = process.env['TF_NUM_INTRAOP_THREADS'];
  try {
    delete process.env['TF_NUM_INTRAOP_THREADS'];
    assert.equal(recordedThreads(null).count, null);
    process.env['TF_NUM_INTRAOP_THREADS'] = '3';
    assert.deepEqual(recordedThreads(null), { count: 3, source: 'TF_NUM_INTRAOP_THREADS' });
  } finally {
    if (saved === undefined) delete process.env['TF_NUM_INTRAOP_THREADS'];
    else process.env['TF_NUM_INTRAOP_THREADS'] = saved;
  }
});
