import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOST_TO_TRAINER, TRAINER_TO_HOST, decodeLine, envelope } from '../../protocol/messages';

const start = { runId: 'r1', submodule: 'regression', profile: 'quick', seed: 1, backend: 'auto', outDir: '/tmp/x' };

test('a well-formed start message round-trips', () => {
  const decoded = decodeLine(JSON.stringify({ v: 1, method: 'run/start', params: start }), HOST_TO_TRAINER);
  assert.ok(decoded.ok);
  assert.equal(decoded.message.method, 'run/start');
});

test('malformed messages are rejected with a reason that names the problem', () => {
  const cases: [string, RegExp][] = [
    ['{not json', /not JSON/],
    ['[1,2]', /must be an object/],
    [JSON.stringify({ v: 2, method: 'run/start', params: start }), /protocol version 2 is not supported/],
    [JSON.stringify({ v: 1, method: 'run/explode', params: {} }), /unknown method "run\/explode"/],
    [JSON.stringify({ v: 1, method: 'run/start', params: { ...start, seed: 'x' } }), /run\/start: params\.seed/],
    [JSON.stringify({ v: 1, method: 'run/start', params: { ...start, submodule: 'genomics' } }), /params\.submodule/],
  ];
  for (const [line, reason] of cases) {
    const decoded = decodeLine(line, HOST_TO_TRAINER);
    assert.equal(decoded.ok, false, line);
    if (!decoded.ok) assert.match(decoded.reason, reason);
  }
});

test('each end accepts only the messages meant for it', () => {
  const progress = JSON.stringify(envelope('run/progress', { runId: 'r', stage: 's', fraction: 0.5 }));
  assert.equal(decodeLine(progress, HOST_TO_TRAINER).ok, false);
  assert.equal(decodeLine(progress, TRAINER_TO_HOST).ok, true);
});

test('a progress fraction outside 0..1 and a non-finite metric are rejected', () => {
  assert.equal(decodeLine(JSON.stringify(envelope('run/progress', { runId: 'r', stage: 's', fraction: 1.5 })), TRAINER_TO_HOST).ok, false);
  const nan = JSON.stringify({ v: 1, method: 'run/metric', params: { runId: 'r', model: 'm', name: 'mae', value: null } });
  assert.equal(decodeLine(nan, TRAINER_TO_HOST).ok, false);
});
