import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { versions } from 'node:process';
import { z } from 'zod';
import { BACKENDS, PROFILES, SUBMODULES } from '../../protocol/messages';
import { writeTextAtomic } from '../checkpoint/atomicFile';

/**
 * A small record beside every result, so a number in a report can always be traced back to what produced
 * it and reproduced: seed, backend, its version and thread count, package versions, data checksum, and wall
 * time per unit of work (per experiment per epoch in Classification, per split in Regression).
 */
export const RunRecordSchema = z.object({
  submodule: z.enum(SUBMODULES),
  seed: z.number().int(),
  profile: z.enum(PROFILES),
  backend: z.enum(BACKENDS),
  backendVersion: z.string(),
  /** Threads the backend computes with; null where the native library picks (TensorFlow: one per core). */
  threads: z.object({ count: z.number().int().positive().nullable(), source: z.string() }),
  dataset: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** Seconds per unit of work, keyed by what the unit is (e.g. `A` → seconds of each epoch, `splits` → of each split). */
  timings: z.record(z.string(), z.array(z.number().nonnegative())),
  wallSeconds: z.number().nonnegative(),
  /** The submodule's own settings: training parameters, weights file, learner file, workers... */
  settings: z.record(z.string(), z.unknown()),
  node: z.string(),
  platform: z.string(),
  packages: z.record(z.string(), z.string()),
  writtenAt: z.string(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;
export type RunRecordFacts = Omit<RunRecord, 'node' | 'platform' | 'packages' | 'writtenAt'>;

export function writeRunRecord(outDir: string, facts: RunRecordFacts): string {
  const path = join(outDir, 'record.json');
  const record: RunRecord = {
    ...facts,
    node: versions.node,
    platform: `${process.platform}-${process.arch}`,
    packages: packageVersions(),
    writtenAt: new Date().toISOString(),
  };
  writeTextAtomic(path, `${JSON.stringify(RunRecordSchema.parse(record), null, 2)}\n`);
  return path;
}

/**
 * The run's thread count: what the backend ladder reported when it did (null: a native build sizes its own
 * pool), otherwise what the backend does by itself: tfjs-backend-wasm's stock setup is single-threaded under
 * Node (its multithread flag is off there), the cpu backend is plain JavaScript, and a native TensorFlow
 * uses one thread per core unless TF_NUM_INTRAOP_THREADS says otherwise.
 */
export function recordedThreads(reported: number | null): RunRecord['threads'] {
  if (reported !== null) return { count: reported, source: 'backend' };
  const intraOp = Number(process.env['TF_NUM_INTRAOP_THREADS']);
  return Number.isInteger(intraOp) && intraOp > 0
    ? { count: intraOp, source: 'TF_NUM_INTRAOP_THREADS' }
    : { count: null, source: "TensorFlow's own pool: one thread per core" };
}

// Filled in by the bundler from package.json (scripts/build.mjs `define`), so the record names exact versions.
declare const __PACKAGE_VERSIONS__: Record<string, string> | undefined;

function packageVersions(): Record<string, string> {
  if (typeof __PACKAGE_VERSIONS__ !== 'undefined') return __PACKAGE_VERSIONS__;
  // Running from source (tsx): the same packages, read from what is installed.
  const root = join(__dirname, '..', '..');
  const names = JSON.parse(readFileSync(join(root, 'scripts', 'recorded-packages.json'), 'utf8')) as string[];
  return Object.fromEntries(
    names
      .map((name) => join(root, 'node_modules', name, 'package.json'))
      .filter((file) => existsSync(file))
      .map((file) => {
        const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string };
        return [name, version];
      }),
  );
}
