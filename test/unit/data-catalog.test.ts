import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MEDMNIST, MEDMNIST_SIZES, type MedmnistFlag } from '../../trainer/data/medmnist/catalog';
import { medmnistFileName } from '../../trainer/data/medmnist/published';

const root = join(__dirname, '../..');
const INFO = join(root, '../shared/data/medmnist_info.json');

test('the committed catalog is what the derivation script makes of medmnist_info.json', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'biomed-catalog-'));
  const out = join(tmp, 'catalog.ts');
  execFileSync(process.execPath, [join(root, 'scripts/medmnist/derive-catalog.mjs'), INFO, out]);
  const derived = readFileSync(out, 'utf8');
  rmSync(tmp, { recursive: true, force: true });
  assert.equal(derived, readFileSync(join(root, 'trainer/data/medmnist/catalog.ts'), 'utf8'));
});

test('PathMNIST: nine tissue classes in colour, 89,996 / 10,004 / 7,180 images', () => {
  const path = MEDMNIST.pathmnist;
  assert.equal(path.task, 'multi-class');
  assert.equal(path.channels, 3);
  assert.equal(path.labels.length, 9);
  assert.equal(path.labels[0], 'adipose');
  assert.equal(path.labels[8], 'colorectal adenocarcinoma epithelium');
  assert.deepEqual(path.samples, { train: 89996, val: 10004, test: 7180 });
});

test('ChestMNIST is multi-label with 14 findings; BreastMNIST is binary with 546 / 78 / 156 images', () => {
  assert.equal(MEDMNIST.chestmnist.task, 'multi-label, binary-class');
  assert.equal(MEDMNIST.chestmnist.labels.length, 14);
  assert.equal(MEDMNIST.breastmnist.task, 'binary-class');
  assert.equal(MEDMNIST.breastmnist.channels, 1);
  assert.deepEqual(MEDMNIST.breastmnist.samples, { train: 546, val: 78, test: 156 });
  assert.equal(MEDMNIST.retinamnist.task, 'ordinal-regression');
});

test('every 2D dataset is published at 28, 64, 128 and 224 pixels with an MD5, the 3D ones at 28 and 64', () => {
  for (const [flag, info] of Object.entries(MEDMNIST)) {
    const sizes = info.dimensions === 2 ? MEDMNIST_SIZES : [28, 64];
    assert.deepEqual(Object.keys(info.files).map(Number), sizes, flag);
    for (const size of sizes) {
      const file = info.files[size as 28]!;
      assert.match(file.md5, /^[0-9a-f]{32}$/, `${flag} ${size}`);
      assert.ok(file.url.includes(`/${medmnistFileName(flag as MedmnistFlag, size as 28)}?`), `${flag} ${size}: ${file.url}`);
    }
  }
});
