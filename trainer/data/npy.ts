import { LabError } from '../core/labError';

/** The element types the reader understands, by NumPy name. */
export type NpyDtype = 'bool' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'uint64' | 'int64' | 'float32' | 'float64';

/** A parsed .npy array: its header and a view (never a copy) of its little-endian, C-order bytes. */
export interface NpyArray {
  /** NumPy's descr string, e.g. `|u1` or `<i8`. */
  readonly descr: string;
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const KINDS: Readonly<Record<string, NpyDtype>> = {
  b1: 'bool', u1: 'uint8', i1: 'int8', u2: 'uint16', i2: 'int16', u4: 'uint32', i4: 'int32', u8: 'uint64', i8: 'int64', f4: 'float32', f8: 'float64',
};
const ITEM_SIZE: Readonly<Record<NpyDtype, number>> = {
  bool: 1, uint8: 1, int8: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, uint64: 8, int64: 8, float32: 4, float64: 8,
};
const RESAVE = 'Save it again with numpy.save (or numpy.savez) from a C-ordered little-endian array.';

/**
 * Parses a .npy file (format versions 1.0, 2.0 and 3.0). `where` names the file and entry in every error,
 * e.g. "pathmnist.npz, entry train_images.npy".
 */
export function parseNpy(bytes: Uint8Array, where: string): NpyArray {
  const bad = (what: string, fix = RESAVE): LabError => new LabError('bad-data', `${where}: ${what}. ${fix}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw bad('bad magic: this is not a .npy array (it should start with \\x93NUMPY)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw bad(`unknown .npy format version ${major}.${bytes[7]} (1.0, 2.0 and 3.0 are read)`);
  // Version 1 stores the header length in two bytes; 2 and 3 in four, for headers of very wide structured types.
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw bad('truncated header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) throw bad(`truncated header: expected ${headerLength} header bytes, got ${bytes.length - 8 - lengthBytes}`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataStart));

  let header: Map<string, PyValue>;
  try {
    header = parsePyDict(headerText);
  } catch (err) {
    throw bad(`the header is not a Python dict literal (${(err as Error).message}): ${headerText.trim()}`);
  }
  const descr = header.get('descr');
  const fortranOrder = header.get('fortran_order');
  const shape = header.get('shape');
  if (typeof descr !== 'string') throw bad('the header\'s descr is not a simple type (structured arrays are not read)');
  if (typeof fortranOrder !== 'boolean') throw bad('the header has no fortran_order');
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw bad('the header\'s shape is not a tuple of sizes');
  }
  if (fortranOrder) throw bad('the array is in Fortran (column-major) order, which is not read', 'Save numpy.ascontiguousarray(array) instead.');

  const dtype = KINDS[descr.slice(1)];
  if (!dtype || !'<>|='.includes(descr[0]!)) throw bad(`dtype ${descr} is not read (integers, booleans and floats are)`);
  const itemSize = ITEM_SIZE[dtype];
  if (descr[0] === '>' && itemSize > 1) {
    throw bad(`dtype ${descr} is big-endian, which is not read`, 'Save array.astype(array.dtype.newbyteorder("<")) instead.');
  }
  const dims = shape as number[];
  const expected = dims.reduce((n, d) => n * d, 1) * itemSize;
  const actual = bytes.length - dataStart;
  if (actual < expected) throw bad(`truncated data: expected ${expected} bytes for shape (${dims.join(', ')}) of ${descr}, got ${actual}`, 'The file is damaged or incomplete: delete it and download it again.');
  if (actual > expected) throw bad(`${actual - expected} unexpected bytes after the ${expected} bytes of shape (${dims.join(', ')}) of ${descr}`);
  return { descr, dtype, shape: dims, data: bytes.subarray(dataStart) };
}

/** The array's elements as integers, for labels. Fails on floats and on values outside the int32 range. */
export function npyToInt32(array: NpyArray, where: string): Int32Array {
  const { dtype, data } = array;
  if (dtype === 'float32' || dtype === 'float64') {
    throw new LabError('bad-data', `${where}: has dtype ${array.descr}, but labels must be integers (e.g. |u1 or <i8).`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.length / ITEM_SIZE[dtype];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const value = readInteger(view, dtype, i);
    if (value < -0x80000000 || value > 0x7fffffff) {
      throw new LabError('bad-data', `${where}: element ${i} is ${value}, outside the int32 range a label can take.`);
    }
    out[i] = Number(value);
  }
  return out;
}

function readInteger(view: DataView, dtype: Exclude<NpyDtype, 'float32' | 'float64'>, i: number): number | bigint {
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return view.getUint8(i);
    case 'int8':
      return view.getInt8(i);
    case 'uint16':
      return view.getUint16(i * 2, true);
    case 'int16':
      return view.getInt16(i * 2, true);
    case 'uint32':
      return view.getUint32(i * 4, true);
    case 'int32':
      return view.getInt32(i * 4, true);
    case 'uint64':
      return view.getBigUint64(i * 8, true);
    case 'int64':
      return view.getBigInt64(i * 8, true);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The header is a Python dict literal, e.g. {'descr': '<i8', 'fortran_order': False, 'shape': (546, 1), }

type PyValue = string | number | boolean | PyValue[];

function parsePyDict(text: string): Map<string, PyValue> {
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const expect = (ch: string): void => {
    skipSpace();
    if (text[at] !== ch) throw new Error(`expected "${ch}" at character ${at + 1}`);
    at++;
  };
  const peek = (): string | undefined => {
    skipSpace();
    return text[at];
  };
  const sequence = <T>(close: string, item: () => T): T[] => {
    const items: T[] = [];
    while (peek() !== close) {
      items.push(item());
      if (peek() === ',') at++;
      else break;
    }
    expect(close);
    return items;
  };
  const value = (): PyValue => {
    const ch = peek();
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, at + 1);
      if (end < 0) throw new Error('unterminated string');
      const s = text.slice(at + 1, end);
      at = end + 1;
      return s;
    }
    if (ch === '(' || ch === '[') {
      at++;
      return sequence(ch === '(' ? ')' : ']', value);
    }
    const word = /^(True|False|-?\d+)L?/.exec(text.slice(at));
    if (!word) throw new Error(`unexpected "${text.slice(at, at + 10)}" at character ${at + 1}`);
    at += word[0].length;
    return word[1] === 'True' ? true : word[1] === 'False' ? false : Number(word[1]);
  };
  expect('{');
  const pairs = sequence('}', () => {
    const key = value();
    if (typeof key !== 'string') throw new Error('a key is not a string');
    expect(':');
    return [key, value()] as const;
  });
  skipSpace();
  if (at !== text.length) throw new Error(`unexpected text after the dict at character ${at + 1}`);
  return new Map(pairs);
}
