/**
 * The native-backend installer, offline: every package installed here is a STAND-IN for @tensorflow/tfjs-node
 * that the test writes and packs with `npm pack`, and npm runs with `offline` set and an empty cache, so
 * nothing is downloaded. libtensorflow itself cannot be installed on these machines (PLATFORM.md).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeInstallEvent, type InstallEvent } from '../../protocol/install';
import { selectBackend } from '../../trainer/backend/ladder';
import { installNativeBackend, type InstallOptions } from '../../trainer/backend/native/install';
import { explainLoadFailure, explainNpmFailure } from '../../trainer/backend/native/installFailure';
import { NATIVE_VERSION } from '../../trainer/backend/native/requirements';
import { activeNamespace } from '../../trainer/backend/tf';
import { runInstallBackendCommand } from '../../trainer/cli/installBackendCommand';
import { nativeSearchPaths } from '../../trainer/run/paths';
import {
  FAKE_TF_STDERR_NO_CUDA,
  NPM_DISK_FULL,
  NPM_LIBTENSORFLOW_DOWNLOAD_FAILED,
  NPM_OFFLINE_NOT_CACHED,
  NPM_REGISTRY_NOT_FOUND,
  NPM_REGISTRY_REFUSED,
} from './native-fixtures';
import { offlineNpmEnv, packStandIn as makeStandIn } from './native-stand-in';

const root = join(__dirname, '..', '..');
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const work = mkdtempSync(join(tmpdir(), 'native-install-'));
const OFFLINE = offlineNpmEnv(work);

const packStandIn = (label: string, installScript?: string): string => makeStandIn(work, label, installScript);

function install(into: string, spec: string, extra: Partial<InstallOptions> = {}): { events: InstallEvent[]; done: ReturnType<typeof installNativeBackend> } {
  const events: InstallEvent[] = [];
  const done = installNativeBackend({ flavour: 'cpu', into, spec, env: OFFLINE, onEvent: (e) => events.push(e), ...extra });
  return { events, done };
}

/** Gone, or a zombie waiting for init to reap it (it no longer runs). */
async function exited(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    if (stat === '' || / Z /.test(stat.slice(stat.lastIndexOf(')')))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const leftovers = (into: string): string[] => readdirSync(into).filter((n) => n.startsWith('.staging-') || n.startsWith('.previous-'));

describe('installing the native backend (offline, STAND-IN packages)', () => {
  let good: string;
  before(() => {
    good = packStandIn('good');
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
    // Leave the bundled namespace active for whatever runs next in this process.
    void selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
  });

  it('installs the package, checks it loads in a child process, moves it into place, and the ladder then selects it', async () => {
    const into = join(work, 'storage-good');
    const { events, done } = install(into, good);
    const outcome = await done;
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.backend, 'tensorflow');
    assert.equal(outcome.version, `${NATIVE_VERSION}-stand-in`);
    assert.equal(outcome.device, 'cpu');
    const stages = events.flatMap((e) => (e.method === 'install/stage' ? [e.params.stage] : []));
    assert.deepEqual(stages, ['download', 'check', 'activate']);
    assert.ok(events.some((e) => e.method === 'install/output'), 'npm output is streamed line by line');
    assert.ok(existsSync(join(into, 'node_modules', '@tensorflow', 'tfjs-node', 'index.js')));
    assert.deepEqual(leftovers(into), []);

    const selected = await selectBackend({ choice: 'auto', searchPaths: [into], wasmDir, nvidiaProcFile: join(into, 'no-driver') });
    assert.equal(selected.backend, 'node');
    assert.match(selected.ladder.find((r) => r.backend === 'node')!.reason, new RegExp(`loaded from ${into}`));
    assert.equal(activeNamespace().getBackend(), 'tensorflow');
  });

  it('a failing install script (the real libtensorflow download error) is explained and leaves the working install in place', async () => {
    const into = join(work, 'storage-keep');
    assert.ok((await install(into, good).done).ok);
    // The stand-in's install script prints what tfjs-node's printed on this machine, then fails the same way.
    const printed = NPM_LIBTENSORFLOW_DOWNLOAD_FAILED.split('\n').filter((l) => !l.startsWith('npm ') && !l.startsWith('> ')).join('\n');
    const broken = packStandIn('libtensorflow-fails', `process.stdout.write(${JSON.stringify(printed)}); process.exit(1);`);
    const outcome = await install(into, broken).done;
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.reason, 'libtensorflow-download');
    assert.match(outcome.failure.message, /could not download libtensorflow .* from storage\.googleapis\.com \(getaddrinfo ENOTFOUND storage\.googleapis\.com\)/);
    assert.match(outcome.failure.message, /TFJS_NODE_CDN_STORAGE/);
    // The earlier, working install is untouched: the ladder still finds it.
    assert.match(readFileSync(join(into, 'node_modules', '@tensorflow', 'tfjs-node', 'index.js'), 'utf8'), /stand-in/);
    assert.deepEqual(leftovers(into), []);
  });

  it('cancel kills npm and its install script, and leaves no module on the resolve path', async () => {
    const into = join(work, 'storage-cancel');
    const pidFile = join(work, 'install-script.pid');
    const slow = packStandIn('slow', `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setTimeout(() => {}, 120000);`);
    const controller = new AbortController();
    const { done } = install(into, slow, { signal: controller.signal });
    const deadline = Date.now() + 60_000;
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') {
      assert.ok(Date.now() < deadline, 'the install script never started');
      await new Promise((r) => setTimeout(r, 100));
    }
    const scriptPid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    const outcome = await done;
    assert.ok(!outcome.ok && outcome.cancelled);
    assert.equal(outcome.failure.reason, 'cancelled');
    assert.ok(await exited(scriptPid), 'the install script (a grandchild of the installer) was killed too');
    assert.ok(!existsSync(join(into, 'node_modules')), 'nothing on the resolve path');
    assert.deepEqual(leftovers(into), []);
  });

  it('npm missing is said in words', async () => {
    const outcome = await install(join(work, 'storage-no-npm'), good, { npmCommand: join(work, 'no-such-npm') }).done;
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.reason, 'npm-missing');
    assert.match(outcome.failure.message, /needs npm, which comes with Node\.js/);
  });

  it('biomed-lab install-backend --json prints the probe verdict, progress and the result as protocol lines', async () => {
    const into = join(work, 'storage-cli');
    const stdout: string[] = [];
    const stderr: string[] = [];
    const saved = { ...process.env };
    Object.assign(process.env, OFFLINE);
    let code: number;
    try {
      code = await runInstallBackendCommand(
        ['--cpu', '--into', into, '--from', good, '--json'],
        { stdout: { write: (t: string) => stdout.push(t) }, stderr: { write: (t: string) => stderr.push(t) } },
        // A FAKE machine without NVIDIA tools: the probe must not depend on this host.
        { probeHost: { run: async () => undefined, readFile: async () => undefined, listDir: async () => [], libraryPath: undefined } },
      );
    } finally {
      for (const key of Object.keys(OFFLINE)) if (!(key in saved)) delete process.env[key];
    }
    assert.equal(code, 0, stderr.join(''));
    const events = stdout.join('').split('\n').filter(Boolean).map((line) => decodeInstallEvent(line));
    assert.ok(events.every((e) => e !== undefined), 'every line is a valid install event');
    const methods = events.map((e) => e!.method);
    assert.equal(methods[0], 'install/stage');
    assert.equal(methods[1], 'install/gpu/verdict');
    const finish = events.at(-1)!;
    assert.equal(finish.method, 'install/finish');
    assert.deepEqual(finish.method === 'install/finish' && { pkg: finish.params.package, location: finish.params.location }, { pkg: '@tensorflow/tfjs-node', location: into });
  });
});

