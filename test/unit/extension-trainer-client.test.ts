import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { backendName, describeLadder } from '../../extension/run/backendLadder';
import { liveRowOf, RowBatcher } from '../../extension/run/liveRows';
import type { Log } from '../../extension/log';
import { LineFramer } from '../../extension/trainer/lineFramer';
import { TrainerClient, type TrainerExit } from '../../extension/trainer/trainerClient';
import { envelope, type TrainerMessage } from '../../protocol/messages';

const dir = mkdtempSync(join(tmpdir(), 'biomed-trainer-client-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in trainer: says something malformed, writes to stderr, announces ready after a delay (so the
 * host must queue), answers run/start with a backend selection split over two writes, and exits on EOF.
 */
const fakeTrainer = join(dir, 'fake-trainer.js');
writeFileSync(
  fakeTrainer,
  `
const readline = require('node:readline');
process.stdout.write('this is not json\\n');
process.stderr.write('warming up\\n');
setTimeout(() => process.stdout.write(JSON.stringify({ v: 1, method: 'trainer/ready', params: { protocolVersion: 1, pid: process.pid, nodeVersion: process.versions.node } }) + '\\n'), 100);
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'run/start') {
    const reply = JSON.stringify({ v: 1, method: 'run/backend/select', params: { runId: m.params.runId, backend: 'wasm', version: '4.22.0', ladder: [{ backend: 'gpu', status: 'skipped', reason: 'no CUDA' }, { backend: 'wasm', status: 'selected', reason: '' }] } }) + '\\n';
    process.stdout.write(reply.slice(0, 20));
    setTimeout(() => process.stdout.write(reply.slice(20)), 20);
  }
}).on('close', () => process.exit(0));
`,
);

function recordingLog() {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => lines.push(`${level}: ${m}`);
  const log: Log = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

function startRun(runId: string) {
  return envelope('run/start', { runId, submodule: 'regression', profile: 'quick', seed: 1, backend: 'auto', outDir: dir });
}

describe('the trainer client', () => {
  it('queues run/start until ready, validates every line and forwards stderr tagged', async () => {
    const host = recordingLog();
    const stderr = recordingLog();
    const client = new TrainerClient({ nodePath: process.execPath, trainerScript: fakeTrainer, cwd: dir, log: host.log, stderrLog: stderr.log });
    const messages: TrainerMessage[] = [];
    const selected = new Promise<void>((resolve) =>
      client.onMessage((m) => {
        messages.push(m);
        if (m.method === 'run/backend/select') resolve();
      }),
    );
    client.send(startRun('r1'));
    await selected;
    assert.deepEqual(messages.map((m) => m.method), ['trainer/ready', 'run/backend/select']);
    assert.ok(host.lines.some((l) => /^warn: ignored a malformed trainer line: not JSON/.test(l)), host.lines.join('\n'));
    assert.ok(stderr.lines.includes('warn: warming up'));
    const exited = new Promise<TrainerExit>((resolve) => client.onExit(resolve));
    client.dispose();
    assert.equal((await exited).expected, true);
    assert.equal(client.isRunning, false);
  });

  it('reports a trainer that dies on its own as unexpected, and can start again', async () => {
    const crashing = join(dir, 'crash.js');
    writeFileSync(crashing, 'process.exit(3);');
    const { log } = recordingLog();
    const client = new TrainerClient({ nodePath: process.execPath, trainerScript: crashing, cwd: dir, log, stderrLog: log });
    const exited = new Promise<TrainerExit>((resolve) => client.onExit(resolve));
    client.send(startRun('r2'));
    const exit = await exited;
    assert.equal(exit.code, 3);
    assert.equal(exit.expected, false);
    const again = new Promise<TrainerExit>((resolve) => client.onExit(resolve));
    client.send(startRun('r3'));
    assert.equal((await again).code, 3);
  });
});

describe('framing the trainer’s output', () => {
  it('joins lines split across chunks, including inside a multi-byte character', () => {
    const framer = new LineFramer();
    const bytes = new TextEncoder().encode('{"a":"µ"}\r\n{"b":1}\n{"c"');
    const cut = 7; // inside the two bytes of µ
    assert.deepEqual(framer.push(bytes.slice(0, cut)), []);
    assert.deepEqual(framer.push(bytes.slice(cut)), ['{"a":"µ"}', '{"b":1}']);
    assert.deepEqual(framer.flush(), ['{"c"']);
  });
});

describe('what the learner sees about the run', () => {
  it('explains each skipped backend rung in the status bar tooltip', () => {
    const lines = describeLadder({
      runId: 'r',
      backend: 'wasm',
      version: '4.22.0',
      ladder: [
        { backend: 'gpu', status: 'skipped', reason: 'tfjs-node-gpu is not installed' },
        { backend: 'wasm', status: 'selected', reason: '' },
        { backend: 'cpu', status: 'not-tried', reason: '' },
      ],
    });
    assert.deepEqual(lines, [
      `✗ ${backendName('gpu')}: skipped — tfjs-node-gpu is not installed`,
      `✓ ${backendName('wasm')}: selected`,
      `· ${backendName('cpu')}: not tried`,
    ]);
  });

  it('charts only per-split MAE metrics live, in batches', async () => {
    assert.deepEqual(liveRowOf({ runId: 'r', model: 'm', name: 'mae', value: 0.5, split: 3 }), { kind: 'split', model: 'm', split: 3, mae: 0.5 });
    assert.equal(liveRowOf({ runId: 'r', model: 'm', name: 'rmse', value: 1, split: 0 }), undefined);
    assert.equal(liveRowOf({ runId: 'r', model: 'm', name: 'mae', value: 1 }), undefined);
    const batches: number[] = [];
    const batcher = new RowBatcher((rows) => batches.push(rows.length), 10);
    for (let i = 0; i < 5; i++) batcher.add({ kind: 'split', model: 'm', split: i, mae: 0.1 });
    await new Promise((r) => setTimeout(r, 30));
    batcher.add({ kind: 'split', model: 'm', split: 5, mae: 0.1 });
    batcher.flush();
    assert.deepEqual(batches, [5, 1]);
  });

  it('charts each classification experiment’s training loss and validation accuracy per epoch, and nothing else', () => {
    assert.deepEqual(liveRowOf({ runId: 'r', model: 'B', name: 'trainLoss', value: 0.7, epoch: 2 }), { kind: 'epoch', model: 'B', epoch: 2, metric: 'trainLoss', value: 0.7 });
    assert.deepEqual(liveRowOf({ runId: 'r', model: 'C', name: 'valAcc', value: 0.8, epoch: 1 }), { kind: 'epoch', model: 'C', epoch: 1, metric: 'valAcc', value: 0.8 });
    // AUC and the test scores wait for the final charts; a metric without its epoch has no place on the x axis.
    assert.equal(liveRowOf({ runId: 'r', model: 'A', name: 'valAuc', value: 0.9, epoch: 1 }), undefined);
    assert.equal(liveRowOf({ runId: 'r', model: 'A', name: 'testAcc', value: 0.9 }), undefined);
    assert.equal(liveRowOf({ runId: 'r', model: 'A', name: 'valAcc', value: 0.9 }), undefined);
  });
});
