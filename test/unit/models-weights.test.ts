import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/ladder';
import { tf } from '../../trainer/backend/tf';
import { LabError } from '../../trainer/core/labError';
import { SeededRandom } from '../../trainer/core/random';
import { createResNet18 } from '../../trainer/models/resnet18';
import { SafetensorsFile } from '../../trainer/models/safetensors';
import { loadTorchvisionWeights, torchvisionTensorSpecs } from '../../trainer/models/torchvisionWeights';

before(async () => {
  await selectBackend({ choice: 'cpu', searchPaths: [], wasmDir: '' });
});

interface RawTensor {
  name: string;
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/** The format written the simplest way: no padding, so the data section is deliberately left unaligned. */
function encodeSafetensors(tensors: RawTensor[], metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.length] };
    offset += t.bytes.length;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, ...tensors.map((t) => t.bytes)]);
}

const f32 = (values: ArrayLike<number>): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

/** A plausible torchvision state dict for `model`: sane BatchNorm statistics, weights scaled by fan-in. */
function syntheticState(model: TF.LayersModel, seed: number): RawTensor[] {
  const rng = new SeededRandom(seed);
  return torchvisionTensorSpecs(model).map(({ key, shape, dtype }) => {
    if (dtype === 'int64') return { name: key, dtype: 'I64', shape, bytes: new Uint8Array(8) };
    const n = shape.reduce((a, b) => a * b, 1);
    const fanIn = shape.length > 1 ? n / shape[0]! : 1;
    const draw = key.endsWith('running_var') ? () => 0.5 + rng.next() : key.endsWith('bn1.weight') || key.endsWith('bn2.weight') ? () => 0.75 + 0.5 * rng.next() : () => (rng.next() * 2 - 1) * Math.sqrt(3 / fanIn);
    return { name: key, dtype: 'F32', shape, bytes: f32(Array.from({ length: n }, draw)) };
  });
}

function parse(bytes: Uint8Array, source = 'weights.safetensors'): SafetensorsFile {
  return SafetensorsFile.parse(bytes, source);
}

