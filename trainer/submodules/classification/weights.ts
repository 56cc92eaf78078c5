/**
 * Where the ImageNet weights come from, and how much we know about them.
 *
 * `--weights FILE` uses a local torchvision-layout .safetensors as it is. Otherwise timm's copy of torchvision's
 * ResNet-18 (`resnet18.tv_in1k`, the tensors of `resnet18-f37072fd.pth` under the same names) is downloaded
 * from the Hugging Face hub into the cache. Its SHA-256 could not be looked up when this was written, so the
 * pinned hash is null; meanwhile the hub's own statement is used: for a file stored with Git LFS its answer
 * carries `x-linked-etag`, the SHA-256 of the content, which the download is checked against. In every case
 * loadTorchvisionWeights checks each tensor's name and shape before anything is trained.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { join } from 'node:path';
import { LabError } from '../../core/labError';
import { downloadFile } from '../../data/download/downloadFile';
import { hashFile } from '../../data/download/md5';

export const IMAGENET_WEIGHTS_URL = 'https://huggingface.co/timm/resnet18.tv_in1k/resolve/main/model.safetensors';

/**
 * The SHA-256 of IMAGENET_WEIGHTS_URL's file, to be filled in from a machine with internet access (see
 * docs/classification.md). While null, the hub's x-linked-etag is the reference.
 */
export const PINNED_IMAGENET_SHA256: string | null = null;

/** How a weights file's identity was established. */
export type WeightsVerification = 'pinned-sha256' | 'hub-sha256' | 'unverified-download' | 'local-file';

export interface WeightsSource {
  readonly path: string;
  readonly sha256: string;
  readonly origin: 'local-file' | 'download';
  readonly verification: WeightsVerification;
  readonly url: string | null;
}

export interface ResolveWeightsOptions {
  /** A local file chosen by the user; nothing is downloaded. */
  readonly weightsFile?: string;
  readonly cacheDir: string;
  /** Defaults to IMAGENET_WEIGHTS_URL; a test points it at a loopback server. */
  readonly url?: string;
  readonly pinnedSha256?: string | null;
  readonly onProgress?: (bytes: number, total: number | undefined) => void;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

/** The cache sidecar: what was verified, for one size and modification time of the file. */
interface WeightsRecord {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
  readonly verification: WeightsVerification;
  readonly url: string;
}

export function cachedWeightsPath(cacheDir: string): string {
  return join(cacheDir, 'weights', 'resnet18.tv_in1k.safetensors');
}

export async function resolveWeights(options: ResolveWeightsOptions): Promise<WeightsSource> {
  if (options.weightsFile) {
    if (!existsSync(options.weightsFile)) throw new LabError('bad-request', `--weights: ${options.weightsFile} does not exist.`);
    return { path: options.weightsFile, sha256: await sha256Of(options.weightsFile), origin: 'local-file', verification: 'local-file', url: null };
  }
  const url = options.url ?? IMAGENET_WEIGHTS_URL;
  const pinned = options.pinnedSha256 === undefined ? PINNED_IMAGENET_SHA256 : options.pinnedSha256;
  const path = cachedWeightsPath(options.cacheDir);
  const known = await readRecord(path);
  if (known && known.url === url && (pinned === null || known.sha256 === pinned)) {
    return { path, sha256: known.sha256, origin: 'download', verification: known.verification, url };
  }

  const hubSha256 = await linkedEtag(url);
  if (pinned !== null && hubSha256 !== undefined && hubSha256 !== pinned) {
    throw new LabError('bad-data', `${url} now has SHA-256 ${hubSha256}, not the pinned ${pinned}: the file on the hub has changed. Check it, then update PINNED_IMAGENET_SHA256, or pass --weights with a file you trust.`);
  }
  const expected = pinned ?? hubSha256;
  await downloadFile({ url, dest: path, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const sha256 = await sha256Of(path);
  if (expected !== undefined && sha256 !== expected) {
    await rm(path, { force: true });
    throw new LabError('bad-data', `Downloaded ${url} but its SHA-256 is ${sha256}, expected ${expected}; the download was deleted. Run again to retry, or pass --weights with a file you trust.`);
  }
  const verification: WeightsVerification = pinned !== null ? 'pinned-sha256' : expected !== undefined ? 'hub-sha256' : 'unverified-download';
  if (verification === 'unverified-download') {
    options.log?.('warn', `${url}: the hub sent no SHA-256 (x-linked-etag) and none is pinned, so only the tensor names and shapes of the download are checked (SHA-256 ${sha256}).`);
  }
  const { size, mtimeMs } = await stat(path);
  await writeRecord(path, { size, mtimeMs, sha256, verification, url });
  return { path, sha256, origin: 'download', verification, url };
}

/**
 * The hub answers a request for an LFS file with a redirect to its storage, carrying `x-linked-etag` (the
 * content's SHA-256, quoted). Asked with HEAD and without following the redirect, so nothing is downloaded.
 * Undefined when the header is missing or the hub cannot be reached (the download then says why).
 */
async function linkedEtag(url: string, timeoutMs = 15_000): Promise<string | undefined> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(target, { method: 'HEAD' }, (response) => {
      response.resume();
      const value = response.headers['x-linked-etag'];
      const etag = (Array.isArray(value) ? value[0] : value)?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
      resolve(etag && /^[0-9a-f]{64}$/.test(etag) ? etag : undefined);
    });
    request.on('error', () => resolve(undefined));
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timed out')));
    request.end();
  });
}

async function sha256Of(path: string): Promise<string> {
  return (await hashFile(path, createHash('sha256'))).digest('hex');
}

function recordPath(path: string): string {
  return `${path}.sha256.json`;
}

async function readRecord(path: string): Promise<WeightsRecord | undefined> {
  try {
    const [record, info] = await Promise.all([readFile(recordPath(path), 'utf8'), stat(path)]);
    const value = JSON.parse(record) as Partial<WeightsRecord>;
    // A file changed since it was verified (same name, other bytes) is verified again.
    if (value.size === info.size && value.mtimeMs === info.mtimeMs && typeof value.sha256 === 'string' && typeof value.url === 'string' && value.verification) {
      return value as WeightsRecord;
    }
  } catch {
    // No file, no record, or an unreadable one: download and verify again.
  }
  return undefined;
}

async function writeRecord(path: string, record: WeightsRecord): Promise<void> {
  await writeFile(recordPath(path), `${JSON.stringify(record, null, 2)}\n`);
}
