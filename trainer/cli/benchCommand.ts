/**
 * `biomed-lab bench`: how long one training step of each course network takes on this machine's backend,
 * next to PyTorch on the same CPU threads, so a slow backend is a number rather than an impression.
 */
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, type BackendChoice } from '../../protocol/messages';
import { BENCH_MODELS, benchCase, resolveCaseName, type BenchCase, type BenchModel } from '../bench/cases';
import { runBench, type BenchReport } from '../bench/runBench';
import { DEFAULT_PYTHON, torchScriptPath } from '../bench/torchBench';
import { selectBackend } from '../backend/ladder';
import { LabError } from '../core/labError';
import { nativeSearchPaths, wasmDir } from '../run/paths';
import type { CommandOutput } from './predictCommand';

const USAGE = `Usage: biomed-lab bench [options]

Times one training step (median of --steps, after --warmup) of ResNet-18 (28×28×3, batch 128, 9 classes,
SGD momentum 0.9) and the U-Net (base 32, 128×128×3, batch 4, 4 classes, Adam) on the selected backend, then
the same step in PyTorch (${DEFAULT_PYTHON}, same thread count) when it has torch.

Options:
  --backend B           auto|gpu|node|wasm|cpu (default auto)
  --case NAME           ${BENCH_MODELS.map((m) => `${m} (${benchCase(m).name})`).join(' or ')}; repeatable (default: both)
  --steps N             timed steps per case (default 5)
  --warmup N            untimed steps first (default 2)
  --profile-kernels     also print the 15 kernels that take the most time in one step
  --no-torch            skip the PyTorch side
  --json                print one JSON object instead of a table
`;
// Not in the usage: --size, --batch (smaller cases for tests) and --python (another interpreter).

class UsageError extends Error {}

interface BenchArgs {
  backend: BackendChoice;
  cases: BenchCase[];
  steps: number;
  warmup: number;
  profile: boolean;
  python: string | null;
  json: boolean;
}

export async function runBenchCommand(argv: string[], output: CommandOutput = process): Promise<number> {
  let args: BenchArgs;
  try {
    args = parse(argv);
  } catch (err) {
    // A UsageError, or parseArgs's own TypeError for an unknown or malformed option.
    const message = (err as Error).message;
    output.stderr.write(`${message ? `biomed-lab bench: ${message}\n\n` : ''}${USAGE}`);
    return message ? 2 : 0;
  }
  try {
    const selected = await selectBackend({ choice: args.backend, searchPaths: nativeSearchPaths(), wasmDir: wasmDir() });
    for (const rung of selected.ladder) {
      if (rung.status !== 'not-tried') output.stderr.write(`backend ${rung.backend}: ${rung.status} (${rung.reason})\n`);
    }
    const report = await runBench(args.cases, {
      backend: selected.backend,
      backendVersion: selected.version,
      warmup: args.warmup,
      steps: args.steps,
      profile: args.profile,
      torch: args.python === null ? null : { python: args.python, script: torchScriptPath() },
      log: (line) => output.stderr.write(`${line}\n`),
    });
    output.stdout.write(args.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    return 0;
  } catch (err) {
    if (!LabError.is(err)) throw err;
    output.stderr.write(`biomed-lab bench: ${err.message}\n`);
    return 1;
  }
}

function parse(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string', default: 'auto' },
      case: { type: 'string', multiple: true },
      steps: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      size: { type: 'string' },
      batch: { type: 'string' },
      python: { type: 'string', default: DEFAULT_PYTHON },
      'profile-kernels': { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  if (!(BACKEND_CHOICES as readonly string[]).includes(values.backend)) {
    throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, not "${values.backend}"`);
  }
  const models: BenchModel[] = (values.case ?? [...BENCH_MODELS]).map((text) => {
    const model = resolveCaseName(text);
    if (!model) throw new UsageError(`--case must be one of ${BENCH_MODELS.map((m) => `${m}, ${benchCase(m).name}`).join(', ')}; not "${text}"`);
    return model;
  });
  const size = count('size', values.size, 1);
  const batch = count('batch', values.batch, 1);
  return {
    backend: values.backend as BackendChoice,
    cases: [...new Set(models)].map((m) => benchCase(m, { ...(size ? { size } : {}), ...(batch ? { batch } : {}) })),
    steps: count('steps', values.steps, 1)!,
    warmup: count('warmup', values.warmup, 0)!,
    profile: values['profile-kernels'],
    python: values['no-torch'] ? null : values.python,
    json: values.json,
  };
}

function count(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= min)) throw new UsageError(`--${name} must be a whole number ≥ ${min}, not "${text}"`);
  return value;
}

function formatReport(report: BenchReport): string {
  const lines = [
    `backend ${report.backend} ${report.backend_version}, ${report.threads} thread${report.threads === 1 ? '' : 's'}; ` +
      `torch ${report.torch_version ?? 'not run'}; median of ${report.steps} steps after ${report.warmup} warm-up; ` +
      `load average ${report.load_average.join(' ')} at the start, ${report.load_average_end.join(' ')} at the end`,
    '',
    `${'case'.padEnd(18)} ${'ms/step'.padStart(9)} ${'torch ms'.padStart(9)} ${'ratio'.padStart(7)} ${'CPU ratio'.padStart(9)} ${'peak RSS'.padStart(9)} ${'wasm heap'.padStart(9)} ${'torch RSS'.padStart(9)}`,
  ];
  const num = (v: number | null, unit = ''): string => (v === null ? '–' : `${v.toFixed(0)}${unit}`);
  const times = (v: number | null): string => (v === null ? '–' : `${v.toFixed(1)}×`);
  for (const c of report.cases) {
    lines.push(
      `${c.name.padEnd(18)} ${num(c.ms_per_step).padStart(9)} ${num(c.torch_ms_per_step).padStart(9)} ` +
        `${times(c.ratio).padStart(7)} ${times(c.cpu_ratio).padStart(9)} ${num(c.peak_rss_mb, ' MB').padStart(9)} ` +
        `${num(c.wasm_heap_mb, ' MB').padStart(9)} ${num(c.torch_peak_rss_mb, ' MB').padStart(9)}`,
    );
  }
  const reasons = [...new Set(report.cases.map((c) => c.torch_reason).filter((r): r is string => r !== null))];
  for (const reason of reasons) lines.push(`no PyTorch time: ${reason}`);
  lines.push('(CPU ratio: CPU time per step of each process, steadier than wall time on a busy machine)');
  if (report.cases.length > 1) lines.push('(peak RSS is the process high-water mark, so it includes the cases above; --case gives one alone)');
  for (const c of report.cases) {
    if (!c.kernels) continue;
    lines.push('', `${c.name}: kernel time ${c.kernels.total_ms.toFixed(0)} ms of a ${c.ms_per_step.toFixed(0)} ms step, top ${c.kernels.top.length}`);
    for (const k of c.kernels.top) {
      const share = c.kernels.total_ms > 0 ? (100 * k.ms) / c.kernels.total_ms : 0;
      lines.push(`  ${k.kernel.padEnd(28)} ${k.ms.toFixed(1).padStart(8)} ms ${share.toFixed(1).padStart(5)} % ${String(k.calls).padStart(5)} calls`);
    }
  }
  return `${lines.join('\n')}\n`;
}
