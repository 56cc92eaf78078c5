/**
 * Runs the given scenario files in this one process, in order. `node --test` would start a process per file
 * and compile the harness again in each (about 6 s a file on 2 cores); node:test still runs the tests one at a
 * time, reports TAP and sets the exit code.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

async function importAll(files: readonly string[]): Promise<void> {
  for (const file of files) await import(pathToFileURL(resolve(file)).href);
}

importAll(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`[e2e] a scenario file did not load: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
