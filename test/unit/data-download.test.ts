import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LabError } from '../../trainer/core/labError';
import { downloadFile } from '../../trainer/data/download/downloadFile';
import { md5SidecarPath } from '../../trainer/data/download/md5';
import { MEDMNIST } from '../../trainer/data/medmnist/catalog';
import { ensureMedmnist, medmnistCachePath } from '../../trainer/data/medmnist/ensure';

const BREAST = join(__dirname, '../../../shared/data/breastmnist.npz');
const BREAST_MD5 = MEDMNIST.breastmnist.files[28]!.md5;
const dir = mkdtempSync(join(tmpdir(), 'biomed-download-'));
const body = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 131 + (i >> 9)) % 251));
const bodyMd5 = md5(body);
let destNumber = 0;

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

function freshDest(): string {
  return join(dir, `case-${++destNumber}`, 'file.npz');
}

type Handler = (req: IncomingMessage, res: ServerResponse, requestNumber: number) => void;

interface TestServer {
  readonly url: (path?: string) => string;
  readonly ranges: (string | undefined)[];
}

const servers: Server[] = [];
after(() => {
  servers.forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

/** A loopback HTTP server whose behaviour each test scripts; it records the Range header of every request. */
async function serve(handler: Handler): Promise<TestServer> {
  const ranges: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    ranges.push(req.headers.range);
    handler(req, res, ranges.length);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: (path = '/file.npz') => `http://127.0.0.1:${port}${path}`, ranges };
}

/** Answers like a static file server: 206 for a Range, 200 otherwise. */
function sendFile(req: IncomingMessage, res: ServerResponse, bytes: Buffer): void {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (!range) {
    res.writeHead(200, { 'content-length': bytes.length });
    res.end(bytes);
    return;
  }
  const start = Number(range[1]);
  if (start >= bytes.length) {
    res.writeHead(416, { 'content-range': `bytes */${bytes.length}` });
    res.end();
    return;
  }
  res.writeHead(206, { 'content-length': bytes.length - start, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
  res.end(bytes.subarray(start));
}

/** Sends the headers for the whole body and only its first `count` bytes. */
function sendPrefix(res: ServerResponse, count: number): void {
  res.writeHead(200, { 'content-length': body.length });
  res.write(body.subarray(0, count));
}

async function failure(run: Promise<unknown>): Promise<LabError> {
  let caught: unknown;
  try {
    await run;
  } catch (err) {
    caught = err;
  }
  assert.ok(LabError.is(caught), `expected a LabError, got ${String(caught)}`);
  return caught;
}

test('a full download reports progress up to the total and lands verified in place', async () => {
  const server = await serve((req, res) => sendFile(req, res, body));
  const dest = freshDest();
  const events: [number, number | undefined][] = [];
  const result = await downloadFile({ url: server.url(), dest, md5: bodyMd5, onProgress: (bytes, total) => events.push([bytes, total]) });
  assert.deepEqual(result, { path: dest, bytes: body.length, md5: bodyMd5, resumedFrom: 0 });
  assert.ok(readFileSync(dest).equals(body));
  assert.ok(!existsSync(`${dest}.part`), 'no .part left behind');
  assert.ok(events.length > 1);
  assert.deepEqual(events.at(-1), [body.length, body.length]);
  assert.ok(events.every(([bytes], i) => i === 0 || bytes >= events[i - 1]![0]), 'progress never goes back');
});

/** Resolves once `check` holds, polling, so a test can act on what has reached the disk. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

test('a dropped connection keeps the partial file, and the next run resumes it with a Range request', async () => {
  const cut = 120_000;
  const dest = freshDest();
  const server = await serve((req, res, n) => {
    if (n > 1) return sendFile(req, res, body);
    sendPrefix(res, cut);
    // Cut the connection once the client has written every byte sent, as when a network drops mid-file.
    void until(() => existsSync(`${dest}.part`) && statSync(`${dest}.part`).size === cut).then(() => res.socket?.destroy());
  });
  const err = await failure(downloadFile({ url: server.url(), dest, md5: bodyMd5 }));
  assert.match(err.message, /broke off after 120000 of 300000 bytes/);
  assert.ok(err.message.includes(`partial file ${dest}.part (120000 of 300000 bytes) was kept: run again to resume`), err.message);
  assert.equal(statSync(`${dest}.part`).size, cut);
  assert.ok(!existsSync(dest));

  const result = await downloadFile({ url: server.url(), dest, md5: bodyMd5 });
  assert.equal(server.ranges[1], `bytes=${cut}-`);
  assert.equal(result.resumedFrom, cut);
  assert.equal(result.md5, bodyMd5);
  assert.ok(readFileSync(dest).equals(body));
});

test('a connection that stalls is given up on after the idle timeout, keeping the partial file', async () => {
  const server = await serve((_req, res) => sendPrefix(res, 50_000));
  const dest = freshDest();
  const err = await failure(downloadFile({ url: server.url(), dest, idleTimeoutMs: 300 }));
  const kept = statSync(`${dest}.part`).size;
  assert.ok(kept > 0 && kept <= 50_000, `kept ${kept}`);
  assert.ok(err.message.includes(`broke off after ${kept} of ${body.length} bytes: no data arrived for 0.3 s`), err.message);
});

test('a wrong checksum names both MD5s and leaves no file behind', async () => {
  const other = Buffer.from(body);
  other[1234] ^= 1;
  const server = await serve((req, res) => sendFile(req, res, other));
  const dest = freshDest();
  const err = await failure(downloadFile({ url: server.url(), dest, md5: bodyMd5 }));
  assert.equal(err.code, 'bad-data');
  assert.ok(err.message.includes(md5(other)) && err.message.includes(bodyMd5), err.message);
  assert.match(err.message, /deleted .* Run again/);
  assert.ok(!existsSync(dest) && !existsSync(`${dest}.part`));
});

test('a server that ignores Range makes the download start over cleanly', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  const dest = freshDest();
  mkdirSync(join(dest, '..'), { recursive: true });
  writeFileSync(`${dest}.part`, Buffer.alloc(1000, 0xee));
  const result = await downloadFile({ url: server.url(), dest, md5: bodyMd5 });
  assert.equal(server.ranges[0], 'bytes=1000-');
  assert.equal(result.resumedFrom, 0);
  assert.ok(readFileSync(dest).equals(body));
});

test('a .part that already holds the whole file is verified and used without downloading again', async () => {
  const server = await serve((req, res) => sendFile(req, res, body));
  const dest = freshDest();
  mkdirSync(join(dest, '..'), { recursive: true });
  writeFileSync(`${dest}.part`, body);
  const result = await downloadFile({ url: server.url(), dest, md5: bodyMd5 });
  assert.equal(result.resumedFrom, body.length);
  assert.ok(readFileSync(dest).equals(body));
});

test('a .part longer than the file cannot belong to it and is replaced by a fresh download', async () => {
  const server = await serve((req, res) => sendFile(req, res, body));
  const dest = freshDest();
  mkdirSync(join(dest, '..'), { recursive: true });
  writeFileSync(`${dest}.part`, Buffer.alloc(body.length + 10));
  const result = await downloadFile({ url: server.url(), dest, md5: bodyMd5 });
  assert.deepEqual(server.ranges, [`bytes=${body.length + 10}-`, undefined]);
  assert.equal(result.resumedFrom, 0);
  assert.ok(readFileSync(dest).equals(body));
});

test('HTTP 404 is a clear error that says how to put the file in place by hand', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(404, 'Not Found');
    res.end('no such file');
  });
  const dest = freshDest();
  const err = await failure(downloadFile({ url: server.url(), dest }));
  assert.match(err.message, /answered HTTP 404 Not Found\. The file is not at that address\./);
  assert.ok(err.message.includes(`save it as ${dest}`), err.message);
  assert.ok(!existsSync(dest));
});

test('redirects are followed to the file, as Zenodo sends them', async () => {
  const server = await serve((req, res) => {
    if (req.url === '/records/1/files/file.npz') {
      res.writeHead(302, { location: '/hop' });
      res.end();
    } else if (req.url === '/hop') {
      res.writeHead(301, { location: '/file.npz' });
      res.end();
    } else sendFile(req, res, body);
  });
  const result = await downloadFile({ url: server.url('/records/1/files/file.npz'), dest: freshDest(), md5: bodyMd5 });
  assert.equal(result.md5, bodyMd5);
  assert.equal(server.ranges.length, 3);
});

test('a redirect loop ends with an error instead of running forever', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(302, { location: '/again' });
    res.end();
  });
  const err = await failure(downloadFile({ url: server.url(), dest: freshDest() }));
  assert.match(err.message, /redirected more than 5 times/);
});

test('with no server to reach, the message says where to put the file by hand', async () => {
  const server = await serve(() => undefined);
  const url = server.url();
  await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
  const dest = freshDest();
  const err = await failure(downloadFile({ url, dest }));
  assert.equal(err.code, 'offline');
  assert.match(err.message, /Cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\): this computer seems to be offline/);
  assert.ok(err.message.includes(`download ${url} yourself (e.g. in a browser) and save it as ${dest}`), err.message);
});

test('cancelling through an AbortSignal keeps the partial file, and the next run resumes it', async () => {
  const server = await serve((req, res, n) => (n === 1 ? sendPrefix(res, 80_000) : sendFile(req, res, body)));
  const dest = freshDest();
  const controller = new AbortController();
  const err = await failure(
    downloadFile({ url: server.url(), dest, signal: controller.signal, onProgress: (bytes) => bytes >= 80_000 && controller.abort() }),
  );
  assert.equal(err.code, 'cancelled');
  const kept = statSync(`${dest}.part`).size;
  assert.ok(kept > 0);
  assert.ok(err.message.includes(`cancelled. The partial file ${dest}.part (${kept} of ${body.length} bytes) was kept`), err.message);

  const result = await downloadFile({ url: server.url(), dest, md5: bodyMd5 });
  assert.equal(result.resumedFrom, kept);
  assert.ok(readFileSync(dest).equals(body));
});

test('a full disk keeps the partial file and says so', async () => {
  const server = await serve((req, res) => sendFile(req, res, body));
  const dest = freshDest();
  mkdirSync(join(dest, '..'), { recursive: true });
  // /dev/full refuses every write with ENOSPC, a real full disk without filling one.
  symlinkSync('/dev/full', `${dest}.part`);
  const err = await failure(downloadFile({ url: server.url(), dest, md5: bodyMd5 }));
  assert.equal(err.code, 'disk-full');
  assert.match(err.message, /The disk is full: writing .*file\.npz\.part failed .* Nothing was lost: the partial file stays/);
  assert.ok(existsSync(`${dest}.part`));
});

test('ensureMedmnist uses a verified cached file without a request, and remembers its MD5', async () => {
  const server = await serve((req, res) => sendFile(req, res, readFileSync(BREAST)));
  const cacheDir = join(dir, 'cache-good');
  const path = medmnistCachePath(cacheDir, 'breastmnist', 28);
  assert.equal(path, join(cacheDir, 'medmnist', 'breastmnist.npz'));
  mkdirSync(join(path, '..'), { recursive: true });
  copyFileSync(BREAST, path);
  assert.equal(await ensureMedmnist('breastmnist', 28, cacheDir, { url: server.url() }), path);
  assert.equal(server.ranges.length, 0);
  const sidecar = JSON.parse(readFileSync(md5SidecarPath(path), 'utf8')) as { size: number; md5: string };
  assert.deepEqual([sidecar.size, sidecar.md5], [statSync(path).size, BREAST_MD5]);
  assert.equal(await ensureMedmnist('breastmnist', 28, cacheDir, { url: server.url() }), path);
  assert.equal(server.ranges.length, 0);
});

test('ensureMedmnist replaces a damaged cached file with a verified download', async () => {
  const server = await serve((req, res) => sendFile(req, res, readFileSync(BREAST)));
  const cacheDir = join(dir, 'cache-damaged');
  const path = medmnistCachePath(cacheDir, 'breastmnist', 28);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'not the dataset');
  const events: number[] = [];
  assert.equal(await ensureMedmnist('breastmnist', 28, cacheDir, { url: server.url(), onProgress: (bytes) => events.push(bytes) }), path);
  assert.equal(md5(readFileSync(path)), BREAST_MD5);
  assert.equal(events.at(-1), statSync(BREAST).size);
  assert.equal((JSON.parse(readFileSync(md5SidecarPath(path), 'utf8')) as { md5: string }).md5, BREAST_MD5);
});

test('ensureMedmnist says the cached file is damaged when fetching a fresh copy fails', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(404, 'Not Found');
    res.end();
  });
  const cacheDir = join(dir, 'cache-damaged-404');
  const path = medmnistCachePath(cacheDir, 'breastmnist', 28);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'not the dataset');
  const err = await failure(ensureMedmnist('breastmnist', 28, cacheDir, { url: server.url() }));
  assert.ok(err.message.startsWith(`${path} has MD5 ${md5(Buffer.from('not the dataset'))}, not the expected ${BREAST_MD5}`), err.message);
  assert.match(err.message, /HTTP 404/);
  assert.equal(readFileSync(path, 'utf8'), 'not the dataset', 'the old file is left for the user to inspect');
});

test('ensureMedmnist offline names the cache path and the address to fetch by hand', async () => {
  const server = await serve(() => undefined);
  const url = server.url('/breastmnist.npz');
  await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
  const cacheDir = join(dir, 'cache-offline');
  const err = await failure(ensureMedmnist('breastmnist', 28, cacheDir, { url }));
  assert.ok(err.message.includes(join(cacheDir, 'medmnist', 'breastmnist.npz')), err.message);
  assert.ok(err.message.includes(url), err.message);
});
