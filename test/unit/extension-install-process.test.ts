/**
 * "Install Faster Backend" as the extension runs it: the real CLI (dist/cli.js, so `npm run build` first) as
 * a child process, followed through its JSON lines, and cancelled the way VS Code's progress notification
 * does. npm installs STAND-IN tarballs offline; nothing is downloaded.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { InstallEvent } from '../../protocol/install';
import { runInstallProcess } from '../../extension/native/installProcess';
import { offlineNpmEnv, packStandIn } from './native-stand-in';

const cliScript = join(__dirname, '..', '..', 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'install-process-'));
const env = offlineNpmEnv(work);

function cancelToken(): { fire(): void; onCancellationRequested(listener: () => void): void } {
  const listeners: (() => void)[] = [];
  return { fire: () => listeners.forEach((l) => l()), onCancellationRequested: (l) => listeners.push(l) };
}

describe('Install Faster Backend, through the CLI child process (STAND-IN packages, offline)', () => {
  after(() => rmSync(work, { recursive: true, force: true }));

  it('probe-only reports the verdict without installing anything', async () => {
    const into = join(work, 'probe');
    const events: InstallEvent[] = [];
    const code = await runInstallProcess({ nodePath: process.execPath, cliScript, flavour: undefined, into, env, onEvent: (e) => events.push(e), onStderr: () => {} });
    assert.equal(code, 0);
    const verdict = events.find((e) => e.method === 'install/gpu/verdict');
    assert.ok(verdict, 'a verdict event');
    assert.ok(!existsSync(join(into, 'node_modules')));
  });

  it('installs, streams npm output and finishes with where the trainer will find it', async () => {
    const into = join(work, 'ok');
    const tarball = packStandIn(work, 'ok');
    const events: InstallEvent[] = [];
    const code = await runInstallProcess({
      nodePath: process.execPath, cliScript, flavour: 'cpu', into, env, extraArgs: ['--from', tarball], onEvent: (e) => events.push(e), onStderr: () => {},
    });
    assert.equal(code, 0);
    assert.ok(events.some((e) => e.method === 'install/output'));
    const finish = events.find((e) => e.method === 'install/finish');
    assert.ok(finish && finish.method === 'install/finish');
    assert.equal(finish.params.location, into);
    assert.equal(finish.params.backend, 'tensorflow');
    assert.ok(existsSync(join(into, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json')));
  });

  it('cancel (SIGTERM to the CLI) stops npm and its install script and leaves nothing on the resolve path', async () => {
    const into = join(work, 'cancel');
    const pidFile = join(work, 'script.pid');
    const tarball = packStandIn(work, 'slow', `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setTimeout(() => {}, 120000);`);
    const token = cancelToken();
    const events: InstallEvent[] = [];
    const done = runInstallProcess({
      nodePath: process.execPath, cliScript, flavour: 'cpu', into, env, extraArgs: ['--from', tarball], cancel: token, onEvent: (e) => events.push(e), onStderr: () => {},
    });
    const deadline = Date.now() + 60_000;
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') {
      assert.ok(Date.now() < deadline, 'the install script never started');
      await new Promise((r) => setTimeout(r, 100));
    }
    token.fire();
    const code = await done;
    assert.equal(code, 130);
    const fail = events.find((e) => e.method === 'install/fail');
    assert.ok(fail && fail.method === 'install/fail' && fail.params.reason === 'cancelled');
    assert.ok(!existsSync(join(into, 'node_modules')));
    assert.deepEqual(readdirSync(into).filter((n) => n.startsWith('.')), [], 'no staging folder left');
  });
});
