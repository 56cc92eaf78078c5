/**
 * What the e2e run was handed by scripts/e2e/run.mjs: the code-server it installed and the .vsix it packaged.
 * Tests read them from the environment so the install logic stays in one place (the install script).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');

export interface E2eEnv {
  codeServer: string;
  vsix: string;
  /** Screenshots and logs for humans to look at after a run; gitignored. */
  outputDir: string;
  /** The bundled mocha tests for the extension host (scripts/e2e/build-integration.mjs). */
  integrationTests: string;
}

export function e2eEnv(): E2eEnv {
  const codeServer = required('BIOMED_E2E_CODE_SERVER');
  const vsix = process.env['BIOMED_E2E_VSIX'] ?? join(repoRoot, 'dist', 'biomed-dl-lab.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run test:e2e\`, which packages the extension first`);
  return { codeServer, vsix, outputDir: join(repoRoot, '.test-output', 'e2e'), integrationTests: join(repoRoot, 'out', 'integration', 'index.js') };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value || !existsSync(value)) {
    throw new Error(`${name} is not set to an existing file: run the e2e tests through \`npm run test:e2e\`, which installs code-server`);
  }
  return value;
}
