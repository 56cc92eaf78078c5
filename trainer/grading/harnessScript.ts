/**
 * Finds the harness bundle the sandbox runs. A build ships it beside the CLI as dist/grade-harness.js;
 * from the sources (tests, `tsx`) it is bundled once per grader process into a private folder. Either way
 * it is one self-contained file, so the harness's read permission can name exactly that file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

export const HARNESS_BUNDLE = 'grade-harness.js';

let built: Promise<string> | undefined;

export function harnessScript(): Promise<string> {
  const shipped = join(__dirname, HARNESS_BUNDLE);
  if (existsSync(shipped)) return Promise.resolve(shipped);
  built ??= buildFromSource();
  return built;
}

async function buildFromSource(): Promise<string> {
  const source = join(__dirname, 'harness', 'main.ts');
  if (!existsSync(source)) throw new Error(`the grading harness is missing: neither ${join(__dirname, HARNESS_BUNDLE)} nor ${source} exists`);
  const dir = mkdtempSync(join(tmpdir(), 'biomed-lab-harness-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, HARNESS_BUNDLE);
  await esbuild.build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}
