/**
 * Loads a freshly installed native build in a separate Node process and reports its backend. A separate
 * process because libtensorflow, once loaded, cannot be unloaded, and a crash in it (a wrong CUDA library
 * aborts the process) must not take the CLI or the extension host with it.
 */
import { spawn } from 'node:child_process';
import { explainLoadFailure, gpuLibrariesMissing, type InstallFailure } from './installFailure';
import { NATIVE_PACKAGE, type NativeFlavour } from './requirements';

export type LoadCheck =
  | { ok: true; backend: string; version: string; device: 'gpu' | 'cpu'; note: string | undefined; stderr: string }
  | { ok: false; failure: InstallFailure; stderr: string };

// Runs inside the child: resolve the package from the staging folder only (as the ladder would from the
// final one), select its backend, and run one op so libtensorflow creates its devices and says which.
const CHECK_SCRIPT = `
const { createRequire } = require('node:module');
const { join } = require('node:path');
const [dir, name, versionKey] = process.argv.slice(1);
(async () => {
  const tf = createRequire(join(dir, 'noop.js'))(name);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend("tensorflow") returned false');
  await tf.ready();
  tf.tensor([1, 2, 3]).square().dataSync();
  const version = (tf.version && tf.version[versionKey]) || tf.version_core;
  process.stdout.write(JSON.stringify({ backend: tf.getBackend(), version }) + '\\n');
})().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + '\\n');
  process.exit(1);
});
`;

export interface LoadCheckOptions {
  /** The folder whose node_modules holds the package. */
  dir: string;
  flavour: NativeFlavour;
  /** The Node executable; inside VS Code that is Electron, run as Node. */
  nodePath: string;
  timeoutMs?: number;
}

export function checkNativeLoads(options: LoadCheckOptions): Promise<LoadCheck> {
  const name = NATIVE_PACKAGE[options.flavour];
  const versionKey = name.replace('@tensorflow/', '');
  return new Promise((resolve) => {
    // TF_CPP_MIN_LOG_LEVEL 0: libtensorflow's "Could not load dynamic library" warnings are how a missing
    // CUDA shows, and tfjs-node hides warnings by default.
    const child = spawn(options.nodePath, ['-e', CHECK_SCRIPT, options.dir, name, versionKey], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', TF_CPP_MIN_LOG_LEVEL: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, failure: { reason: 'load-failed', message: `Could not start Node to check the install: ${err.message}` }, stderr });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      const parsed = code === 0 ? parseResult(line) : undefined;
      if (!parsed) {
        const why = signal ? `${stderr}\nthe check was stopped by ${signal}` : stderr;
        resolve({ ok: false, failure: explainLoadFailure(why, options.flavour), stderr });
        return;
      }
      resolve({ ok: true, ...parsed, ...deviceOf(stderr, options.flavour), stderr });
    });
  });
}

function parseResult(line: string): { backend: string; version: string } | undefined {
  try {
    const value = JSON.parse(line) as { backend?: unknown; version?: unknown };
    return typeof value.backend === 'string' && typeof value.version === 'string' ? { backend: value.backend, version: value.version } : undefined;
  } catch {
    return undefined;
  }
}

/** The GPU build says on stderr whether it found its GPU; the CPU build always computes on the CPU. */
function deviceOf(stderr: string, flavour: NativeFlavour): { device: 'gpu' | 'cpu'; note: string | undefined } {
  if (flavour === 'cpu') return { device: 'cpu', note: undefined };
  if (/Created (?:TensorFlow )?device .*device:GPU:\d/.test(stderr)) return { device: 'gpu', note: undefined };
  if (gpuLibrariesMissing(stderr)) return { device: 'cpu', note: explainLoadFailure(stderr, flavour).message };
  return { device: 'cpu', note: 'The GPU build loaded but TensorFlow did not report a GPU device, so it computes on the CPU.' };
}
