import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../../core/labError';
import { downloadFile } from '../download/downloadFile';
import { cachedFileMd5, recordFileMd5 } from '../download/md5';
import { type MedmnistFlag, type MedmnistSize } from './catalog';
import { medmnistFileName, publishedFile } from './published';

export interface EnsureOptions {
  readonly onProgress?: (bytes: number, total: number | undefined) => void;
  readonly signal?: AbortSignal;
  /** Fetch from here instead of the catalog's Zenodo address (a mirror); the catalog's MD5 still applies. */
  readonly url?: string;
  readonly idleTimeoutMs?: number;
}

/** Where the cache keeps a MedMNIST file: `<cacheDir>/medmnist/<file>`, which is also where to put it by hand. */
export function medmnistCachePath(cacheDir: string, flag: MedmnistFlag, size: MedmnistSize): string {
  return join(cacheDir, 'medmnist', medmnistFileName(flag, size));
}

/**
 * The path of a verified copy of the dataset file, downloading it only when the cache has none or its
 * MD5 is not the catalog's. A file with the wrong MD5 stays until a good download replaces it in one rename.
 */
export async function ensureMedmnist(flag: MedmnistFlag, size: MedmnistSize, cacheDir: string, options: EnsureOptions = {}): Promise<string> {
  const source = publishedFile(flag, size);
  const path = medmnistCachePath(cacheDir, flag, size);
  let staleMd5: string | undefined;
  if (await exists(path)) {
    const md5 = await cachedFileMd5(path);
    if (md5 === source.md5) return path;
    staleMd5 = md5;
  }
  try {
    const result = await downloadFile({ ...options, url: options.url ?? source.url, dest: path, md5: source.md5 });
    await recordFileMd5(path, result.md5);
    return path;
  } catch (err) {
    if (staleMd5 === undefined || !LabError.is(err) || err.code === 'cancelled') throw err;
    throw new LabError(
      err.code,
      `${path} has MD5 ${staleMd5}, not the expected ${source.md5} (it is damaged, or another version), so a fresh copy was fetched, which failed. ${err.message}`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
