import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LabError } from '../../trainer/core/labError';
import { fileMd5 } from '../../trainer/data/download/md5';
import { MEDMNIST } from '../../trainer/data/medmnist/catalog';
import { loadMedmnist, loadMedmnistSplit, readMedmnistNpz, type MedmnistExpectation } from '../../trainer/data/medmnist/load';
import { NpzReader } from '../../trainer/data/npz';
import { ZipReader } from '../../trainer/data/zip';
import { CHEST_SHAPED, intBytes, labelValue, medmnistArrays, medmnistNpz, npy, PATH_SHAPED, pixelValue, zip, type MedmnistFixture } from './data-fixtures';

const BREAST = join(__dirname, '../../../shared/data/breastmnist.npz');
const dir = mkdtempSync(join(tmpdir(), 'biomed-npz-'));
let fileNumber = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

function fixtureFile(bytes: Buffer, name = `fixture-${++fileNumber}.npz`): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const pathLike: MedmnistExpectation = {
  name: 'pathmnist-shaped fixture',
  task: 'multi-class',
  labelNames: MEDMNIST.pathmnist.labels,
  channels: 3,
  size: 28,
  samples: PATH_SHAPED.counts,
};
const chestLike: MedmnistExpectation = {
  name: 'chestmnist-shaped fixture',
  task: 'multi-label, binary-class',
  labelNames: MEDMNIST.chestmnist.labels,
  channels: 1,
  size: 28,
  samples: CHEST_SHAPED.counts,
};

async function expectBadData(run: () => Promise<unknown>, file: string, pattern: RegExp): Promise<LabError> {
  let caught: unknown;
  try {
    await run();
  } catch (err) {
    caught = err;
  }
  assert.ok(LabError.is(caught, 'bad-data'), `expected a bad-data LabError, got ${String(caught)}`);
  assert.ok(caught.message.includes(file), `names the file: ${caught.message}`);
  assert.match(caught.message, pattern);
  return caught;
}

test('the real BreastMNIST loads: 546/78/156 grey 28×28 images with labels 0 or 1', async () => {
  const data = await loadMedmnist(BREAST, 'breastmnist');
  assert.equal(data.task, 'binary-class');
  for (const [split, count] of [['train', 546], ['val', 78], ['test', 156]] as const) {
    const s = data.splits[split];
    assert.deepEqual([s.count, s.height, s.width, s.channels, s.labelColumns], [count, 28, 28, 1, 1], split);
    assert.equal(s.images.length, count * 28 * 28);
    assert.equal(s.labels.length, count);
    assert.ok(s.labels.every((v) => v === 0 || v === 1), `${split} labels are 0 or 1`);
  }
  // Values numpy reports for this file: train_images.ravel()[100:105] and train_labels[:10].
  assert.deepEqual([...data.splits.train.images.subarray(100, 105)], [65, 74, 99, 110, 122]);
  assert.deepEqual([...data.splits.train.labels.subarray(0, 10)], [1, 1, 1, 1, 0, 1, 1, 1, 0, 1]);
});

test('the real BreastMNIST has the MD5 the catalog lists', async () => {
  assert.equal(await fileMd5(BREAST), MEDMNIST.breastmnist.files[28]!.md5);
  assert.equal(MEDMNIST.breastmnist.files[28]!.md5, '750601b1f35ba3300ea97c75c52ff8f6');
});

test('only the test split is read when only the test split is asked for', async () => {
  const testSplit = await loadMedmnistSplit(BREAST, 'breastmnist', 28, 'test');
  assert.equal(testSplit.count, 156);
});

async function assertPathFixture(fixture: MedmnistFixture): Promise<void> {
  const file = fixtureFile(medmnistNpz(fixture));
  const data = await readMedmnistNpz(file, pathLike);
  const train = data.splits.train;
  assert.deepEqual([train.count, train.height, train.width, train.channels], [20, 28, 28, 3]);
  assert.ok(train.images instanceof Uint8Array);
  assert.equal(train.images.length, 20 * 28 * 28 * 3);
  for (const i of [0, 1, 777, train.images.length - 1]) assert.equal(train.images[i], pixelValue(i));
  assert.deepEqual([...data.splits.val.labels], [0, 1, 2, 3, 4].map((i) => labelValue(i, 8)));
  assert.ok(train.labels.every((v) => v >= 0 && v <= 8));
}

test('a PathMNIST-shaped file loads whether its members are stored or deflated', async () => {
  await assertPathFixture(PATH_SHAPED);
  await assertPathFixture({ ...PATH_SHAPED, method: 8 });
});

