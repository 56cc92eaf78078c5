import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { diskFullError } from '../core/labError';

/**
 * Writes `path` so that a reader, or a process killed mid-write, only ever sees the previous complete file or
 * the new complete file: the bytes go to a temporary file beside it, are flushed to disk, and the temporary
 * file is renamed over the target (rename within one folder is atomic on POSIX and NTFS).
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): void {
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) written += writeSync(fd, chunk, written, chunk.length - written);
    }
    // Without the flush, a power cut after the rename could leave a renamed but empty file.
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    // Named after the file the caller asked for: the temporary name would mean nothing to the learner.
    throw diskFullError(err, path) ?? err;
  }
  closeSync(fd);
  renameSync(temporary, path);
  syncFolder(dirname(path));
}

/** The rename lives in the folder's entry list: until that is flushed, a power cut can bring back the old name. */
function syncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems (and Windows, where a folder cannot be opened for fsync) refuse; the rename still stands.
  } finally {
    closeSync(fd);
  }
}

export function writeTextAtomic(path: string, text: string): void {
  writeFileAtomic(path, [Buffer.from(text, 'utf8')]);
}
