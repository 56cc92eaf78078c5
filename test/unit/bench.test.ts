import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { median } from '../../trainer/bench/timing';
import type { BenchReport } from '../../trainer/bench/runBench';
import { runBenchCommand } from '../../trainer/cli/benchCommand';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' }).status === 0;
// Tiny cases: the command's plumbing, not the speed, is under test. Batch 2, because PyTorch's batch norm
// refuses to train on a single value per channel (ResNet-18's last stage is 1×1 at this size).
const TINY = ['--size', '16', '--batch', '2', '--steps', '1', '--warmup', '0', '--backend', 'wasm'];

async function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBenchCommand(args, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

test('without PyTorch, bench --json still times the step and gives null torch times with the reason', async () => {
  const run = await bench(['--case', 'unet', ...TINY, '--python', '/nonexistent/python3', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as BenchReport;
  assert.equal(report.backend, 'wasm');
  assert.equal(report.steps, 1);
  assert.equal(report.load_average.length, 3);
  assert.equal(report.load_average_end.length, 3);
  assert.equal(report.cases.length, 1);
  const [unet] = report.cases;
  assert.equal(unet!.name, 'unet-16-b2', 'the name follows the size and batch actually run');
  assert.ok(unet!.ms_per_step > 0);
  assert.equal(unet!.step_ms.length, 1);
  assert.equal(unet!.torch_ms_per_step, null);
  assert.equal(unet!.ratio, null);
  assert.ok(unet!.cpu_ms_per_step > 0);
  assert.equal(unet!.cpu_ratio, null);
  assert.match(unet!.torch_reason ?? '', /\/nonexistent\/python3 could not be started/);
  assert.ok(unet!.peak_rss_mb > 0);
  assert.ok((unet!.wasm_heap_mb ?? 0) > 0, 'the wasm heap is reported on wasm');
  assert.equal(unet!.kernels, undefined, 'no profile unless asked for');
});

test('bench prints a table with the reason PyTorch was not timed', async () => {
  const run = await bench(['--case', 'unet-128-b4', ...TINY, '--no-torch']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^case\s+ms\/step\s+torch ms\s+ratio\s+CPU ratio/m);
  assert.match(run.stdout, /^unet-16-b2\s+\d+\s+–\s+–\s+–/m);
  assert.match(run.stdout, /no PyTorch time: PyTorch timing was turned off/);
});

test(
  'with PyTorch, bench --json has both times, their ratio, and a kernel profile that counts each kernel once',
  { skip: hasTorch ? false : `${PYTHON} has no torch/torchvision (apt-get install python3-torch python3-torchvision)` },
  async () => {
    const run = await bench(['--case', 'resnet18', '--case', 'unet', ...TINY, '--profile-kernels', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as BenchReport;
    assert.match(report.torch_version ?? '', /^1\./);
    assert.deepEqual(report.cases.map((c) => c.name), ['resnet18-16-b2', 'unet-16-b2']);
    for (const c of report.cases) {
      assert.ok(c.torch_ms_per_step! > 0, c.name);
      assert.equal(c.torch_reason, null);
      assert.equal(c.torch_threads, report.threads, 'PyTorch gets the backend’s thread count');
      assert.ok(Math.abs(c.ratio! - c.ms_per_step / c.torch_ms_per_step!) <= 0.01 * c.ratio! + 0.01, `${c.name}: ratio is tfjs / torch`);
      assert.ok(c.torch_peak_rss_mb! > 0);
      assert.ok(Math.abs(c.cpu_ratio! - c.cpu_ms_per_step / c.torch_cpu_ms_per_step!) <= 0.01 * c.cpu_ratio! + 0.01, `${c.name}: CPU ratio`);
      const top = c.kernels!.top;
      assert.ok(top.length > 0 && top.length <= 15);
      assert.deepEqual([...top].sort((a, b) => b.ms - a.ms), top, 'largest first');
      assert.ok(top.some((k) => k.kernel === 'Conv2DBackpropFilter'), `${c.name}: the filter gradient shows: ${top.map((k) => k.kernel).join(', ')}`);
      assert.ok(!top.some((k) => k.kernel.endsWith('__op')), 'op scopes around kernels are not counted again');
      assert.ok(c.kernels!.total_ms >= top.reduce((s, k) => s + k.ms, 0) - 0.1);
    }
  },
);

test('bench explains an unknown case and a zero step count', async () => {
  const unknown = await bench(['--case', 'vgg16']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--case must be one of resnet18, resnet18-28-b128, unet, unet-128-b4; not "vgg16"/);
  const zero = await bench(['--steps', '0']);
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /--steps must be a whole number ≥ 1, not "0"/);
});

test('the step time is the median of the timed steps', () => {
  assert.equal(median([30, 10, 20]), 20);
  assert.equal(median([40, 10, 30, 20]), 25);
  assert.throws(() => median([]), RangeError);
});
