// `npm run test:e2e`: packages the extension, makes sure code-server and chromium are installed, then runs
// test/e2e/*.e2e.ts with Node's test runner, one scenario at a time (each drives a whole VS Code on 2 cores),
// all in one process. Prints how long each phase took. Extra arguments name the scenario files to run.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', options.capture ? 'pipe' : 'inherit', 'inherit'], env: options.env ?? process.env });
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`))));
  });
}

async function phase(name, work) {
  const start = performance.now();
  try {
    return await work();
  } finally {
    console.log(`[e2e timing] ${name}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
}

const total = performance.now();
// The tests install a copy: a build started meanwhile (npm test, a watcher) empties dist/.
const vsixDir = mkdtempSync(join(tmpdir(), 'biomed-e2e-vsix-'));
const vsix = join(vsixDir, 'biomed-dl-lab.vsix');
try {
  await phase('package .vsix', async () => {
    await run('npm', ['run', '--silent', 'package']);
    copyFileSync(join(root, 'dist', 'biomed-dl-lab.vsix'), vsix);
  });
  await phase('bundle integration tests', () => run(process.execPath, ['scripts/e2e/build-integration.mjs'], { capture: true }));
  const installed = await phase('install code-server', () => run('bash', ['scripts/e2e/install-code-server.sh'], { capture: true }));
  const codeServer = installed.trim().split('\n').pop();
  const extra = process.argv.slice(2);
  const files = extra.length > 0 ? extra : readdirSync(join(root, 'test', 'e2e')).filter((f) => f.endsWith('.e2e.ts')).map((f) => join('test', 'e2e', f));
  await phase('scenarios', () =>
    run(process.execPath, ['--import', 'tsx', 'test/e2e/harness/runScenarios.ts', ...files], {
      env: { ...process.env, BIOMED_E2E_CODE_SERVER: codeServer, BIOMED_E2E_VSIX: vsix },
    }),
  );
} catch (err) {
  console.error(`[e2e] ${err.message}`);
  process.exitCode = 1;
} finally {
  rmSync(vsixDir, { recursive: true, force: true });
  console.log(`[e2e timing] total: ${((performance.now() - total) / 1000).toFixed(1)} s`);
}
