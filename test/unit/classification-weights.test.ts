import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LabError } from '../../trainer/core/labError';
import { cachedWeightsPath, resolveWeights } from '../../trainer/submodules/classification/weights';

const body = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 253));
const sha256 = createHash('sha256').update(body).digest('hex');
const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

interface Hub {
  url: string;
  requests: string[];
}

/**
 * Answers like the Hugging Face hub for an LFS file: the resolve address redirects to storage with
 * `x-linked-etag` (the SHA-256, quoted) on the redirect; storage sends the bytes.
 */
async function hub(etag: string | undefined): Promise<Hub> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === '/resolve/model.safetensors') {
      res.writeHead(302, { location: '/storage/blob', ...(etag ? { 'x-linked-etag': `"${etag}"` } : {}) });
      res.end();
    } else {
      res.writeHead(200, { 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/resolve/model.safetensors`, requests };
}

test('downloaded weights are checked against the SHA-256 the hub states, and the cache is then used without asking again', async () => {
  const server = await hub(sha256);
  const cacheDir = mkdtempSync(join(tmpdir(), 'cls-weights-'));
  const progress: number[] = [];
  const first = await resolveWeights({ cacheDir, url: server.url, pinnedSha256: null, onProgress: (bytes) => progress.push(bytes) });
  assert.deepEqual({ ...first }, { path: cachedWeightsPath(cacheDir), sha256, origin: 'download', verification: 'hub-sha256', url: server.url });
  assert.equal(progress.at(-1), body.length);
  const asked = server.requests.length;
  const again = await resolveWeights({ cacheDir, url: server.url, pinnedSha256: null });
  assert.equal(again.verification, 'hub-sha256');
  assert.equal(server.requests.length, asked, 'a verified cached file made a request');
});

test('a download whose SHA-256 differs from the hub\'s is deleted with a message naming both', async () => {
  const wrong = 'ab'.repeat(32);
  const server = await hub(wrong);
  const cacheDir = mkdtempSync(join(tmpdir(), 'cls-weights-'));
  await assert.rejects(resolveWeights({ cacheDir, url: server.url, pinnedSha256: null }), (err: unknown) => {
    assert.ok(LabError.is(err, 'bad-data'));
    assert.match(err.message, new RegExp(`SHA-256 is ${sha256}, expected ${wrong}`));
    return true;
  });
  assert.equal(existsSync(cachedWeightsPath(cacheDir)), false);
});

test('a pinned SHA-256 wins: a hub stating another one is refused before downloading', async () => {
  const server = await hub(sha256);
  const cacheDir = mkdtempSync(join(tmpdir(), 'cls-weights-'));
  await assert.rejects(resolveWeights({ cacheDir, url: server.url, pinnedSha256: 'cd'.repeat(32) }), /has changed/);
  assert.ok(server.requests.every((r) => r.startsWith('HEAD')), `downloaded anyway: ${server.requests}`);
  const pinned = await resolveWeights({ cacheDir, url: server.url, pinnedSha256: sha256 });
  assert.equal(pinned.verification, 'pinned-sha256');
});

test('without a stated SHA-256 the download is used but marked unverified, with a warning', async () => {
  const server = await hub(undefined);
  const cacheDir = mkdtempSync(join(tmpdir(), 'cls-weights-'));
  const warnings: string[] = [];
  const source = await resolveWeights({ cacheDir, url: server.url, pinnedSha256: null, log: (_level, message) => warnings.push(message) });
  assert.equal(source.verification, 'unverified-download');
  assert.equal(source.sha256, sha256);
  assert.match(warnings.join('\n'), /only the tensor names and shapes/);
});

test('a local weights file is used as it is, and a missing one is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cls-weights-'));
  const file = join(dir, 'mine.safetensors');
  writeFileSync(file, body);
  const source = await resolveWeights({ cacheDir: dir, weightsFile: file });
  assert.deepEqual({ ...source }, { path: file, sha256, origin: 'local-file', verification: 'local-file', url: null });
  await assert.rejects(resolveWeights({ cacheDir: dir, weightsFile: join(dir, 'nope.safetensors') }), /does not exist/);
});
