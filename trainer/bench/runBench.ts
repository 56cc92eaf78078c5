/**
 * `biomed-lab bench`'s work: for each case, time a TensorFlow.js training step on the backend already
 * selected, then the same step in PyTorch with as many threads, and record memory and (optionally) where the
 * kernel time goes. Cases run one after another, never side by side, so they do not share the cores.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { BenchCase } from './cases';
import { profileKernels, type KernelTime } from './kernelProfile';
import { backendThreads, peakRssBytes, wasmHeapBytes } from './memory';
import { createTrainingStep } from './tfjsStep';
import { timeSteps, type StepTimes } from './timing';
import { timeTorchStep } from './torchBench';

/** The `--json` shape; snake_case because it is compared by scripts in other languages. */
export interface BenchCaseResult {
  name: string;
  model: BenchCase['model'];
  size: number;
  batch: number;
  classes: number;
  optimizer: BenchCase['optimizer'];
  ms_per_step: number;
  step_ms: number[];
  torch_ms_per_step: number | null;
  torch_step_ms: number[] | null;
  torch_threads: number | null;
  /** Why there is no PyTorch time (no torch, no script), or null when there is one. */
  torch_reason: string | null;
  /** tfjs time over PyTorch time: how many times slower this backend is. */
  ratio: number | null;
  /** Median CPU time per step of each process, and their ratio: steadier than wall time on a busy machine. */
  cpu_ms_per_step: number;
  torch_cpu_ms_per_step: number | null;
  cpu_ratio: number | null;
  /** The process's RSS high-water mark after this case (it includes earlier cases of the same run). */
  peak_rss_mb: number;
  wasm_heap_mb: number | null;
  torch_peak_rss_mb: number | null;
  kernels?: { total_ms: number; top: KernelTime[] };
}

export interface BenchReport {
  backend: string;
  backend_version: string;
  /** Threads of the tfjs backend, and so of PyTorch. */
  threads: number;
  torch_version: string | null;
  warmup: number;
  steps: number;
  /** 1, 5 and 15 minute load averages at the start and the end: on a shared machine the times mean little without them. */
  load_average: number[];
  load_average_end: number[];
  cases: BenchCaseResult[];
}

export interface BenchOptions {
  backend: string;
  backendVersion: string;
  warmup: number;
  steps: number;
  profile: boolean;
  /** Null skips PyTorch (with that reason in every case). */
  torch: { python: string; script: string } | null;
  /** Progress lines for a person watching (stderr in the CLI). */
  log(line: string): void;
}

const MB = 1024 * 1024;

export async function runBench(cases: readonly BenchCase[], options: BenchOptions): Promise<BenchReport> {
  const threads = backendThreads(availableParallelism());
  const report: BenchReport = {
    backend: options.backend,
    backend_version: options.backendVersion,
    threads,
    torch_version: null,
    warmup: options.warmup,
    steps: options.steps,
    load_average: loadAverage(),
    load_average_end: [],
    cases: [],
  };
  for (const spec of cases) {
    options.log(`${spec.name}: ${options.warmup} warm-up + ${options.steps} timed steps on ${options.backend}`);
    const step = createTrainingStep(spec);
    let tfjs: StepTimes;
    let kernels: BenchCaseResult['kernels'];
    try {
      tfjs = await timeSteps(() => step.run(), options.warmup, options.steps);
      if (options.profile) {
        const profile = await profileKernels(() => step.runSync());
        kernels = { total_ms: round(profile.totalMs), top: profile.top.map((k) => ({ ...k, ms: round(k.ms) })) };
      }
    } finally {
      step.dispose();
    }
    const peakRss = peakRssBytes();
    const heap = wasmHeapBytes();

    let torch: Awaited<ReturnType<typeof timeTorchStep>> = { ok: false, reason: 'PyTorch timing was turned off (--no-torch)' };
    if (options.torch) {
      options.log(`${spec.name}: the same step in PyTorch (${threads} thread${threads === 1 ? '' : 's'})`);
      torch = await timeTorchStep(spec, { ...options.torch, threads, warmup: options.warmup, steps: options.steps });
    }
    if (torch.ok) report.torch_version = torch.version;
    report.cases.push({
      name: spec.name,
      model: spec.model,
      size: spec.size,
      batch: spec.batch,
      classes: spec.classes,
      optimizer: spec.optimizer,
      ms_per_step: round(tfjs.msPerStep),
      step_ms: tfjs.stepMs.map(round),
      torch_ms_per_step: torch.ok ? round(torch.msPerStep) : null,
      torch_step_ms: torch.ok ? torch.stepMs.map(round) : null,
      torch_threads: torch.ok ? torch.threads : null,
      torch_reason: torch.ok ? null : torch.reason,
      ratio: torch.ok ? ratio(tfjs.msPerStep, torch.msPerStep) : null,
      cpu_ms_per_step: round(tfjs.cpuMsPerStep),
      torch_cpu_ms_per_step: torch.ok ? round(torch.cpuMsPerStep) : null,
      cpu_ratio: torch.ok ? ratio(tfjs.cpuMsPerStep, torch.cpuMsPerStep) : null,
      peak_rss_mb: Math.round(peakRss / MB),
      wasm_heap_mb: heap === null ? null : Math.round(heap / MB),
      torch_peak_rss_mb: torch.ok ? Math.round(torch.peakRssMb) : null,
      ...(kernels ? { kernels } : {}),
    });
  }
  report.load_average_end = loadAverage();
  return report;
}

function loadAverage(): number[] {
  return loadavg().map((v) => Math.round(v * 100) / 100);
}

function ratio(tfjsMs: number, torchMs: number): number {
  return Math.round((tfjsMs / torchMs) * 100) / 100;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
