import * as zlib from 'node:zlib';

/**
 * CRC-32 (the zip polynomial) that can be fed chunk by chunk: pass the previous result as `running`.
 * zlib.crc32 arrived in Node 20.15; earlier Node 20 releases, which package.json still allows, get a table.
 */
export const crc32: (data: Uint8Array, running?: number) => number =
  typeof zlib.crc32 === 'function' ? (data, running = 0) => zlib.crc32(data, running) : tableCrc32;

let table: Uint32Array | undefined;

/** The table-driven CRC-32, exported so the fallback is tested on a Node that has zlib.crc32. */
export function tableCrc32(data: Uint8Array, running = 0): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = ~running >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
