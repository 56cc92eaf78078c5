/**
 * A reader for the `.safetensors` format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {dtype, shape, data_offsets} (plus an optional string map `__metadata__`), then
 * the raw little-endian bytes. Every check names the file and the tensor, because a learner who downloaded
 * a file needs to know whether to fetch it again or to pick another one.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LabError } from '../core/labError';

export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte range in the data section (after the header). */
  begin: number;
  end: number;
}

const ITEM_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E4M3: 1, F8_E5M2: 1,
  U16: 2, I16: 2, F16: 2, BF16: 2,
  U32: 4, I32: 4, F32: 4,
  U64: 8, I64: 8, F64: 8,
};

/** dtypes `float32()` converts. */
export const FLOAT32_READABLE: readonly string[] = ['F32', 'F16', 'BF16'];

/** The format's own limit, which also stops a corrupt length from allocating gigabytes. */
const MAX_HEADER_BYTES = 100_000_000;

export class SafetensorsFile {
  private constructor(
    /** File name for messages. */
    readonly source: string,
    readonly metadata: Readonly<Record<string, string>>,
    private readonly entries: ReadonlyMap<string, SafetensorsEntry>,
    private readonly data: Uint8Array,
  ) {}

  static read(path: string): SafetensorsFile {
    return SafetensorsFile.parse(readFileSync(path), basename(path));
  }

  static parse(bytes: Uint8Array, source: string): SafetensorsFile {
    const fail = (what: string): never => {
      throw new LabError('bad-data', `${source} is not a readable .safetensors file: ${what}`);
    };
    if (bytes.length < 8) fail(`it has ${bytes.length} bytes, fewer than the 8-byte header length (the file is truncated or empty)`);
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
    if (headerLength > BigInt(bytes.length - 8)) {
      fail(`the header should be ${headerLength} bytes but only ${bytes.length - 8} follow (the file is truncated, or is not safetensors)`);
    }
    if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`the header length ${headerLength} exceeds the format's limit of ${MAX_HEADER_BYTES} bytes`);
    const headerEnd = 8 + Number(headerLength);
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, headerEnd)));
    } catch (err) {
      fail(`the header is not valid JSON (${(err as Error).message})`);
    }
    if (!isRecord(header)) return fail('the header is not a JSON object');
    const data = bytes.subarray(headerEnd);
    const entries = new Map<string, SafetensorsEntry>();
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') {
        metadata = parseMetadata(raw, fail);
        continue;
      }
      entries.set(name, parseEntry(name, raw, data.length, (what) => fail(`tensor "${name}" ${what}`)));
    }
    return new SafetensorsFile(source, metadata, entries, data);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  entry(name: string): SafetensorsEntry | undefined {
    return this.entries.get(name);
  }

  /** The tensor's values as float32, converting F16 and BF16; row-major in the stored shape. */
  float32(name: string): Float32Array {
    const entry = this.entries.get(name);
    if (!entry) throw new LabError('bad-data', `${this.source} has no tensor "${name}"`);
    const bytes = this.data.subarray(entry.begin, entry.end);
    // A DataView rather than a typed-array view over the file: the data section need not be 4-byte aligned,
    // and the bytes are little-endian whatever the host. (Copying into an aligned Float32Array measured no faster.)
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Float32Array(bytes.length / ITEM_BYTES[entry.dtype]!);
    switch (entry.dtype) {
      case 'F32':
        for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
        return out;
      case 'F16':
        for (let i = 0; i < out.length; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
        return out;
      case 'BF16': {
        // bfloat16 is the top half of a float32.
        const word = new DataView(new ArrayBuffer(4));
        for (let i = 0; i < out.length; i++) {
          word.setUint32(0, view.getUint16(i * 2, true) << 16);
          out[i] = word.getFloat32(0);
        }
        return out;
      }
      default:
        throw new LabError(
          'bad-data',
          `tensor "${name}" in ${this.source} is ${entry.dtype}; only ${FLOAT32_READABLE.join(', ')} tensors can be read as weights`,
        );
    }
  }
}

function parseEntry(name: string, raw: unknown, dataLength: number, fail: (what: string) => never): SafetensorsEntry {
  if (!isRecord(raw)) return fail('is not described by a JSON object');
  const { dtype, shape, data_offsets: offsets } = raw;
  if (typeof dtype !== 'string' || !(dtype in ITEM_BYTES)) return fail(`has an unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) return fail(`has an invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    return fail(`has invalid data_offsets ${JSON.stringify(offsets)} (expected [begin, end])`);
  }
  const [begin, end] = offsets as [number, number];
  const expectedBytes = (shape as number[]).reduce((a, b) => a * b, 1) * ITEM_BYTES[dtype]!;
  if (end < begin || end - begin !== expectedBytes) {
    return fail(`has data_offsets [${begin}, ${end}], but ${dtype} ${JSON.stringify(shape)} needs ${expectedBytes} bytes`);
  }
  if (end > dataLength) {
    return fail(`needs bytes ${begin}–${end} of the data section, which has only ${dataLength} bytes (the file is truncated: download or export it again)`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function parseMetadata(raw: unknown, fail: (what: string) => never): Record<string, string> {
  if (!isRecord(raw) || !Object.values(raw).every((v) => typeof v === 'string')) return fail('__metadata__ must map names to strings');
  return raw as Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** IEEE 754 binary16 → number, including subnormals, infinities and NaN. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
