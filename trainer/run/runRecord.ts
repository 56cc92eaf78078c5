import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { versions } from 'node:process';

/**
 * A small record beside every result, so a number in a report can always be traced back to what produced
 * it: seed, backend and its version, data checksum, package versions, wall time.
 */
export function writeRunRecord(outDir: string, facts: Record<string, unknown>): string {
  const path = join(outDir, 'record.json');
  const record = {
    ...facts,
    node: versions.node,
    platform: `${process.platform}-${process.arch}`,
    packages: PACKAGE_VERSIONS,
    writtenAt: new Date().toISOString(),
  };
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

// Filled in by the bundler from package.json (scripts/build.mjs `define`), so the record names exact versions.
declare const __PACKAGE_VERSIONS__: Record<string, string> | undefined;
const PACKAGE_VERSIONS: Record<string, string> = typeof __PACKAGE_VERSIONS__ === 'undefined' ? {} : __PACKAGE_VERSIONS__;
