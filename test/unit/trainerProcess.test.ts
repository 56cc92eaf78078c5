import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { TRAINER_TO_HOST, decodeLine, envelope, type TrainerMessage } from '../../protocol/messages';

const trainer = join(__dirname, '..', '..', 'dist', 'trainer.js');

test('the trainer says ready, rejects a malformed line with a reason, runs, and exits when stdin closes', async () => {
  const child = spawn(process.execPath, [trainer], { stdio: ['pipe', 'pipe', 'pipe'] });
  const messages: TrainerMessage[] = [];
  const waiters: { match: (m: TrainerMessage) => boolean; resolve: (m: TrainerMessage) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const decoded = decodeLine(line, TRAINER_TO_HOST);
    assert.ok(decoded.ok, `trainer output follows the protocol: ${line}`);
    messages.push(decoded.message);
    for (const w of [...waiters]) {
      if (w.match(decoded.message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(decoded.message);
      }
    }
  });
  const next = (match: (m: TrainerMessage) => boolean): Promise<TrainerMessage> =>
    new Promise((resolve) => {
      const found = messages.find(match);
      if (found) resolve(found);
      else waiters.push({ match, resolve });
    });

  const ready = await next((m) => m.method === 'trainer/ready');
  assert.equal(ready.method === 'trainer/ready' && ready.params.pid, child.pid);

  child.stdin.write('{"v":1,"method":"run/start","params":{"runId":"x"}}\n');
  const rejected = await next((m) => m.method === 'run/log' && m.params.level === 'error');
  assert.match(rejected.method === 'run/log' ? rejected.params.message : '', /rejected a message from the host: run\/start: params\.submodule/);

  const outDir = mkdtempSync(join(tmpdir(), 'trainer-'));
  child.stdin.write(`${JSON.stringify(envelope('run/start', { runId: 'r1', submodule: 'regression', profile: 'quick', seed: 3, backend: 'auto', outDir, splits: 1 }))}\n`);
  const done = await next((m) => (m.method === 'run/result' || m.method === 'run/error') && m.params.runId === 'r1');
  assert.equal(done.method, 'run/result', JSON.stringify(done.params));

  child.stdin.write(`${JSON.stringify(envelope('run/start', { runId: 'r2', submodule: 'segmentation', profile: 'quick', seed: 3, backend: 'auto', outDir }))}\n`);
  const notYet = await next((m) => m.method === 'run/error' && m.params.runId === 'r2');
  assert.match(notYet.method === 'run/error' ? notYet.params.message : '', /segmentation submodule has no hands-on run yet/);

  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stdin.end();
  assert.equal(await exited, 0);
});
