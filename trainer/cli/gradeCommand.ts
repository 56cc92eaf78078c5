/**
 * `biomed-lab grade`: grades a class's challenge submissions against an instructor's key, or (`--check`)
 * one learner's challenge file against the public tests. A thin layer over trainer/grading/.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LabError } from '../core/labError';
import { gradeEvent } from '../../protocol/grading';
import { checkChallenge, gradeBatch, RUN_INTERRUPTED, type Emit } from '../grading/gradeSubmissions';
import { watchParent } from '../grading/parentWatch';
import { CHALLENGE_SUBMODULES, type ChallengeSubmodule } from '../grading/testSpec';

const USAGE = `Usage: biomed-lab grade <submissions-dir> --key <key-dir> [options]
       biomed-lab grade --check <challenge.ts> [options]

One submission per sub-folder of <submissions-dir>; each is graded in its own sandboxed process (no
network, files limited to its own folder, time and memory limits).

Options:
  --key DIR                   the instructor's key: a folder with manifest.json (hidden tests)
  --check FILE                grade one challenge file with the course's public tests only
  --submodule NAME            with --check: whose public tests: regression (default), classification,
                              augmentation or segmentation
  --data-dir DIR              where the Classification and Augmentation challenges read breastmnist.npz
                              (default: the download cache)
  --out DIR                   where gradebook.csv, summary.md, feedback/ and instructor/ go (default grading-results)
  --jobs N                    submissions graded in parallel (default: one per core)
  --timeout S                 overall limit per submission in seconds (default: the sum of the key's limits)
  --time-scale F              multiply every time limit of the key, e.g. 2 on a slow machine (default 1)
  --memory MB                 heap limit per submission; the address space is capped above it (default 1024)
  --allow-network-unsandboxed grade even where network isolation (unshare) is unavailable
  --json                      print progress and results as JSON lines
`;

class UsageError extends Error {}

interface Parsed {
  mode: { kind: 'batch'; submissionsDir: string; keyDir: string; outDir: string; jobs: number } | { kind: 'check'; file: string; submodule: ChallengeSubmodule };
  memoryMb: number;
  timeScale: number;
  overallMs?: number;
  allowNetworkUnsandboxed: boolean;
  json: boolean;
  dataDir?: string;
}

/** Where the command writes; the process's streams unless a caller (a test) passes its own. */
export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Runs the verb with the arguments that follow `grade`; resolves to the process exit code. */
export async function runGradeCommand(argv: string[], output: CommandOutput = process, signal?: AbortSignal): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (err) {
    const message = (err as Error).message;
    output.stderr.write(`${message ? `biomed-lab grade: ${message}\n\n` : ''}${USAGE}`);
    return message ? 2 : 0;
  }
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort());
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stopWatchingParent = watchParent(() => controller.abort(RUN_INTERRUPTED));
  const emit: Emit = (method, params) => {
    // Whoever read the output is gone: a write to its closed pipe would only fail.
    if (controller.signal.reason === RUN_INTERRUPTED) return;
    if (parsed.json) output.stdout.write(`${gradeEvent(method, params)}\n`);
    else describe(output, method, params as Record<string, unknown>);
  };
  const common = {
    memoryMb: parsed.memoryMb,
    timeScale: parsed.timeScale,
    allowNetworkUnsandboxed: parsed.allowNetworkUnsandboxed,
    signal: controller.signal,
    emit,
    ...(parsed.overallMs ? { overallMs: parsed.overallMs } : {}),
    ...(parsed.dataDir ? { dataDir: parsed.dataDir } : {}),
  };
  try {
    if (parsed.mode.kind === 'check') {
      const feedback = await checkChallenge({ ...common, file: parsed.mode.file, submodule: parsed.mode.submodule });
      if (!feedback) {
        output.stderr.write('cancelled: the challenge was not checked (no partial result is reported)\n');
        return 130;
      }
      if (!parsed.json) {
        for (const t of feedback.tests) output.stdout.write(`${t.status.padEnd(7)} ${t.score}/${t.max_score}  ${t.name}\n          ${t.message}\n`);
        output.stdout.write(`total ${feedback.score}/${feedback.max_score}\n`);
      }
      return 0;
    }
    const result = await gradeBatch({ ...common, ...parsed.mode });
    return result.cancelled ? 130 : 0;
  } catch (err) {
    if (!LabError.is(err)) throw err;
    if (parsed.json) output.stdout.write(`${gradeEvent('grade/run/fail', { message: err.message })}\n`);
    output.stderr.write(`biomed-lab grade: ${err.message}\n`);
    return 1;
  } finally {
    stopWatchingParent();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function describe(output: CommandOutput, method: string, p: Record<string, unknown>): void {
  switch (method) {
    case 'grade/sandbox/describe':
      output.stderr.write(`network isolation: ${p['isolation'] ? 'on (unshare --net --pid)' : `OFF (${String(p['isolationReason'])})`}\n`);
      output.stderr.write(`memory: ${p['addressSpaceCap'] ? 'heap and address space capped' : `heap only (${String(p['addressSpaceReason'])})`}\n`);
      break;
    case 'grade/submission/finish':
      output.stderr.write(`[${String(p['done'])}/${String(p['total'])}] ${String(p['name'])}: ${String(p['score'])}/${String(p['maxScore'])}\n`);
      break;
    case 'grade/run/finish': {
      output.stdout.write(`gradebook: ${String(p['gradebook'])}\nsummary:   ${String(p['summary'])}\nlearner feedback (safe to return): ${String(p['outDir'])}/feedback/\n`);
      const notGraded = Array.isArray(p['notGraded']) ? p['notGraded'].map(String) : [];
      if (notGraded.length > 0) {
        output.stdout.write(
          `cancelled: ${notGraded.length} submission(s) not graded (no feedback file; "cancelled" in the gradebook, not 0): ${notGraded.join(', ')}\n`,
        );
      }
      break;
    }
  }
}

function parse(argv: string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      check: { type: 'string' },
      submodule: { type: 'string', default: 'regression' },
      'data-dir': { type: 'string' },
      out: { type: 'string', default: 'grading-results' },
      jobs: { type: 'string' },
      timeout: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      memory: { type: 'string', default: '1024' },
      'allow-network-unsandboxed': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  const common = {
    memoryMb: positive('memory', values.memory, true),
    timeScale: positive('time-scale', values['time-scale'], false),
    ...(values.timeout ? { overallMs: positive('timeout', values.timeout, false) * 1000 } : {}),
    allowNetworkUnsandboxed: values['allow-network-unsandboxed'],
    json: values.json,
    ...(values['data-dir'] ? { dataDir: resolve(values['data-dir']) } : {}),
  };
  if (values.check) {
    if (positionals.length > 0 || values.key) throw new UsageError('--check grades one file: give no submissions folder and no --key');
    const submodule = CHALLENGE_SUBMODULES.find((s) => s === values.submodule);
    if (!submodule) throw new UsageError(`--submodule must be one of ${CHALLENGE_SUBMODULES.join(', ')}, not "${values.submodule}"`);
    return { ...common, mode: { kind: 'check', file: resolve(values.check), submodule } };
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one submissions folder');
  if (!values.key) throw new UsageError('--key <key-dir> is required (or use --check FILE for the public tests)');
  const jobs = values.jobs ? positive('jobs', values.jobs, true) : Math.max(1, availableParallelism());
  return { ...common, mode: { kind: 'batch', submissionsDir: resolve(positionals[0]!), keyDir: resolve(values.key), outDir: resolve(values.out), jobs } };
}

function positive(name: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!(value > 0 && Number.isFinite(value) && (!integer || Number.isInteger(value)))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'whole ' : ''}number, not "${text}"`);
  }
  return value;
}
