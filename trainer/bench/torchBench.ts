/**
 * The PyTorch side of a benchmark case: scripts/reference/bench_torch.py in its own process (so its peak RSS
 * is the case's alone), with as many threads as the TensorFlow.js backend uses.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase } from './cases';

export const DEFAULT_PYTHON = '/usr/bin/python3';

export type TorchTiming =
  | { ok: true; msPerStep: number; stepMs: number[]; cpuMsPerStep: number; peakRssMb: number; threads: number; version: string }
  | { ok: false; reason: string };

/** Where the script is: beside trainer/ in the repository, or beside dist/ for the bundled CLI of a checkout. */
export function torchScriptPath(): string {
  const repositoryRoot = __filename.endsWith('.ts') ? join(__dirname, '..', '..') : join(__dirname, '..');
  return join(repositoryRoot, 'scripts', 'reference', 'bench_torch.py');
}

export interface TorchRunOptions {
  python: string;
  script: string;
  threads: number;
  warmup: number;
  steps: number;
}

export async function timeTorchStep(spec: BenchCase, options: TorchRunOptions): Promise<TorchTiming> {
  if (!existsSync(options.script)) return { ok: false, reason: `${options.script} is missing (the PyTorch side runs from a repository checkout)` };
  const args = [
    options.script,
    '--model', spec.model,
    '--size', String(spec.size),
    '--batch', String(spec.batch),
    '--channels', String(spec.channels),
    '--classes', String(spec.classes),
    '--base', String(spec.base ?? 32),
    '--optimizer', spec.optimizer,
    '--lr', String(spec.learningRate),
    '--threads', String(options.threads),
    '--warmup', String(options.warmup),
    '--steps', String(options.steps),
  ];
  const run = await runProcess(options.python, args);
  if ('spawnError' in run) return { ok: false, reason: `${options.python} could not be started (${run.spawnError})` };
  if (run.code !== 0) {
    const lastLine = run.stderr.trim().split('\n').pop() ?? '';
    const hint = /No module named '?torch/.test(lastLine) ? ' (apt-get install python3-torch python3-torchvision)' : '';
    return { ok: false, reason: `${options.python} ${options.script} failed: ${lastLine || `exit code ${run.code}`}${hint}` };
  }
  try {
    const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    const { ms_per_step: ms, step_ms: steps, cpu_ms_per_step: cpu, peak_rss_mb: rss, threads, torch } = out;
    const numbers = [ms, cpu, rss, threads];
    if (!numbers.every((v) => typeof v === 'number') || !Array.isArray(steps) || typeof torch !== 'string') throw new Error('missing fields');
    return { ok: true, msPerStep: ms as number, stepMs: steps as number[], cpuMsPerStep: cpu as number, peakRssMb: rss as number, threads: threads as number, version: torch };
  } catch (err) {
    return { ok: false, reason: `${options.script} printed no timing line (${(err as Error).message}): ${run.stdout.slice(0, 200)}` };
  }
}

type ProcessResult = { code: number | null; stdout: string; stderr: string } | { spawnError: string };

function runProcess(command: string, args: string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err) => resolve({ spawnError: err.message }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
