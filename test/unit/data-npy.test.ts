import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { LabError } from '../../trainer/core/labError';
import { crc32, tableCrc32 } from '../../trainer/data/crc32';
import { npyToInt32, parseNpy } from '../../trainer/data/npy';
import { intBytes, npy } from './data-fixtures';

const WHERE = 'x.npz, entry train_labels.npy';

function expectBadData(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(LabError.is(err, 'bad-data'), `expected a bad-data LabError, got ${String(err)}`);
    assert.ok(err.message.startsWith(WHERE), `names the file and entry: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

test('npy headers of versions 1.0, 2.0 and 3.0 give the same array', () => {
  for (const version of [1, 2, 3] as const) {
    const array = parseNpy(npy('|u1', [2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6]), { version }), WHERE);
    assert.equal(array.dtype, 'uint8', `v${version}`);
    assert.deepEqual(array.shape, [2, 3]);
    assert.deepEqual([...array.data], [1, 2, 3, 4, 5, 6]);
  }
});

test('labels stored as |u1, <u1, <i4 or <i8 all become the same int32 values', () => {
  const values = [0, 8, 3, 1];
  for (const descr of ['|u1', '<u1', '<i2', '<i4', '<i8']) {
    const array = parseNpy(npy(descr, [4, 1], intBytes(descr, values)), WHERE);
    assert.deepEqual([...npyToInt32(array, WHERE)], values, descr);
  }
});

test('a one-dimensional shape, a Python 2 long and a 0-d array parse', () => {
  assert.deepEqual(parseNpy(npy('|u1', [3], Uint8Array.from([7, 8, 9])), WHERE).shape, [3]);
  const header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2L, 1L), }";
  assert.deepEqual(parseNpy(npy('|u1', [], Uint8Array.from([1, 2]), { header }), WHERE).shape, [2, 1]);
  assert.deepEqual(parseNpy(npy('<i8', [], intBytes('<i8', [5])), WHERE).shape, []);
});

test('a file that is not .npy says "bad magic"', () => {
  expectBadData(() => parseNpy(Buffer.from('PK\x03\x04 this is a zip, not an array'), WHERE), /bad magic/);
  expectBadData(() => parseNpy(Buffer.alloc(0), WHERE), /bad magic/);
});

test('Fortran-ordered arrays are refused with the fix', () => {
  expectBadData(() => parseNpy(npy('|u1', [2, 2], Uint8Array.from([1, 2, 3, 4]), { fortranOrder: true }), WHERE), /Fortran.*ascontiguousarray/s);
});

test('big-endian arrays are refused, single bytes are not', () => {
  expectBadData(() => parseNpy(npy('>i8', [1], intBytes('<i8', [1])), WHERE), /big-endian/);
  assert.equal(parseNpy(npy('>u1', [1], Uint8Array.from([4])), WHERE).dtype, 'uint8');
});

test('unknown dtypes, structured dtypes and float labels are refused by name', () => {
  expectBadData(() => parseNpy(npy('<c16', [1], Buffer.alloc(16)), WHERE), /dtype <c16 is not read/);
  const structured = "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }";
  expectBadData(() => parseNpy(npy('', [], Buffer.alloc(4), { header: structured }), WHERE), /structured/);
  const floats = parseNpy(npy('<f4', [1], Buffer.alloc(4)), WHERE);
  expectBadData(() => npyToInt32(floats, WHERE), /dtype <f4.*labels must be integers/);
});

test('a short data block says how many bytes were expected and how many came', () => {
  const whole = npy('<i8', [4, 1], intBytes('<i8', [1, 2, 3, 4]));
  expectBadData(() => parseNpy(whole.subarray(0, whole.length - 5), WHERE), /truncated data: expected 32 bytes .* got 27/);
  expectBadData(() => parseNpy(whole.subarray(0, 40), WHERE), /truncated header/);
  expectBadData(() => parseNpy(Buffer.concat([whole, Buffer.alloc(3)]), WHERE), /3 unexpected bytes/);
});

test('a garbled header is quoted in the error', () => {
  const header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 1) }";
  expectBadData(() => parseNpy(npy('', [], Buffer.alloc(2), { header: header.replace('(2, 1)', 'oops') }), WHERE), /not a Python dict literal.*oops/);
  expectBadData(() => parseNpy(npy('', [], Buffer.alloc(2), { header: "{'descr': '|u1', 'shape': (2,)}" }), WHERE), /no fortran_order/);
  expectBadData(() => parseNpy(npy('', [], Buffer.alloc(2), { header: "{'descr': '|u1', 'fortran_order': False, 'shape': (-2,)}" }), WHERE), /shape/);
});

test('label values beyond int32 are refused rather than wrapped', () => {
  const big = Buffer.alloc(8);
  big.writeBigInt64LE(2n ** 40n);
  expectBadData(() => npyToInt32(parseNpy(npy('<i8', [1], big), WHERE), WHERE), /element 0 is 1099511627776/);
});

test('the CRC-32 used for zip members matches zlib on chunked input', () => {
  const data = Buffer.from('The quick brown fox jumps over the lazy dog');
  assert.equal(crc32(data), 0x414fa339);
  assert.equal(crc32(data.subarray(10), crc32(data.subarray(0, 10))), zlib.crc32(data));
  assert.equal(tableCrc32(data.subarray(10), tableCrc32(data.subarray(0, 10))), zlib.crc32(data));
});