function labError(fn: () => unknown): LabError {
  try {
    fn();
  } catch (err) {
    assert.ok(LabError.is(err, 'bad-data'), `expected a bad-data LabError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

const small: RawTensor[] = [
  { name: 'a', dtype: 'F32', shape: [2, 2], bytes: f32([1, 2, 3, 4]) },
  { name: 'fc.bias', dtype: 'F32', shape: [3], bytes: f32([5, 6, 7]) },
];

test('a .safetensors file is read by name, with its __metadata__, from disk', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'st-')), 'small.safetensors');
  writeFileSync(file, encodeSafetensors(small, { format: 'pt' }));
  const st = SafetensorsFile.read(file);
  assert.equal(st.source, 'small.safetensors');
  assert.deepEqual(st.metadata, { format: 'pt' });
  assert.deepEqual(st.names(), ['a', 'fc.bias']);
  assert.deepEqual(st.entry('a')!.shape, [2, 2]);
  assert.deepEqual([...st.float32('fc.bias')], [5, 6, 7]);
});

test('a truncated .safetensors file is refused, naming the file and the tensor that runs past the end', () => {
  const whole = encodeSafetensors(small);
  const err = labError(() => parse(whole.subarray(0, whole.length - 4)));
  assert.match(err.message, /weights\.safetensors .*tensor "fc\.bias" needs bytes 16–28 of the data section, which has only 24 bytes \(the file is truncated/);
  assert.match(labError(() => parse(whole.subarray(0, 5))).message, /weights\.safetensors .*5 bytes.*truncated/);
  assert.match(labError(() => parse(whole.subarray(0, 30))).message, /header should be \d+ bytes but only 22 follow/);
});

test('a malformed header is refused with what is wrong in it', () => {
  const header = (json: string): Buffer => {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
    return Buffer.concat([length, Buffer.from(json)]);
  };
  assert.match(labError(() => parse(header('{"a": '))).message, /header is not valid JSON/);
  assert.match(labError(() => parse(header('[1]'))).message, /header is not a JSON object/);
  assert.match(labError(() => parse(header('{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}'))).message, /tensor "w" has an unknown dtype "F33"/);
  assert.match(labError(() => parse(header('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}'))).message, /tensor "w" has data_offsets \[0, 4\], but F32 \[2\] needs 8 bytes/);
  assert.match(labError(() => parse(header('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}'))).message, /tensor "w" has an invalid shape/);
  assert.match(labError(() => parse(header('{"__metadata__":{"n":1}}'))).message, /__metadata__ must map names to strings/);
});

test('F16 and BF16 tensors are converted to float32; integer tensors are not read as weights', () => {
  const u16 = (values: number[]): Uint8Array => new Uint8Array(Uint16Array.from(values).buffer);
  const st = parse(
    encodeSafetensors([
      // 1, -2, 0.5, 65504 (largest half), 2^-24 (smallest subnormal), +Infinity
      { name: 'half', dtype: 'F16', shape: [6], bytes: u16([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7c00]) },
      // 1, -2, 0.5, 3.140625
      { name: 'brain', dtype: 'BF16', shape: [4], bytes: u16([0x3f80, 0xc000, 0x3f00, 0x4049]) },
      { name: 'steps', dtype: 'I64', shape: [], bytes: new Uint8Array(8) },
    ]),
  );
  assert.deepEqual([...st.float32('half')], [1, -2, 0.5, 65504, 2 ** -24, Infinity]);
  assert.deepEqual([...st.float32('brain')], [1, -2, 0.5, 3.140625]);
  assert.match(labError(() => st.float32('steps')).message, /tensor "steps" in weights\.safetensors is I64; only F32, F16, BF16/);
});

test('a full torchvision state dict loads: 102 tensors copied, the 20 num_batches_tracked counters ignored', () => {
  const model = createResNet18({ channels: 3, classes: 9 });
  const report = loadTorchvisionWeights(model, parse(encodeSafetensors(syntheticState(model, 1))));
  assert.equal(report.loaded.length, 102);
  assert.equal(report.ignored.length, 20);
  assert.ok(report.ignored.every((k) => k.endsWith('num_batches_tracked')));
  model.dispose();
});

test('a tensor of the wrong shape is named with both shapes and the fix, and the model is left unchanged', () => {
  const model = createResNet18({ channels: 3, classes: 9 });
  const state = syntheticState(model, 2).map((t) =>
    t.name === 'layer3.1.conv2.weight' ? { ...t, shape: [256, 256, 1, 9] } : t,
  );
  const before = (model.getLayer('conv1').getWeights()[0]!.dataSync() as Float32Array).slice();
  const err = labError(() => loadTorchvisionWeights(model, parse(encodeSafetensors(state))));
  assert.match(err.message, /weights\.safetensors does not fit this ResNet-18/);
  assert.match(err.message, /tensor "layer3\.1\.conv2\.weight" has shape \[256, 256, 1, 9\], expected \[256, 256, 3, 3\]: .*use a resnet18 state dict/);
  assert.deepEqual(model.getLayer('conv1').getWeights()[0]!.dataSync(), before);
  model.dispose();
});

test('missing and foreign tensors are listed; a DataParallel "module." prefix is recognised with its fix', () => {
  const model = createResNet18({ channels: 3, classes: 9 });
  const state = syntheticState(model, 3);
  const gappy = [...state.filter((t) => t.name !== 'layer1.0.bn1.running_var'), { name: 'classifier.weight', dtype: 'F32', shape: [1], bytes: f32([0]) }];
  const err = labError(() => loadTorchvisionWeights(model, parse(encodeSafetensors(gappy))));
  assert.match(err.message, /tensor "layer1\.0\.bn1\.running_var" is missing \(expected shape \[64\]\)/);
  assert.match(err.message, /tensor "classifier\.weight" is not part of a torchvision ResNet-18/);
  const wrapped = state.map((t) => ({ ...t, name: `module.${t.name}` }));
  assert.match(labError(() => loadTorchvisionWeights(model, parse(encodeSafetensors(wrapped)))).message, /start with "module\." .*remove that prefix/);
  model.dispose();
});

test('a 9-class file into a 2-class model: refused with the fix, then loaded with newHead keeping the new head', () => {
  const source = createResNet18({ channels: 3, classes: 9 });
  const file = parse(encodeSafetensors(syntheticState(source, 4)));
  source.dispose();
  const model = createResNet18({ channels: 3, classes: 2 });
  assert.match(labError(() => loadTorchvisionWeights(model, file)).message, /"fc\.weight" has shape \[9, 512\], expected \[2, 512\]: .*load with newHead/);
  const head = (model.getLayer('fc').getWeights()[0]!.dataSync() as Float32Array).slice();
  const report = loadTorchvisionWeights(model, file, { newHead: true });
  assert.deepEqual(report.ignored.filter((k) => k.startsWith('fc.')).sort(), ['fc.bias', 'fc.weight']);
  assert.deepEqual(model.getLayer('fc').getWeights()[0]!.dataSync(), head);
  model.dispose();
});

test('RGB weights in a 1-channel model: refused with the fix; with greyFromRgb the network computes what the RGB one does on a grey image copied to R, G and B', () => {
  const rgb = createResNet18({ channels: 3, classes: 2 });
  const file = parse(encodeSafetensors(syntheticState(rgb, 5)));
  loadTorchvisionWeights(rgb, file);
  const grey = createResNet18({ channels: 1, classes: 2 });
  assert.match(labError(() => loadTorchvisionWeights(grey, file)).message, /"conv1\.weight" has shape \[64, 3, 7, 7\], expected \[64, 1, 7, 7\]: .*greyFromRgb/);
  loadTorchvisionWeights(grey, file, { greyFromRgb: true });
  const [fromRgb, fromGrey] = tf.tidy(() => {
    const image = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 6);
    return [rgb.predict(tf.tile(image, [1, 1, 1, 3])) as TF.Tensor, grey.predict(image) as TF.Tensor];
  });
  const a = fromRgb.dataSync();
  const b = fromGrey.dataSync();
  const scale = Math.max(1, ...Array.from(a, Math.abs));
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-4 * scale, `logit ${i}: ${v} vs ${b[i]}`));
  tf.dispose([fromRgb, fromGrey]);
  rgb.dispose();
  grey.dispose();
});
