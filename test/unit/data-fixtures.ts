// Builds .npy and .npz files in memory for the data-layer tests: the same formats numpy.save and
// numpy.savez(_compressed) write, plus deliberately broken ones. Nothing here is copied from real data.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../trainer/data/crc32';

export interface NpyOptions {
  readonly version?: 1 | 2 | 3;
  readonly fortranOrder?: boolean;
  /** Replaces the whole header dict, for malformed-header cases. */
  readonly header?: string;
}

/** A .npy file around raw little-endian element bytes, with the header padded to 64 bytes as numpy does. */
export function npy(descr: string, shape: readonly number[], data: Uint8Array, options: NpyOptions = {}): Buffer {
  const version = options.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = options.header ?? `{'descr': '${descr}', 'fortran_order': ${options.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const lengthBytes = version === 1 ? 2 : 4;
  const unpadded = 8 + lengthBytes + Buffer.byteLength(dict) + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(8 + lengthBytes);
  prefix.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) prefix.writeUInt16LE(Buffer.byteLength(header), 8);
  else prefix.writeUInt32LE(Buffer.byteLength(header), 8);
  return Buffer.concat([prefix, Buffer.from(header, version === 3 ? 'utf8' : 'latin1'), data]);
}

/** Element bytes of `values` in a little-endian integer dtype such as |u1, <i4 or <i8. */
export function intBytes(descr: string, values: readonly number[]): Buffer {
  const size = Number(descr.slice(2));
  const out = Buffer.alloc(values.length * size);
  values.forEach((v, i) => {
    if (size === 1) out.writeUInt8(v, i);
    else if (size === 2) out.writeInt16LE(v, i * 2);
    else if (size === 4) out.writeInt32LE(v, i * 4);
    else out.writeBigInt64LE(BigInt(v), i * 8);
  });
  return out;
}

export interface ZipMember {
  readonly name: string;
  readonly data: Buffer;
  /** 0 stored (numpy.savez), 8 deflated (numpy.savez_compressed). */
  readonly method?: 0 | 8;
  /** Put the sizes and offset in ZIP64 extra fields, as numpy does for members it cannot size in advance. */
  readonly zip64?: boolean;
}

export interface ZipOptions {
  /** Add the ZIP64 end record and locator that archives of over 65,535 members or 4 GB need. */
  readonly zip64End?: boolean;
  /** Where in the file the archive will be written: offsets count from the file's start, so a test can put it past 4 GB. */
  readonly baseOffset?: number;
}

export function zip(members: readonly ZipMember[], options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const base = options.baseOffset ?? 0;
  let offset = base;
  for (const member of members) {
    const method = member.method ?? 0;
    const body = method === 8 ? deflateRawSync(member.data) : member.data;
    const name = Buffer.from(member.name, 'utf8');
    const crc = crc32(member.data);
    const localExtra = member.zip64 ? zip64Extra([member.data.length, body.length]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(member.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(member.zip64 ? 0xffffffff : body.length, 18);
    local.writeUInt32LE(member.zip64 ? 0xffffffff : member.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    const centralExtra = member.zip64 ? zip64Extra([member.data.length, body.length, offset]) : Buffer.alloc(0);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(member.zip64 ? 45 : 20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(member.zip64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(member.zip64 ? 0xffffffff : member.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt32LE(member.zip64 ? 0xffffffff : offset, 42);
    locals.push(local, name, localExtra, body);
    centrals.push(central, name, centralExtra);
    offset += local.length + name.length + localExtra.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  if (options.zip64End) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(members.length), 24);
    record.writeBigUInt64LE(BigInt(members.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
    end.writeUInt16LE(0xffff, 8);
    end.writeUInt16LE(0xffff, 10);
    end.writeUInt32LE(0xffffffff, 12);
    end.writeUInt32LE(0xffffffff, 16);
  } else {
    end.writeUInt16LE(members.length, 8);
    end.writeUInt16LE(members.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
  }
  return Buffer.concat([...locals, directory, ...tail, end]);
}

function zip64Extra(values: readonly number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => extra.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return extra;
}

export interface MedmnistFixture {
  readonly counts: { readonly train: number; readonly val: number; readonly test: number };
  readonly size: number;
  readonly channels: 1 | 3;
  /** Label columns per sample: 1 for single-label tasks, 14 for ChestMNIST. */
  readonly labelColumns: number;
  /** Highest label value written (8 for PathMNIST's nine classes, 1 for multi-label). */
  readonly maxLabel: number;
  readonly labelDescr?: string;
  readonly method?: 0 | 8;
  readonly zip64?: boolean;
  readonly npyVersion?: 1 | 2 | 3;
}

/** The arrays of a fixture: pixel and label values follow a formula, so a test can predict any of them. */
export function medmnistArrays(f: MedmnistFixture): Map<string, Buffer> {
  const arrays = new Map<string, Buffer>();
  const options = { version: f.npyVersion ?? 1 };
  for (const [split, count] of Object.entries(f.counts)) {
    const imageShape = f.channels === 1 ? [count, f.size, f.size] : [count, f.size, f.size, f.channels];
    const pixels = Buffer.alloc(count * f.size * f.size * f.channels);
    for (let i = 0; i < pixels.length; i++) pixels[i] = pixelValue(i);
    arrays.set(`${split}_images.npy`, npy('|u1', imageShape, pixels, options));
    const labels = Array.from({ length: count * f.labelColumns }, (_, i) => labelValue(i, f.maxLabel));
    arrays.set(`${split}_labels.npy`, npy(f.labelDescr ?? '|u1', [count, f.labelColumns], intBytes(f.labelDescr ?? '|u1', labels), options));
  }
  return arrays;
}

export function medmnistNpz(f: MedmnistFixture, replace: ReadonlyMap<string, Buffer> = new Map()): Buffer {
  const arrays = medmnistArrays(f);
  for (const [name, data] of replace) arrays.set(name, data);
  return zip([...arrays].map(([name, data]) => ({ name, data, method: f.method ?? 0, zip64: f.zip64 ?? false })));
}

export function pixelValue(i: number): number {
  return (i * 37 + 11) % 256;
}

export function labelValue(i: number, maxLabel: number): number {
  return (i * 7 + 3) % (maxLabel + 1);
}

/** PathMNIST's shape (28×28 RGB, nine classes) with 20/5/5 images instead of 89,996/10,004/7,180. */
export const PATH_SHAPED: MedmnistFixture = { counts: { train: 20, val: 5, test: 5 }, size: 28, channels: 3, labelColumns: 1, maxLabel: 8 };
/** ChestMNIST's shape (28×28 grey, 14 findings per image). */
export const CHEST_SHAPED: MedmnistFixture = { counts: { train: 12, val: 4, test: 4 }, size: 28, channels: 1, labelColumns: 14, maxLabel: 1 };