test('ZIP64 members, a ZIP64 end record, npy v2/v3 headers and int64 labels load the same', async () => {
  await assertPathFixture({ ...PATH_SHAPED, zip64: true, method: 8 });
  await assertPathFixture({ ...PATH_SHAPED, npyVersion: 2, labelDescr: '<i8' });
  await assertPathFixture({ ...PATH_SHAPED, npyVersion: 3, labelDescr: '<i4' });
  const members = [...medmnistArrays(PATH_SHAPED)].map(([name, data]) => ({ name, data, zip64: true }));
  const file = fixtureFile(zip(members, { zip64End: true }));
  assert.equal((await readMedmnistNpz(file, pathLike)).splits.test.count, 5);
});

test('an archive whose members and directory lie beyond 4 GB is read through its ZIP64 records', async () => {
  // A sparse file: 5 GB of hole, then the archive, so offsets need 64 bits but the disk holds a few kilobytes.
  const base = 5 * 2 ** 30;
  const members = [...medmnistArrays(PATH_SHAPED)].map(([name, data]) => ({ name, data, zip64: true, method: 8 as const }));
  const file = join(dir, 'beyond-4gb.npz');
  const fd = openSync(file, 'w');
  const bytes = zip(members, { zip64End: true, baseOffset: base });
  writeSync(fd, bytes, 0, bytes.length, base);
  closeSync(fd);
  assert.ok(statSync(file).size > 2 ** 32);
  const data = await readMedmnistNpz(file, pathLike);
  assert.equal(data.splits.train.images[777], pixelValue(777));
});

test('a ChestMNIST-shaped file gives 14 label columns of 0 and 1', async () => {
  const data = await readMedmnistNpz(fixtureFile(medmnistNpz(CHEST_SHAPED)), chestLike);
  const train = data.splits.train;
  assert.equal(train.labelColumns, 14);
  assert.equal(train.labels.length, 12 * 14);
  assert.ok(train.labels.every((v) => v === 0 || v === 1));
  assert.ok(train.labels.some((v) => v === 1) && train.labels.some((v) => v === 0));
});

test('the npz reader lists arrays by numpy name', async () => {
  const npz = await NpzReader.open(BREAST);
  try {
    assert.deepEqual(npz.names.sort(), ['test_images', 'test_labels', 'train_images', 'train_labels', 'val_images', 'val_labels']);
  } finally {
    await npz.close();
  }
});

test('a fixture checked against the catalog is refused: its split sizes are not the published ones', async () => {
  const file = fixtureFile(medmnistNpz(PATH_SHAPED));
  await expectBadData(() => loadMedmnist(file, 'pathmnist'), file, /train_images\.npy has 20 images but the MedMNIST catalog lists 89996 .*download it again/);
});

test('labels with one row fewer than the images are named, both counts given', async () => {
  const replace = new Map([['val_labels.npy', npy('|u1', [4, 1], Uint8Array.from([0, 1, 2, 3]))]]);
  const file = fixtureFile(medmnistNpz(PATH_SHAPED, replace));
  await expectBadData(() => readMedmnistNpz(file, pathLike), file, /val_labels\.npy has 4 rows but val_images\.npy has 5/);
});

test('wrong image size, wrong channels, wrong dtype and out-of-range labels are each named', async () => {
  const big = fixtureFile(medmnistNpz({ ...PATH_SHAPED, size: 32 }));
  await expectBadData(() => readMedmnistNpz(big, pathLike), big, /train_images\.npy holds 32×32 images but .* has 28×28/);
  const grey = fixtureFile(medmnistNpz({ ...PATH_SHAPED, channels: 1 }));
  await expectBadData(() => readMedmnistNpz(grey, pathLike), grey, /train_images\.npy has 1 channel\(s\) per pixel but .* has 3/);
  const floatImages = new Map([['test_images.npy', npy('<f4', [5, 28, 28, 3], Buffer.alloc(5 * 28 * 28 * 3 * 4))]]);
  const floats = fixtureFile(medmnistNpz(PATH_SHAPED, floatImages));
  await expectBadData(() => readMedmnistNpz(floats, pathLike), floats, /test_images\.npy has dtype <f4; MedMNIST images are uint8/);
  const nine = new Map([['train_labels.npy', npy('<i8', [20, 1], intBytes('<i8', [...Array(19).fill(0), 9]))]]);
  const outOfRange = fixtureFile(medmnistNpz(PATH_SHAPED, nine));
  await expectBadData(() => readMedmnistNpz(outOfRange, pathLike), outOfRange, /row 19 of train_labels\.npy holds label 9, outside 0–8/);
  const chestAsSingle = fixtureFile(medmnistNpz(CHEST_SHAPED));
  await expectBadData(() => readMedmnistNpz(chestAsSingle, { ...chestLike, task: 'binary-class' }), chestAsSingle, /has 14 column\(s\) but .* has 1/);
});

