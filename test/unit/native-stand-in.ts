/**
 * STAND-IN native TensorFlow.js packages for the installer tests. libtensorflow cannot be installed on these
 * machines (PLATFORM.md), and tests download nothing, so each test packs its own @tensorflow/tfjs-node with
 * `npm pack` and installs that tarball with npm in offline mode and an empty cache of its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NATIVE_VERSION } from '../../trainer/backend/native/requirements';

/** npm never reaches a network with this: offline mode and a cache that starts empty. */
export function offlineNpmEnv(work: string): NodeJS.ProcessEnv {
  return { npm_config_offline: 'true', npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
}

/**
 * Packs a STAND-IN @tensorflow/tfjs-node into `work` and returns the tarball's path. On require it registers
 * the cpu kernels under the native backend's name ("tensorflow"), as the real package does with
 * libtensorflow's. `installScript` becomes its scripts/install.js, the file the real package's install hook runs.
 */
export function packStandIn(work: string, label: string, installScript?: string): string {
  const dir = join(work, `stand-in-${label}`);
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: '@tensorflow/tfjs-node',
      version: NATIVE_VERSION,
      description: 'STAND-IN for tests: no libtensorflow inside',
      main: 'index.js',
      ...(installScript ? { scripts: { install: 'node scripts/install.js' } } : {}),
    }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `const tf = require(${JSON.stringify(require.resolve('@tensorflow/tfjs'))});
     const { MathBackendCPU } = require(${JSON.stringify(require.resolve('@tensorflow/tfjs-backend-cpu'))});
     tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
     for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
     module.exports = { ...tf, version: { ...tf.version, 'tfjs-node': '${NATIVE_VERSION}-stand-in' } };`,
  );
  if (installScript) writeFileSync(join(dir, 'scripts', 'install.js'), installScript);
  const out = join(work, 'tarballs', label);
  mkdirSync(out, { recursive: true });
  execFileSync('npm', ['pack', '--pack-destination', out], { cwd: dir, env: { ...process.env, ...offlineNpmEnv(work) }, stdio: 'ignore' });
  return join(out, readdirSync(out)[0]!);
}
