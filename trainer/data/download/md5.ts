import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';

/** Feeds a file (or its first `end` bytes) into `hash`, streaming, so a file of gigabytes costs no memory. */
export async function hashFile(path: string, hash: Hash, end?: number): Promise<Hash> {
  if (end === 0) return hash;
  for await (const chunk of createReadStream(path, end === undefined ? {} : { end: end - 1 })) hash.update(chunk as Buffer);
  return hash;
}

export async function fileMd5(path: string): Promise<string> {
  return (await hashFile(path, createHash('md5'))).digest('hex');
}

interface Md5Record {
  readonly size: number;
  readonly mtimeMs: number;
  readonly md5: string;
}

/** The sidecar beside a verified file; it remembers the MD5 of one size and modification time of the file. */
export function md5SidecarPath(path: string): string {
  return `${path}.md5.json`;
}

/**
 * The file's MD5, recomputed only when its size or modification time differ from the sidecar's: hashing a
 * 4 GB dataset takes tens of seconds, and it would otherwise happen on every run.
 */
export async function cachedFileMd5(path: string): Promise<string> {
  const { size, mtimeMs } = await stat(path);
  const known = await readSidecar(path);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return known.md5;
  const md5 = await fileMd5(path);
  await writeSidecar(path, { size, mtimeMs, md5 });
  return md5;
}

/** Records an MD5 computed elsewhere (e.g. while downloading) so the next run need not hash the file. */
export async function recordFileMd5(path: string, md5: string): Promise<void> {
  const { size, mtimeMs } = await stat(path);
  await writeSidecar(path, { size, mtimeMs, md5 });
}

async function readSidecar(path: string): Promise<Md5Record | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(md5SidecarPath(path), 'utf8'));
    if (isMd5Record(value)) return value;
  } catch {
    // A missing or unreadable sidecar only means the file is hashed again.
  }
  return undefined;
}

async function writeSidecar(path: string, record: Md5Record): Promise<void> {
  try {
    await writeFile(md5SidecarPath(path), `${JSON.stringify(record)}\n`);
  } catch {
    // A read-only cache folder still works; it is hashed on every run instead.
  }
}

function isMd5Record(value: unknown): value is Md5Record {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.size === 'number' && typeof r.mtimeMs === 'number' && typeof r.md5 === 'string';
}
