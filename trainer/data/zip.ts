import { constants as bufferConstants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { type Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { LabError } from '../core/labError';
import { crc32 } from './crc32';

/** One member of a zip archive, as the central directory describes it. */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated; nothing else is read. */
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EXTRA_ID = 0x0001;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const END_LENGTH = 22;
const LOCATOR_LENGTH = 20;
const DAMAGED = 'The file is damaged or incomplete: delete it and download it again.';

/**
 * Reads members of a zip archive (stored or deflated, ZIP64 included) one at a time, straight from the file:
 * only the central directory is read up front, so a multi-gigabyte archive costs memory only for the member
 * asked for. Every member's CRC-32 is checked.
 */
export class ZipReader {
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    readonly size: number,
    readonly entries: ReadonlyMap<string, ZipEntry>,
  ) {}

  static async open(file: string): Promise<ZipReader> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      throw new LabError('bad-data', `${file}: cannot open the file (${(err as Error).message}).`);
    }
    try {
      const { size } = await handle.stat();
      const entries = await readCentralDirectory(file, handle, size);
      return new ZipReader(file, handle, size, entries);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  entry(name: string): ZipEntry {
    const entry = this.entries.get(name);
    if (!entry) {
      const names = [...this.entries.keys()].join(', ') || 'none';
      throw new LabError('bad-data', `${this.file}: has no entry ${name} (entries: ${names}). ${DAMAGED}`);
    }
    return entry;
  }

  /** The member's bytes, inflated and checked against its CRC-32 and its declared size. */
  async read(name: string): Promise<Buffer> {
    const entry = this.entry(name);
    const where = `${this.file}, entry ${name}`;
    if (entry.uncompressedSize > bufferConstants.MAX_LENGTH) {
      throw new LabError(
        'bad-data',
        `${where}: ${entry.uncompressedSize} bytes is more than one buffer can hold in this Node.js ` +
          `(${bufferConstants.MAX_LENGTH}); use a smaller image size of the dataset.`,
      );
    }
    const start = await this.dataStart(entry, where);
    if (start + entry.compressedSize > this.size) {
      throw new LabError(
        'bad-data',
        `${where}: truncated data: expected ${entry.compressedSize} bytes from offset ${start}, ` +
          `got ${Math.max(0, this.size - start)}. ${DAMAGED}`,
      );
    }
    const out = Buffer.allocUnsafe(entry.uncompressedSize);
    let filled = 0;
    let crc = 0;
    // A stream of its own per member: a FileHandle's stream closes the shared handle when it is destroyed.
    const raw = createReadStream(this.file, { start, end: start + entry.compressedSize - 1 });
    const stream: Readable = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
    if (stream !== raw) raw.on('error', (err) => stream.destroy(err));
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (filled + chunk.length > out.length) {
          throw new LabError('bad-data', `${where}: inflates to more than the ${out.length} bytes the directory declares. ${DAMAGED}`);
        }
        chunk.copy(out, filled);
        filled += chunk.length;
        crc = crc32(chunk, crc);
      }
    } catch (err) {
      if (LabError.is(err)) throw err;
      throw new LabError('bad-data', `${where}: the compressed data is corrupt or cut short (${(err as Error).message}). ${DAMAGED}`);
    } finally {
      raw.destroy();
      stream.destroy();
    }
    if (filled !== out.length) {
      throw new LabError('bad-data', `${where}: truncated data: expected ${out.length} bytes, got ${filled}. ${DAMAGED}`);
    }
    if (crc !== entry.crc32) {
      throw new LabError(
        'bad-data',
        `${where}: CRC mismatch (stored ${hex(entry.crc32)}, computed ${hex(crc)}): the bytes changed after the file was written. ${DAMAGED}`,
      );
    }
    return out;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async dataStart(entry: ZipEntry, where: string): Promise<number> {
    const header = await readAt(this.handle, entry.localHeaderOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== SIG_LOCAL) {
      throw new LabError('bad-data', `${where}: no local header at offset ${entry.localHeaderOffset}. ${DAMAGED}`);
    }
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const name = (await readAt(this.handle, entry.localHeaderOffset + 30, nameLength)).toString('utf8');
    if (name !== entry.name) {
      throw new LabError('bad-data', `${where}: the local header names "${name}" instead. ${DAMAGED}`);
    }
    return entry.localHeaderOffset + 30 + nameLength + extraLength;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function readCentralDirectory(file: string, handle: FileHandle, size: number): Promise<Map<string, ZipEntry>> {
  const bad = (what: string): LabError => new LabError('bad-data', `${file}: ${what}. ${DAMAGED}`);
  const tailStart = Math.max(0, size - (END_LENGTH + U16_MAX + LOCATOR_LENGTH));
  const tail = await readAt(handle, tailStart, size - tailStart);
  const endAt = findEndRecord(tail);
  if (endAt < 0) {
    throw bad(size === 0 ? 'the file is empty' : 'not a complete zip archive (no end-of-central-directory record; an .npz is a zip)');
  }
  let count = tail.readUInt16LE(endAt + 10);
  let dirSize = tail.readUInt32LE(endAt + 12);
  let dirOffset = tail.readUInt32LE(endAt + 16);
  const locatorAt = endAt - LOCATOR_LENGTH;
  if (locatorAt >= 0 && tail.readUInt32LE(locatorAt) === SIG_ZIP64_LOCATOR) {
    // Counts or offsets too big for the classic record live in the ZIP64 end record.
    const zip64At = safeNumber(tail.readBigUInt64LE(locatorAt + 8), file);
    const zip64 = await readAt(handle, zip64At, 56);
    if (zip64.length < 56 || zip64.readUInt32LE(0) !== SIG_ZIP64_END) throw bad(`no ZIP64 end record at offset ${zip64At}`);
    count = safeNumber(zip64.readBigUInt64LE(32), file);
    dirSize = safeNumber(zip64.readBigUInt64LE(40), file);
    dirOffset = safeNumber(zip64.readBigUInt64LE(48), file);
  }
  if (dirOffset + dirSize > size) {
    throw bad(`the central directory (offset ${dirOffset}, ${dirSize} bytes) runs past the end of the file (${size} bytes)`);
  }
  const dir = await readAt(handle, dirOffset, dirSize);
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== SIG_CENTRAL) throw bad(`central directory record ${i + 1} of ${count} is malformed`);
    const flags = dir.readUInt16LE(at + 8);
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
    const where = `${file}, entry ${name}`;
    if (flags & 1) throw new LabError('bad-data', `${where}: is encrypted; save the arrays again without a password.`);
    const method = dir.readUInt16LE(at + 10);
    if (method !== 0 && method !== 8) {
      throw new LabError(
        'bad-data',
        `${where}: uses compression method ${method}; only stored (0) and deflate (8) are read. Save it with numpy.savez or numpy.savez_compressed.`,
      );
    }
    const zip64 = readZip64Extra(dir.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), file);
    let uncompressedSize = dir.readUInt32LE(at + 24);
    let compressedSize = dir.readUInt32LE(at + 20);
    let localHeaderOffset = dir.readUInt32LE(at + 42);
    // The ZIP64 extra field holds, in this order, exactly the values whose classic field is 0xFFFFFFFF.
    if (uncompressedSize === U32_MAX) uncompressedSize = zip64.shift() ?? missingZip64(where);
    if (compressedSize === U32_MAX) compressedSize = zip64.shift() ?? missingZip64(where);
    if (localHeaderOffset === U32_MAX) localHeaderOffset = zip64.shift() ?? missingZip64(where);
    entries.set(name, { name, method, crc32: dir.readUInt32LE(at + 16), compressedSize, uncompressedSize, localHeaderOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The end record is the last signature whose comment length reaches exactly to the end of the file. */
function findEndRecord(tail: Buffer): number {
  for (let at = tail.length - END_LENGTH; at >= 0; at--) {
    if (tail.readUInt32LE(at) === SIG_END && at + END_LENGTH + tail.readUInt16LE(at + 20) === tail.length) return at;
  }
  return -1;
}

function readZip64Extra(extra: Buffer, file: string): number[] {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA_ID) {
      const values: number[] = [];
      for (let v = at + 4; v + 8 <= Math.min(at + 4 + length, extra.length); v += 8) values.push(safeNumber(extra.readBigUInt64LE(v), file));
      return values;
    }
    at += 4 + length;
  }
  return [];
}

function missingZip64(where: string): never {
  throw new LabError('bad-data', `${where}: a size or offset is marked as ZIP64 but the ZIP64 extra field lacks it. ${DAMAGED}`);
}

function safeNumber(value: bigint, file: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new LabError('bad-data', `${file}: a ZIP64 size or offset (${value}) is impossibly large. ${DAMAGED}`);
  return Number(value);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
