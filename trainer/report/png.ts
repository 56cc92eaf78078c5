/**
 * A minimal PNG encoder for 8-bit greyscale or RGB images: enough for thumbnails, without an image library
 * in the trainer. Every row uses filter 0 (none); zlib's deflate does the compressing.
 */
import { deflateSync } from 'node:zlib';

export interface RasterImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** Row-major height×width×channels, 0–255. */
  readonly pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour types: 0 greyscale, 2 truecolour. */
const COLOUR_TYPE: Record<RasterImage['channels'], number> = { 1: 0, 3: 2 };

export function encodePng(image: RasterImage): Buffer {
  const { width, height, channels, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`a PNG needs a positive integer size, got ${width}×${height}`);
  }
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new RangeError(`${width}×${height}×${channels} pixels need ${stride * height} bytes, got ${pixels.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = COLOUR_TYPE[channels];
  // Bytes 10–12: deflate compression, adaptive filtering, no interlace — all zero.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

let table: Uint32Array | undefined;

/** CRC-32 (ISO 3309) over the chunk type and data; own code because `zlib.crc32` needs Node 20.15 or later. */
function crc32(bytes: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const b of bytes) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Enlarges by a whole factor, each source pixel becoming a factor×factor block, so small images stay sharp. */
export function upscaleNearest(image: RasterImage, factor: number): RasterImage {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`the scale factor must be a positive integer, got ${factor}`);
  if (factor === 1) return image;
  const { width, height, channels, pixels } = image;
  const outWidth = width * factor;
  const out = new Uint8Array(outWidth * height * factor * channels);
  for (let y = 0; y < height * factor; y++) {
    const sourceRow = Math.floor(y / factor) * width * channels;
    for (let x = 0; x < outWidth; x++) {
      const from = sourceRow + Math.floor(x / factor) * channels;
      out.set(pixels.subarray(from, from + channels), (y * outWidth + x) * channels);
    }
  }
  return { width: outWidth, height: height * factor, channels, pixels: out };
}
