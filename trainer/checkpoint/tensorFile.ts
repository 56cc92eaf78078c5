/**
 * Named float32 arrays plus a JSON state, stored as one `.safetensors` file (the state under `__metadata__`),
 * so a checkpoint is a single file that is replaced atomically and can be opened with Python's safetensors.
 */
import { endianness } from 'node:os';
import { LabError } from '../core/labError';
import { SafetensorsFile } from '../models/safetensors';
import { writeFileAtomic } from './atomicFile';

export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** The metadata key holding the JSON state. */
const STATE_KEY = 'state';

export function writeTensorFile(path: string, state: unknown, arrays: readonly NamedArray[]): void {
  // Float32Array bytes are written as they sit in memory; safetensors is little-endian, as is every platform Node ships for.
  if (endianness() !== 'LE') throw new LabError('internal', 'checkpoints can only be written on a little-endian machine');
  const header: Record<string, unknown> = { __metadata__: { [STATE_KEY]: JSON.stringify(state) } };
  let offset = 0;
  for (const a of arrays) {
    if (a.name in header) throw new LabError('internal', `checkpoint tensor "${a.name}" appears twice`);
    const bytes = a.values.byteLength;
    header[a.name] = { dtype: 'F32', shape: [...a.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  // The format pads the header with spaces so the data section starts 8-byte aligned.
  const json = JSON.stringify(header);
  const headerBytes = Buffer.from(json + ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(headerBytes.length));
  writeFileAtomic(path, [length, headerBytes, ...arrays.map((a) => new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength))]);
}

export interface TensorFile {
  readonly state: unknown;
  array(name: string): NamedArray;
}

export function readTensorFile(path: string): TensorFile {
  const file = SafetensorsFile.read(path);
  const stateText = file.metadata[STATE_KEY];
  if (stateText === undefined) throw new LabError('bad-data', `${path} is not a lab checkpoint: it has no "${STATE_KEY}" metadata`);
  let state: unknown;
  try {
    state = JSON.parse(stateText);
  } catch (err) {
    throw new LabError('bad-data', `${path} is not a lab checkpoint: its state is not JSON (${(err as Error).message})`);
  }
  return {
    state,
    array: (name) => {
      const entry = file.entry(name);
      if (!entry) throw new LabError('bad-data', `checkpoint ${path} has no tensor "${name}"`);
      return { name, shape: entry.shape, values: file.float32(name) };
    },
  };
}
