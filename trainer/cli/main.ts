/**
 * `biomed-lab`: the course's command line. A thin layer over the same run function the trainer process uses,
 * so a run from the terminal and a run from VS Code produce the same files.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BACKEND_CHOICES,
  PROFILES,
  SUBMODULES,
  envelope,
  resultRows,
  type BackendChoice,
  type ParamsOf,
  type Profile,
  type StartRunParams,
  type SubmoduleId,
  type TrainerMessage,
  type TrainerToHostMethod,
} from '../../protocol/messages';
import { executeRun } from '../run/executeRun';
import { CancellationFlag } from '../run/runContext';
import { runBenchCommand } from './benchCommand';
import { runGradeCommand } from './gradeCommand';
import { runInstallBackendCommand } from './installBackendCommand';
import { runPredictCommand } from './predictCommand';
import { ProgressBar } from './progressBar';

const USAGE = `Usage: biomed-lab run <submodule> [options]
       biomed-lab grade <submissions-dir> --key <key-dir> [--jobs N] [--timeout S] [--memory MB] [--out DIR] [--json]
       biomed-lab predict --model resnet18 --weights FILE.safetensors --input X.npy [--classes N] [--json]
       biomed-lab bench [--backend B] [--case NAME] [--steps N] [--profile-kernels] [--json]
       biomed-lab install-backend [--gpu|--cpu] [--into DIR] [--json]

Submodules: ${SUBMODULES.join(', ')}

Options:
  --experiment NAME     run only this experiment (repeatable; default: all of the submodule's)
  --profile quick|full  quick: shorter settings for a laptop; full: the course's settings (default quick)
  --seed N              seed for splits, shuffles and initial weights (default 42)
  --data-dir DIR        folder with the datasets (default: the embedded data / the cache)
  --backend B           auto|gpu|node|wasm|cpu (default auto)
  --dataset NAME        which dataset to use (classification: a MedMNIST flag, e.g. pathmnist, breastmnist)
  --weights FILE        local pretrained weights (.safetensors, torchvision layout) instead of the download
  --learner-file FILE   your exercise file that builds the network
  --out DIR             where metrics.json and report.html go (default results/<submodule>)
  --splits N            number of random train/test splits (default: the profile's, 100)
  --epochs N            training epochs (default: the profile's; classification: quick 3, full 5)
  --workers N           worker threads for the splits (default: one per core)
  --resume              continue an interrupted classification run from the checkpoints in --out
                        (same settings required; a run saves one after every epoch)
  --threads N           compute threads of the wasm backend (default: one per core)
  --json                print the protocol's JSON lines instead of a progress bar
`;

class UsageError extends Error {}

function parse(argv: string[]): { params: StartRunParams; json: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      experiment: { type: 'string', multiple: true },
      profile: { type: 'string', default: 'quick' },
      seed: { type: 'string', default: '42' },
      'data-dir': { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      'learner-file': { type: 'string' },
      dataset: { type: 'string' },
      weights: { type: 'string' },
      out: { type: 'string' },
      workers: { type: 'string' },
      threads: { type: 'string' },
      splits: { type: 'string' },
      epochs: { type: 'string' },
      json: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  const [verb, submodule] = positionals;
  if (verb !== 'run') throw new UsageError(verb ? `unknown command "${verb}"` : 'missing command');
  if (!submodule || !(SUBMODULES as readonly string[]).includes(submodule)) {
    throw new UsageError(`--submodule must be one of ${SUBMODULES.join(', ')} (got ${JSON.stringify(submodule ?? '')})`);
  }
  if (!(PROFILES as readonly string[]).includes(values.profile)) throw new UsageError(`--profile must be quick or full, not "${values.profile}"`);
  if (!(BACKEND_CHOICES as readonly string[]).includes(values.backend)) {
    throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, not "${values.backend}"`);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${values.seed}"`);
  const workers = positiveInteger('workers', values.workers);
  const threads = positiveInteger('threads', values.threads);
  const splits = positiveInteger('splits', values.splits);
  const epochs = positiveInteger('epochs', values.epochs);
  return {
    json: values.json,
    params: {
      runId: `cli-${process.pid}`,
      submodule: submodule as SubmoduleId,
      profile: values.profile as Profile,
      seed,
      backend: values.backend as BackendChoice,
      outDir: resolve(values.out ?? `results/${submodule}`),
      ...(values['data-dir'] ? { dataDir: resolve(values['data-dir']) } : {}),
      ...(values['learner-file'] ? { learnerFile: resolve(values['learner-file']) } : {}),
      ...(values.dataset ? { dataset: values.dataset } : {}),
      ...(values.weights ? { weightsFile: resolve(values.weights) } : {}),
      ...(values.experiment ? { experiments: values.experiment } : {}),
      ...(workers ? { workers } : {}),
      ...(threads ? { threads } : {}),
      ...(splits ? { splits } : {}),
      ...(epochs ? { epochs } : {}),
      ...(values.resume ? { resume: true } : {}),
    },
  };
}

function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(Number.isInteger(value) && value > 0)) throw new UsageError(`--${name} must be a positive whole number, not "${text}"`);
  return value;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'predict') return runPredictCommand(argv.slice(1));
  if (argv[0] === 'grade') return runGradeCommand(argv.slice(1));
  if (argv[0] === 'bench') return runBenchCommand(argv.slice(1));
  if (argv[0] === 'install-backend') return runInstallBackendCommand(argv.slice(1));
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    const message = err instanceof UsageError ? err.message : (err as Error).message;
    process.stderr.write(`${message ? `biomed-lab: ${message}\n\n` : ''}${USAGE}`);
    return message ? 2 : 0;
  }
  const { params, json } = parsed;
  const cancellation = new CancellationFlag();
  process.on('SIGINT', () => {
    if (cancellation.isCancelled) {
      // Checkpoints are replaced atomically, so stopping mid-write still leaves the previous one whole.
      process.stderr.write('\nStopped. Checkpoints already saved are intact: a classification run continues with --resume.\n');
      process.exit(130);
    }
    cancellation.cancel();
    process.stderr.write('\nCancelling after the current batch; saved checkpoints stay intact (Ctrl-C again to stop at once)...\n');
  });

  const bar = !json && process.stderr.isTTY ? new ProgressBar(process.stderr) : undefined;
  let lastMilestone = -1;
  const emit = <M extends TrainerToHostMethod>(method: M, p: ParamsOf<M>): void => {
    if (json) {
      process.stdout.write(`${JSON.stringify(envelope(method, p))}\n`);
      return;
    }
    const message = envelope(method, p) as TrainerMessage;
    switch (message.method) {
      case 'run/backend/select':
        for (const rung of message.params.ladder) {
          if (rung.status !== 'not-tried') process.stderr.write(`backend ${rung.backend}: ${rung.status} (${rung.reason})\n`);
        }
        break;
      case 'run/progress':
        if (bar) bar.update(message.params.fraction, message.params.stage);
        else {
          const tenth = Math.floor(message.params.fraction * 10);
          if (tenth > lastMilestone) {
            lastMilestone = tenth;
            process.stderr.write(`${tenth * 10}% ${message.params.stage}\n`);
          }
        }
        break;
      case 'run/log':
        bar?.done();
        process.stderr.write(`${message.params.level}: ${message.params.message}\n`);
        break;
      case 'run/result': {
        bar?.done();
        for (const row of resultRows(message.params.metrics)) process.stdout.write(`${row}\n`);
        process.stdout.write(`\nmetrics: ${message.params.metricsPath}\nreport:  ${message.params.reportPath}\n`);
        break;
      }
      case 'run/error': {
        bar?.done();
        const loc = message.params.location;
        process.stderr.write(`biomed-lab: ${message.params.message}${loc ? `\n  at ${loc.file}:${loc.line}:${loc.column + 1}` : ''}\n`);
        break;
      }
      default:
        break;
    }
  };
  const ok = await executeRun(params, emit, cancellation);
  return ok ? 0 : cancellation.isCancelled ? 130 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`biomed-lab: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
