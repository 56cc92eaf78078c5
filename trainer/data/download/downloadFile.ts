import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { type IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LabError } from '../../core/labError';
import { hashFile } from './md5';
import { httpGet, RedirectError, StalledError } from './httpGet';

export interface DownloadOptions {
  readonly url: string;
  /** Final path; the bytes collect in `dest + '.part'` and are renamed into place once verified. */
  readonly dest: string;
  /** Expected MD5 (hex); a mismatch deletes the download. */
  readonly md5?: string;
  /** Aborting keeps the .part file, so the next call resumes. */
  readonly signal?: AbortSignal;
  /** Called per received chunk with the bytes on disk so far (resumed bytes included) and the full size when known. */
  readonly onProgress?: (bytes: number, total: number | undefined) => void;
  /** A connection that sends nothing for this long counts as dropped. */
  readonly idleTimeoutMs?: number;
}

export interface DownloadResult {
  readonly path: string;
  readonly bytes: number;
  readonly md5: string;
  /** Bytes that were already in the .part file and not downloaded again. */
  readonly resumedFrom: number;
}

const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Downloads `url` to `dest` with resume, MD5 verification and an atomic rename: `dest` either does not
 * exist or holds the complete, verified file. Every failure is a LabError whose message says whether the
 * partial file was kept and what to do next.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { dest, signal } = options;
  const part = `${dest}.part`;
  const url = new URL(options.url);
  await mkdir(dirname(dest), { recursive: true });
  const progress: Progress = { part, url, bytes: await sizeOf(part), total: undefined, resumedFrom: 0 };
  let hash: Hash;
  try {
    if (signal?.aborted) throw signal.reason;
    hash = await fetchInto(options, progress, true);
  } catch (err) {
    // What is on disk is what a rerun resumes from; chunks in flight when the transfer stopped are not in it.
    progress.bytes = await sizeOf(part);
    throw explain(err, options, progress);
  }
  const md5 = hash.digest('hex');
  if (options.md5 !== undefined && md5 !== options.md5.toLowerCase()) {
    await rm(part, { force: true });
    throw new LabError(
      'bad-data',
      `Downloaded ${url.href} but its MD5 is ${md5}, expected ${options.md5}. The download was deleted and nothing ` +
        `was put at ${dest}. Run again to retry; if the checksum is wrong again, the file on the server has changed: ` +
        `download it by hand, check it, and save it as ${dest}.`,
    );
  }
  await rename(part, dest);
  return { path: dest, bytes: progress.bytes, md5, resumedFrom: progress.resumedFrom };
}

interface Progress {
  part: string;
  url: URL;
  bytes: number;
  total: number | undefined;
  resumedFrom: number;
}

/**
 * Fills the .part file to the end, resuming when it can, and returns the MD5 state of the whole file.
 * `mayRestart` allows one fresh start when the server cannot continue the partial file.
 */
