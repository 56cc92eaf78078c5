/**
 * Copies a submission into the grader's work folder before anything reads it. Only regular files and
 * folders are copied: Node's permission model follows symbolic links, so a link planted in a submission
 * (to the key, say) would otherwise be a way out of the folder the harness may read.
 */
import { copyFileSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const MAX_FILES = 200;
const MAX_BYTES = 20 * 1024 * 1024;

export interface StagedSubmission {
  folder: string;
  /** Entries left out and why, for the instructor's report. */
  skipped: string[];
}

export function stageSubmission(source: string, target: string): StagedSubmission {
  const skipped: string[] = [];
  let files = 0;
  let bytes = 0;
  const copy = (from: string, to: string, rel: string): void => {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from).sort()) {
      const path = join(from, name);
      const relPath = rel ? `${rel}/${name}` : name;
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        if (name === 'node_modules' || name.startsWith('.')) skipped.push(`${relPath}/ (not needed for grading)`);
        else copy(path, join(to, name), relPath);
      } else if (!stat.isFile()) {
        skipped.push(`${relPath} (${stat.isSymbolicLink() ? 'symbolic link' : 'not a regular file'})`);
      } else if (files >= MAX_FILES || bytes + stat.size > MAX_BYTES) {
        skipped.push(`${relPath} (over the ${MAX_FILES}-file / ${MAX_BYTES / 1024 / 1024} MB submission limit)`);
      } else {
        copyFileSync(path, join(to, name));
        files++;
        bytes += stat.size;
      }
    }
  };
  copy(source, target, '');
  return { folder: target, skipped };
}
