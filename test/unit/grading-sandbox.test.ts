import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { refuseWithoutIsolation } from '../../trainer/grading/gradeSubmissions';
import { harnessCommand, probeSandbox } from '../../trainer/grading/sandbox';
import { LabError } from '../../trainer/core/labError';

const root = mkdtempSync(join(tmpdir(), 'grading-sandbox-'));
const submission = join(root, 'submission');
const scratch = join(root, 'scratch');
const key = join(root, 'key');
mkdirSync(submission);
mkdirSync(scratch);
mkdirSync(key);
writeFileSync(join(key, 'manifest.json'), '{"full_credit_mae": 0.4242}');

let server: Server;
let connections = 0;
let port = 0;
before(async () => {
  server = createServer((_req, res) => res.end('hello'));
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
after(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

/** Runs a script the way the grader runs its harness, and returns what it printed. */
function inSandbox(code: string): string {
  const script = join(submission, 'probe.js');
  writeFileSync(script, code);
  const tools = probeSandbox();
  const { command, args } = harnessCommand(tools, { harnessScript: script, readable: [submission], scratch, memoryMb: 256, cpuSeconds: 60 });
  const r = spawnSync(command, args, { cwd: scratch, env: {}, encoding: 'utf8', timeout: 30_000 });
  return `${r.stdout}${r.stderr}`;
}

describe('the sandbox a submission is graded in', () => {
  it('has network isolation on this machine (unshare as root)', () => {
    assert.equal(probeSandbox().isolation.ok, true);
  });

  it('reaches no network, not even a server on the host loopback', async () => {
    const out = inSandbox(`
      require('http').get('http://127.0.0.1:${port}/', () => console.log('CONNECTED'))
        .on('error', (e) => console.log('network error', e.code));`);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(out, /network error (ENETUNREACH|ECONNREFUSED)/);
    assert.doesNotMatch(out, /CONNECTED/);
    assert.equal(connections, 0);
  });

  it('cannot read the key, nor write outside its scratch folder', () => {
    const outside = join(root, 'outside.txt');
    const out = inSandbox(`
      const fs = require('fs');
      try { console.log('KEY', fs.readFileSync(${JSON.stringify(join(key, 'manifest.json'))}, 'utf8')); } catch (e) { console.log('read', e.code); }
      try { fs.writeFileSync(${JSON.stringify(outside)}, 'x'); console.log('WROTE'); } catch (e) { console.log('write', e.code); }
      fs.writeFileSync('scratch-ok.txt', 'x'); console.log('scratch ok');`);
    assert.match(out, /read ERR_ACCESS_DENIED/);
    assert.match(out, /write ERR_ACCESS_DENIED/);
    assert.match(out, /scratch ok/);
    assert.doesNotMatch(out, /0\.4242|WROTE/);
    assert.equal(existsSync(outside), false);
  });

  it('cannot start processes or workers, nor signal processes outside its own PID namespace', () => {
    const out = inSandbox(`
      try { require('child_process').spawnSync('id'); console.log('SPAWNED'); } catch (e) { console.log('spawn', e.code); }
      try { new (require('worker_threads').Worker)('1', { eval: true }); console.log('WORKER'); } catch (e) { console.log('worker', e.code); }
      try { process.kill(${process.pid}, 0); console.log('SEES PARENT'); } catch (e) { console.log('kill', e.code); }`);
    assert.match(out, /spawn ERR_ACCESS_DENIED/);
    assert.match(out, /worker ERR_ACCESS_DENIED/);
    assert.match(out, /kill ESRCH/);
  });

  it('is killed by the kernel once it used its CPU seconds, with no grader watching (an orphaned endless loop)', () => {
    const script = join(submission, 'spin.js');
    writeFileSync(script, 'for (;;) {}');
    const { command, args } = harnessCommand(probeSandbox(), { harnessScript: script, readable: [submission], scratch, memoryMb: 256, cpuSeconds: 1 });
    // The 30 s timeout is only the test's own guard: without the cap the loop would run until it.
    const r = spawnSync(command, args, { cwd: scratch, env: {}, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.error, undefined, 'the loop ran until the test gave up: no CPU cap');
    assert.notEqual(r.status, 0);
  });

  it('refuses to grade without network isolation unless the instructor opts out', () => {
    const tools = probeSandbox({ unsharePath: join(root, 'no-such-unshare') });
    assert.equal(tools.isolation.ok, false);
    assert.throws(() => refuseWithoutIsolation(tools, false), (err: unknown) => LabError.is(err) && /--allow-network-unsandboxed/.test(err.message));
    assert.doesNotThrow(() => refuseWithoutIsolation(tools, true));
  });
});
