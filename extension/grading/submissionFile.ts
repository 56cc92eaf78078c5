/**
 * Which file "Open submission" opens. The name comes from the page, so it is accepted only as one of the
 * graded rows and as a single folder name inside the submissions folder: a crafted message cannot open
 * anything else.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const DEFAULT_ENTRY = 'challenge.ts';

export function submissionFile(submissionsDir: string, name: string, entry: string, graded: readonly string[]): string | undefined {
  if (!graded.includes(name) || name === '.' || name === '..' || /[\\/]/.test(name)) return undefined;
  const file = resolve(submissionsDir, name, entry);
  const inside = relative(resolve(submissionsDir), file);
  return inside && !inside.startsWith(`..${sep}`) && inside !== '..' ? file : undefined;
}

/** The challenge file's name inside each submission, as the key's manifest says (the grader validates the rest). */
export function keyEntry(keyDir: string): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(keyDir, 'manifest.json'), 'utf8'));
    const entry = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>)['entry'] : undefined;
    return typeof entry === 'string' && entry.length > 0 && !/[\\/]/.test(entry) ? entry : DEFAULT_ENTRY;
  } catch {
    return DEFAULT_ENTRY;
  }
}
