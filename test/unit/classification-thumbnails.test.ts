import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { THUMBNAIL_FOLDER, thumbnailFileName, type Misclassified } from '../../protocol/messages';
import { readMedmnistNpz, type MedmnistExpectation } from '../../trainer/data/medmnist/load';
import { encodePng, upscaleNearest, type RasterImage } from '../../trainer/report/png';
import { THUMBNAIL_PIXELS, writeMisclassifiedThumbnails } from '../../trainer/submodules/classification/thumbnails';
import { medmnistNpz, PATH_SHAPED, pixelValue, type MedmnistFixture } from './data-fixtures';

/** A decoder for what the encoder may write (8-bit grey or RGB, no interlace), checking every CRC on the way. */
function decodePng(png: Buffer): RasterImage {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)), `${type} CRC`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  assert.deepEqual([chunks[0]?.type, chunks.at(-1)?.type], ['IHDR', 'IEND']);
  const header = chunks[0]!.data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  assert.equal(header[8], 8, 'bit depth');
  assert.equal(header[12], 0, 'interlace');
  const channels = ({ 0: 1, 2: 3 } as const)[header[9] as 0 | 2];
  assert.ok(channels, `colour type ${header[9]}`);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * channels;
  assert.equal(raw.length, (stride + 1) * height);
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (stride + 1)], 0, `row ${y} filter`);
    pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, channels, pixels };
}

const PYTHON = '/usr/bin/python3';
const hasPillow = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import PIL'], { encoding: 'utf8' }).status === 0;

describe('the PNG encoder', () => {
  const grey: RasterImage = { width: 5, height: 3, channels: 1, pixels: Uint8Array.from({ length: 15 }, (_, i) => (i * 53) % 256) };
  const rgb: RasterImage = { width: 4, height: 2, channels: 3, pixels: Uint8Array.from({ length: 24 }, (_, i) => (i * 31 + 7) % 256) };

  for (const [name, image] of [['greyscale', grey], ['RGB', rgb]] as const) {
    it(`writes a ${name} image that decodes back to the same pixels`, () => {
      assert.deepEqual(decodePng(encodePng(image)), image);
    });
  }

  it('is read back by Pillow with the same size, mode and pixels', { skip: !hasPillow && 'Debian python3-pil is not installed' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'png-'));
    writeFileSync(join(dir, 'grey.png'), encodePng(grey));
    writeFileSync(join(dir, 'rgb.png'), encodePng(rgb));
    const script = 'import sys, json\nfrom PIL import Image\nprint(json.dumps([[im.size, im.mode, list(im.tobytes())] for im in (Image.open(p) for p in sys.argv[1:])]))';
    const out = spawnSync(PYTHON, ['-c', script, join(dir, 'grey.png'), join(dir, 'rgb.png')], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), [
      [[5, 3], 'L', [...grey.pixels]],
      [[4, 2], 'RGB', [...rgb.pixels]],
    ]);
  });

  it('refuses pixels that do not fill the stated size', () => {
    assert.throws(() => encodePng({ ...rgb, width: 5 }), /need 30 bytes, got 24/);
    assert.throws(() => encodePng({ ...grey, width: 0, pixels: new Uint8Array(0) }), /positive integer size/);
  });

  it('enlarges by whole pixels, each becoming a block, without mixing neighbours', () => {
    const big = upscaleNearest(rgb, 3);
    assert.deepEqual([big.width, big.height, big.channels], [12, 6, 3]);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 12; x++) {
        const source = (Math.floor(y / 3) * 4 + Math.floor(x / 3)) * 3;
        assert.deepEqual([...big.pixels.subarray((y * 12 + x) * 3, (y * 12 + x) * 3 + 3)], [...rgb.pixels.subarray(source, source + 3)], `(${x}, ${y})`);
      }
    }
    assert.equal(upscaleNearest(grey, 1), grey);
  });
});

describe('thumbnails of misclassified test images', () => {
  async function fixtureTestSplit(fixture: MedmnistFixture) {
    const dir = mkdtempSync(join(tmpdir(), 'thumbs-'));
    const file = join(dir, 'fixture.npz');
    writeFileSync(file, medmnistNpz(fixture));
    const labelNames = Array.from({ length: fixture.maxLabel + 1 }, (_, i) => `class ${i}`);
    const expect: MedmnistExpectation = { name: 'fixture', task: 'multi-class', labelNames, channels: fixture.channels, size: fixture.size };
    return { dir, test: (await readMedmnistNpz(file, expect)).splits.test };
  }
  const cell = (trueClass: number, predicted: number, testIndices: number[]): Misclassified => ({ trueClass, predicted, count: testIndices.length + 3, testIndices });

  it('writes one enlarged PNG per listed test index, once even when several experiments list it, with the file’s pixels', async () => {
    const { dir, test } = await fixtureTestSplit(PATH_SHAPED);
    const experiments = [{ misclassified: [cell(0, 1, [3, 1])] }, { misclassified: [cell(2, 0, [1]), cell(4, 5, [4])] }];
    const written = writeMisclassifiedThumbnails(join(dir, 'run'), test, experiments);

    assert.equal(written.folder, join(dir, 'run', THUMBNAIL_FOLDER));
    assert.deepEqual(written.indices, [1, 3, 4]);
    assert.deepEqual(readdirSync(written.folder).sort(), [1, 3, 4].map(thumbnailFileName).sort());
    const size = PATH_SHAPED.size;
    const factor = THUMBNAIL_PIXELS / size;
    for (const index of written.indices) {
      const png = decodePng(readFileSync(join(written.folder, thumbnailFileName(index))));
      assert.deepEqual([png.width, png.height, png.channels], [THUMBNAIL_PIXELS, THUMBNAIL_PIXELS, 3]);
      // The fixture's pixel values follow a formula over the split's flat array, so every output pixel is predictable.
      for (const [x, y, c] of [[0, 0, 0], [5, 2, 1], [83, 83, 2], [40, 61, 0]] as const) {
        const source = index * size * size * 3 + (Math.floor(y / factor) * size + Math.floor(x / factor)) * 3 + c;
        assert.equal(png.pixels[(y * THUMBNAIL_PIXELS + x) * 3 + c], pixelValue(source), `image ${index} at (${x}, ${y}) channel ${c}`);
      }
    }
  });

  it('writes greyscale images as greyscale PNGs', async () => {
    const { dir, test } = await fixtureTestSplit({ ...PATH_SHAPED, channels: 1, maxLabel: 1 });
    const written = writeMisclassifiedThumbnails(dir, test, [{ misclassified: [cell(1, 0, [2])] }]);
    const png = decodePng(readFileSync(join(written.folder, thumbnailFileName(2))));
    assert.equal(png.channels, 1);
    assert.equal(png.pixels[0], pixelValue(2 * 28 * 28));
  });

  it('refuses an index outside the test split rather than writing another image', async () => {
    const { dir, test } = await fixtureTestSplit(PATH_SHAPED);
    assert.throws(() => writeMisclassifiedThumbnails(dir, test, [{ misclassified: [cell(0, 1, [5])] }]), /test index 5 is outside the 5 test images/);
  });
});
