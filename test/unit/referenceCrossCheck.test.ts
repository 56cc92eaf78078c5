import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');

// Debian's interpreter, where .ci/run installs python3-torch and python3-sklearn (PLATFORM.md).
const python = '/usr/bin/python3';

test('linear regression and the network match scikit-learn and PyTorch replaying the same splits (within 5 %)', () => {
  const out = mkdtempSync(join(tmpdir(), 'reference-'));
  const run = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'run', 'regression', '--splits', '4', '--seed', '21', '--out', out], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const check = spawnSync(python, [join(root, 'scripts', 'reference', 'regression_reference.py'), out], { encoding: 'utf8' });
  assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
  const network = /\| network \| ([\d.]+) ± [\d.]+ \| ([\d.]+) ±/.exec(check.stdout);
  assert.ok(network, check.stdout);
  assert.ok(Math.abs(Number(network[1]) - Number(network[2])) / Number(network[2]) < 0.05, check.stdout);
});
