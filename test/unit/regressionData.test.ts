import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LabError } from '../../trainer/core/labError';
import { parseCsv } from '../../trainer/data/csv';
import { FEATURE_SETS, MEASUREMENT_COLUMNS, TARGET, embeddedDatasetPath, loadRegressionTable, parseRegressionTable } from '../../trainer/submodules/regression/dataset';

const embedded = readFileSync(embeddedDatasetPath(), 'utf8');

test('the embedded table has 569 rows and the 30 measurements with their usual names', () => {
  const table = loadRegressionTable();
  assert.equal(table.values.length, 569);
  assert.equal(table.columns.length, 30);
  assert.ok(table.columns.includes('radius_mean') && table.columns.includes('fractal_dimension_worst'));
  // First row of the UCI table: radius_mean 17.99, area_worst 2019.
  assert.equal(table.values[0]![MEASUREMENT_COLUMNS.indexOf('radius_mean')], 17.99);
  assert.equal(table.values[0]![MEASUREMENT_COLUMNS.indexOf('area_worst')], 2019);
});

test('the target is never a feature, and the no-size set has no radius, perimeter or area column', () => {
  for (const set of FEATURE_SETS) assert.ok(!set.features.includes(TARGET), set.name);
  const noSize = FEATURE_SETS.find((s) => s.name === 'no-size')!;
  assert.deepEqual(noSize.features.filter((f) => /radius|perimeter|area/.test(f)), []);
  assert.equal(noSize.features.length, 21);
});

function expectDataError(text: string, pattern: RegExp): LabError {
  let caught: unknown;
  try {
    parseRegressionTable(text, '/data/cells.csv');
  } catch (err) {
    caught = err;
  }
  assert.ok(LabError.is(caught, 'bad-data'), `expected a bad-data error, got ${String(caught)}`);
  assert.match(caught.message, /\/data\/cells\.csv/, 'names the file');
  assert.match(caught.message, pattern);
  return caught;
}

test('a missing column is named, with the fix', () => {
  const lines = embedded.split('\n');
  const header = lines[0]!.split(',');
  const drop = header.indexOf('texture_se');
  const cut = lines.map((l) => l.split(',').filter((_, i) => i !== drop).join(',')).join('\n');
  expectDataError(cut, /missing column "texture_se".*must name all 30/);
});

test('a NaN or empty measurement names the line and the column', () => {
  const lines = embedded.split('\n');
  const cells = lines[3]!.split(',');
  cells[1] = 'NaN';
  lines[3] = cells.join(',');
  const err = expectDataError(lines.join('\n'), /line 4, column "radius_mean": "NaN" is not a finite number/);
  assert.equal(err.location?.line, 4);
  cells[1] = '';
  lines[3] = cells.join(',');
  expectDataError(lines.join('\n'), /line 4, column "radius_mean": the value is empty/);
});

test('malformed CSV: a row with a missing comma, an unclosed quote, an empty file', () => {
  const lines = embedded.split('\n');
  lines[10] = lines[10]!.replace(',', '');
  expectDataError(lines.join('\n'), /line 11 has 30 fields but the header has 31/);
  assert.throws(() => parseCsv('a,b\n"1,2\n', 'x.csv'), /quoted field opened on line 2 is never closed/);
  assert.throws(() => parseCsv('', 'x.csv'), /x\.csv: the file is empty/);
  assert.throws(() => parseCsv('a,a\n1,2\n', 'x.csv'), /names column "a" twice/);
});

test('a dataset file that cannot be read says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-'));
  assert.throws(() => loadRegressionTable(join(dir, 'absent.csv')), /absent\.csv: cannot read the dataset \(ENOENT\)/);
  writeFileSync(join(dir, 'quoted.csv'), 'a,"b ""x"""\n1,2\n');
  assert.deepEqual(parseCsv(readFileSync(join(dir, 'quoted.csv'), 'utf8'), 'q').header, ['a', 'b "x"']);
});