test('a missing array names the entry and lists what is there', async () => {
  const members = [...medmnistArrays(PATH_SHAPED)].filter(([name]) => name !== 'test_images.npy').map(([name, data]) => ({ name, data }));
  const file = fixtureFile(zip(members));
  await expectBadData(() => readMedmnistNpz(file, pathLike), file, /has no entry test_images\.npy \(entries: .*train_images\.npy/);
});

test('a file cut short anywhere is reported as incomplete, with the fix', async () => {
  const whole = medmnistNpz({ ...PATH_SHAPED, method: 8 });
  for (const length of [0, 3, 30, 1000, Math.floor(whole.length / 2), whole.length - 23, whole.length - 1]) {
    const file = fixtureFile(whole.subarray(0, length));
    const err = await expectBadData(() => readMedmnistNpz(file, pathLike), file, /empty|not a complete zip archive/);
    assert.match(err.message, /delete it and download it again/, `cut at ${length}`);
  }
});

test('an array whose data is shorter than its shape says how many bytes were expected and found', async () => {
  const image = npy('|u1', [5, 28, 28, 3], Buffer.alloc(5 * 28 * 28 * 3));
  const file = fixtureFile(medmnistNpz(PATH_SHAPED, new Map([['val_images.npy', image.subarray(0, image.length - 100)]])));
  await expectBadData(() => readMedmnistNpz(file, pathLike), file, /entry val_images\.npy: truncated data: expected 11760 bytes .* got 11660/);
});

test('one flipped byte inside a stored member is a CRC mismatch naming the entry', async () => {
  const bytes = medmnistNpz(PATH_SHAPED);
  const at = bytes.indexOf('train_images.npy') + 'train_images.npy'.length + 500;
  bytes[at] ^= 0xff;
  const file = fixtureFile(bytes);
  await expectBadData(() => readMedmnistNpz(file, pathLike), file, /entry train_images\.npy: CRC mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/);
});

test('flipped bytes inside a deflated member are caught as corrupt data or a CRC mismatch', async () => {
  const bytes = medmnistNpz({ ...PATH_SHAPED, method: 8 });
  const at = bytes.indexOf('train_images.npy') + 'train_images.npy'.length + 40;
  for (let i = 0; i < 8; i++) bytes[at + i] ^= 0x5a;
  const file = fixtureFile(bytes);
  await expectBadData(() => readMedmnistNpz(file, pathLike), file, /entry train_images\.npy: (the compressed data is corrupt|CRC mismatch|inflates to more)/);
});

test('an npz member that is not an array says "bad magic"', async () => {
  const file = fixtureFile(medmnistNpz(PATH_SHAPED, new Map([['train_labels.npy', Buffer.from('label,text\n0\n')]])));
  await expectBadData(() => readMedmnistNpz(file, pathLike), file, /entry train_labels\.npy: bad magic/);
});

test('a central directory pointing past the end of the file is reported', async () => {
  const bytes = zip([{ name: 'a.npy', data: npy('|u1', [1], Uint8Array.from([1])) }]);
  bytes.writeUInt32LE(bytes.length * 4, bytes.length - 6);
  const file = fixtureFile(bytes);
  await expectBadData(() => ZipReader.open(file), file, /central directory .* runs past the end of the file/);
});

test('unsupported compression and a missing file are reported clearly', async () => {
  const bytes = zip([{ name: 'a.npy', data: Buffer.from('x') }]);
  const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  bytes.writeUInt16LE(14, central + 10);
  const file = fixtureFile(bytes);
  await expectBadData(() => ZipReader.open(file), file, /entry a\.npy: uses compression method 14; only stored \(0\) and deflate \(8\)/);
  const missing = join(dir, 'nowhere.npz');
  await expectBadData(() => ZipReader.open(missing), missing, /cannot open the file/);
});

test('3D datasets are refused before any reading', async () => {
  await assert.rejects(loadMedmnist(BREAST, 'organmnist3d'), (err: unknown) => LabError.is(err, 'bad-request') && /3D volumes/.test(err.message));
});

test('the 28-pixel file opened as the 224-pixel one is refused by its image size', async () => {
  await expectBadData(() => loadMedmnist(BREAST, 'breastmnist', 224), BREAST, /holds 28×28 images but breastmnist \(224×224\) has 224×224.*another image size/);
});