async function fetchInto(options: DownloadOptions, progress: Progress, mayRestart: boolean): Promise<Hash> {
  const { signal } = options;
  const resumeFrom = progress.bytes;
  // Hashing what is already there before asking keeps the connection from idling while gigabytes are read.
  const hash = resumeFrom > 0 ? await hashFile(progress.part, createHash('md5'), resumeFrom) : createHash('md5');
  const { response, url, cutReason } = await httpGet(progress.url, {
    headers: resumeFrom > 0 ? { range: `bytes=${resumeFrom}-` } : {},
    signal,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
  });
  progress.url = url;
  const status = response.statusCode ?? 0;
  const range = contentRange(response);
  const restart = async (): Promise<Hash> => {
    response.resume();
    if (!mayRestart) throw new Error(`the server answered HTTP ${status} to a request for the whole file`);
    await rm(progress.part, { force: true });
    progress.bytes = 0;
    return fetchInto(options, progress, false);
  };

  let append = false;
  if (status === 206 && range?.start === resumeFrom) {
    append = resumeFrom > 0;
    progress.total = range.total;
    progress.resumedFrom = resumeFrom;
  } else if (status === 416 && resumeFrom > 0) {
    // The .part file holds every byte already (a run stopped between the last byte and the rename), or it
    // is longer than the file and cannot be part of it.
    if (range?.total !== resumeFrom) return restart();
    response.resume();
    progress.total = resumeFrom;
    progress.resumedFrom = resumeFrom;
    return hash;
  } else if (status === 206) {
    return restart();
  } else if (status === 200) {
    // A server that ignores Range sends the whole file: start the .part over.
    progress.bytes = 0;
    const length = Number(response.headers['content-length']);
    progress.total = Number.isFinite(length) ? length : undefined;
  } else {
    response.resume();
    throw new HttpStatusError(status, response.statusMessage ?? '');
  }

  const hashed = append ? hash : createHash('md5');
  options.onProgress?.(progress.bytes, progress.total);
  try {
    await pipeline(
      response,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hashed.update(chunk);
          progress.bytes += chunk.length;
          options.onProgress?.(progress.bytes, progress.total);
          yield chunk;
        }
      },
      createWriteStream(progress.part, { flags: append ? 'a' : 'w' }),
      { signal },
    );
  } catch (err) {
    throw cutReason() ?? err;
  }
  if (progress.total !== undefined && progress.bytes < progress.total) {
    throw new PrematureEndError();
  }
  return hashed;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    statusText: string,
  ) {
    super(`HTTP ${status} ${statusText}`.trim());
  }
}

class PrematureEndError extends Error {
  constructor() {
    super('the server closed the connection before the end of the file');
  }
}

function contentRange(response: IncomingMessage): { start: number | undefined; total: number | undefined } | undefined {
  const match = /^bytes (?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(response.headers['content-range'] ?? '');
  if (!match) return undefined;
  return { start: match[1] === undefined ? undefined : Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

/** Turns whatever stopped the download into a message that says what happened to the bytes and what to do. */
function explain(err: unknown, options: DownloadOptions, progress: Progress): LabError {
  if (LabError.is(err)) return err;
  const { dest } = options;
  const { part, url } = progress;
  const of = progress.total === undefined ? `${progress.bytes} bytes` : `${progress.bytes} of ${progress.total} bytes`;
  const kept = progress.bytes > 0 ? `The partial file ${part} (${of}) was kept: run again to resume from there.` : '';
  const byHand = `download ${options.url} yourself (e.g. in a browser) and save it as ${dest}; the lab then uses it without downloading.`;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;

  if (options.signal?.aborted) return new LabError('cancelled', `Download of ${url.href} cancelled. ${kept}`.trim());
  if (err instanceof HttpStatusError) {
    const hint = err.status === 404 || err.status === 410 ? 'The file is not at that address.' : 'The server refused or failed the request; try again later.';
    return new LabError('bad-data', `Downloading ${url.href} failed: the server answered ${err.message}. ${hint} Or ${byHand}`);
  }
  if (code !== undefined && OFFLINE_CODES.has(code)) {
    return new LabError(
      'offline',
      [`Cannot reach ${url.host} (${code}): this computer seems to be offline, or the server is down.`, kept, `To install the file by hand, ${byHand}`]
        .filter(Boolean)
        .join(' '),
    );
  }
  if (code === 'ENOSPC') {
    const size = progress.total === undefined ? '' : ` The whole file needs ${progress.total} bytes.`;
    return new LabError(
      'disk-full',
      `The disk is full: writing ${part} failed after ${of} had arrived.${size} Nothing was lost: the partial file ` +
        `stays, so free some space and run again to resume, or choose a data folder on a larger disk.`,
    );
  }
  if (err instanceof RedirectError) return new LabError('bad-data', `Downloading failed: ${err.message}. Or ${byHand}`);
  const why = err instanceof StalledError || err instanceof PrematureEndError ? err.message : `${(err as Error).message}${code ? ` (${code})` : ''}`;
  return new LabError('bad-data', `The download of ${url.href} broke off after ${of}: ${why}. ${kept || `Run again, or ${byHand}`}`);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