describe('why an install failed, from real npm output (recorded on this machine)', () => {
  it('registry name lookup failed: looks offline', () => {
    const f = explainNpmFailure(NPM_REGISTRY_NOT_FOUND, 'cpu');
    assert.equal(f.reason, 'registry-unreachable');
    assert.match(f.message, /could not reach http:\/\/registry\.invalid: the name could not be looked up \(ENOTFOUND\), so this machine looks offline/);
  });

  it('registry refused the connection: a firewall or proxy', () => {
    const f = explainNpmFailure(NPM_REGISTRY_REFUSED, 'gpu');
    assert.equal(f.reason, 'registry-unreachable');
    assert.match(f.message, /could not reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\): a firewall or proxy/);
  });

  it("npm's offline mode without the package cached", () => {
    const f = explainNpmFailure(NPM_OFFLINE_NOT_CACHED, 'cpu');
    assert.equal(f.reason, 'offline');
    assert.match(f.message, /offline mode and @tensorflow\/tfjs-node is not in its cache/);
  });

  it('libtensorflow download failed in the install script (not mistaken for the registry being down)', () => {
    const f = explainNpmFailure(NPM_LIBTENSORFLOW_DOWNLOAD_FAILED, 'cpu');
    assert.equal(f.reason, 'libtensorflow-download');
    assert.match(f.message, /npm fetched @tensorflow\/tfjs-node, but its install script could not download libtensorflow/);
    assert.match(f.message, /https:\/\/storage\.googleapis\.com\/tensorflow\/libtensorflow\/libtensorflow-cpu-linux-x86_64-2\.9\.1\.tar\.gz/);
  });

  it('disk full', () => {
    const f = explainNpmFailure(NPM_DISK_FULL, 'gpu');
    assert.equal(f.reason, 'disk-full');
    assert.match(f.message, /The disk is full: npm could not finish installing @tensorflow\/tfjs-node-gpu/);
  });

  it('the GPU build loading without CUDA 11 (FAKE libtensorflow stderr): CUDA mismatch, and what to do', () => {
    const f = explainLoadFailure(FAKE_TF_STDERR_NO_CUDA, 'gpu');
    assert.equal(f.reason, 'cuda-mismatch');
    assert.match(f.message, /could not load libcudart\.so\.11\.0: it needs CUDA 11\.2 and cuDNN 8\.1/);
  });

  it("anything else keeps npm's own words", () => {
    const f = explainNpmFailure('npm error code EWEIRD\nnpm error something odd happened\n', 'cpu');
    assert.equal(f.reason, 'unknown');
    assert.match(f.message, /\(EWEIRD\): something odd happened/);
  });
});

describe('where the trainer looks for a native build', () => {
  it('the native build matches the bundled tfjs version', () => {
    const tfjs = JSON.parse(readFileSync(join(root, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')) as { version: string };
    assert.equal(NATIVE_VERSION, tfjs.version);
  });

  it("BIOMED_LAB_NATIVE_DIR (the extension's storage) is searched first", () => {
    const saved = process.env['BIOMED_LAB_NATIVE_DIR'];
    process.env['BIOMED_LAB_NATIVE_DIR'] = '/storage/native';
    try {
      assert.equal(nativeSearchPaths()[0], '/storage/native');
    } finally {
      if (saved === undefined) delete process.env['BIOMED_LAB_NATIVE_DIR'];
      else process.env['BIOMED_LAB_NATIVE_DIR'] = saved;
    }
  });
});
