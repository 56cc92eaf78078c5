/**
 * Grades one submission: stage a clean copy, bundle it, run the harness over every test's measurement, and
 * judge. When the harness dies in a test (a timeout, a crash, process.exit), that test fails with its
 * reason and a fresh harness continues with the next one, so one bad test never takes the others' marks.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { bundleSubmission } from './bundleSubmission';
import type { LearnerFailure, MeasurementRequest } from './childProtocol';
import { judge, type JudgedTest, type TestEvidence } from './judge';
import { runHarness, type HarnessLimits } from './runHarness';
import { harnessCommand, type SandboxTools } from './sandbox';
import { stageSubmission } from './stageSubmission';
import type { ChallengeTest, TestManifest } from './testSpec';

export interface GradeSettings {
  manifest: TestManifest;
  tools: SandboxTools;
  harnessScript: string;
  /** The challenge's data, the one file outside the submission the sandbox may read; none for Segmentation. */
  dataFile?: string;
  /** The grader's private folder for staged copies and scratch space; never handed to learner code whole. */
  workRoot: string;
  memoryMb: number;
  /** Multiplies every time limit of the key (a slower grading machine, say). */
  timeScale: number;
  /** Overall limit per submission; default: the sum of its limits. */
  overallMs?: number;
  /** Overrides the manifest's entry file name (Check My Challenge grades the file the learner has open). */
  entry?: string;
  signal?: AbortSignal;
}

export interface SubmissionGrade {
  name: string;
  source: string;
  tests: JudgedTest[];
  score: number;
  maxScore: number;
  /** Instructor-only notes: skipped files, forged channel lines, the harness's output tails. */
  notes: string[];
  wallMs: number;
  /**
   * Cancelling stopped a test before it reported: the scores are not the submission's, so callers report it
   * as not graded rather than as the zeros the judge gives an interrupted test.
   */
  cancelled: boolean;
}

const STARTUP_MS = 60_000;

/**
 * The harness's CPU-time cap: the whole submission's wall-clock budget on every core, plus a margin, so it
 * never cuts a submission the wall-clock limits would have let finish (see HarnessLaunch.cpuSeconds).
 */
export function cpuBackstopSeconds(budgetMs: number): number {
  return Math.ceil((budgetMs / 1000) * availableParallelism()) + 60;
}

export async function gradeSubmission(name: string, source: string, settings: GradeSettings): Promise<SubmissionGrade> {
  const started = Date.now();
  const { manifest } = settings;
  const work = join(settings.workRoot, `${safeName(name)}-${randomBytes(4).toString('hex')}`);
  const staged = stageSubmission(source, join(work, 'submission'));
  const scratch = join(work, 'scratch');
  mkdirSync(scratch, { recursive: true });
  const notes = staged.skipped.map((s) => `not copied for grading: ${s}`);
  const entryName = settings.entry ?? manifest.entry;
  const entryFile = join(staged.folder, entryName);

  const scaled = (s: number): number => Math.round(s * 1000 * settings.timeScale);
  const loadMs = scaled(manifest.limits.load_time_limit_s);
  const learnerCallMs = scaled(manifest.limits.learner_call_time_limit_s);
  const requests = manifest.tests.map((t, i) => toRequest(t, `m${i}`));
  const testOf = new Map(requests.map((r, i) => [r.ref, manifest.tests[i]!]));
  const budget = settings.overallMs ?? STARTUP_MS + loadMs + manifest.tests.reduce((sum, t) => sum + scaled(t.time_limit_s), 0);
  const limits: HarnessLimits = { startupMs: scaled(STARTUP_MS / 1000), loadMs, learnerCallMs, testMs: (ref) => scaled(testOf.get(ref)!.time_limit_s), deadline: started + budget };

  const evidence = new Map<string, TestEvidence>();
  const failAll = (refs: readonly MeasurementRequest[], e: Omit<TestEvidence, 'durationMs'>): void => {
    for (const r of refs) if (!evidence.has(r.ref)) evidence.set(r.ref, { ...e, durationMs: 0 });
  };

  const bundle = existsSync(entryFile)
    ? await bundleSubmission(entryFile, staged.folder)
    : ({ ok: false, failure: { cause: 'invalid', message: `${entryName} is missing: the submission must contain the challenge file named ${entryName}.` } } as const);
  if (!bundle.ok) failAll(requests, { failure: bundle.failure });

  let remaining = bundle.ok ? requests : [];
  const script = settings.harnessScript;
  while (remaining.length > 0) {
    const launch = harnessCommand(settings.tools, {
      harnessScript: script,
      readable: [staged.folder, ...(settings.dataFile ? [settings.dataFile] : [])],
      scratch,
      memoryMb: settings.memoryMb,
      cpuSeconds: cpuBackstopSeconds(budget),
    });
    const run = await runHarness(
      { ...launch, cwd: scratch },
      {
        nonce: randomBytes(32).toString('hex'),
        entryFile,
        submodule: manifest.submodule,
        bundle: bundle.ok ? { code: bundle.code, ...(bundle.map ? { map: bundle.map } : {}) } : { code: '' },
        ...(settings.dataFile ? { dataFile: settings.dataFile } : {}),
        measurements: remaining,
      },
      limits,
      settings.signal,
    );
    for (const [ref, outcome] of run.results) evidence.set(ref, outcome);
    if (run.forgedLines > 0) notes.push(`${run.forgedLines} line(s) on the result channel without the run's nonce were ignored (attempted forgery?)`);
    if (run.interruption || run.load?.ok === false) notes.push(`harness output (tail): stderr ${JSON.stringify(run.stderrTail.slice(-2000))}`);

    if (run.load?.ok === false) {
      failAll(remaining, { failure: run.load.failure });
      break;
    }
    const stop = run.interruption;
    if (!stop) {
      failAll(remaining, { interruption: { phase: 'test', cause: 'exited', detail: 'the harness finished without reporting this test' } });
      break;
    }
    if (stop.phase !== 'test' || stop.cause === 'overall-timeout' || stop.cause === 'cancelled') {
      failAll(remaining, { interruption: stop });
      break;
    }
    const at = remaining.findIndex((r) => r.ref === stop.ref);
    if (at < 0) {
      failAll(remaining, { interruption: stop });
      break;
    }
    evidence.set(stop.ref!, { interruption: stop, durationMs: stop.elapsedMs ?? 0 });
    remaining = remaining.slice(at + 1).filter((r) => !evidence.has(r.ref));
  }

  const judgeLimits = { loadMs, learnerCallMs, memoryMb: settings.memoryMb };
  const tests = requests.map((r) => judge(testOf.get(r.ref)!, relocate(evidence.get(r.ref)!, staged.folder, source), judgeLimits));
  return {
    name,
    source,
    tests,
    score: round(tests.reduce((s, t) => s + t.score, 0)),
    maxScore: round(manifest.tests.reduce((s, t) => s + t.max_score, 0)),
    notes,
    wallMs: Date.now() - started,
    cancelled: [...evidence.values()].some((e) => e.interruption?.cause === 'cancelled'),
  };
}

function toRequest(test: ChallengeTest, ref: string): MeasurementRequest {
  switch (test.kind) {
    case 'exports':
      return { ref, kind: 'exports' };
    case 'architecture':
      return { ref, kind: 'architecture', inputFeatures: test.input_features };
    case 'step_budget':
      return { ref, kind: 'training', trainFraction: test.train_fraction };
    case 'outcome':
      return { ref, kind: 'outcome', seed: test.seed, splits: test.splits, featureSet: test.feature_set, trainFraction: test.train_fraction };
    case 'class_weights':
      return { ref, kind: 'class_weights', cases: test.cases };
    case 'weighted_loss':
      return { ref, kind: 'weighted_loss', cases: test.cases };
    case 'classifier_outcome':
      // Thresholds stay here: the child is told what to measure, never what counts as good enough.
      return { ref, kind: 'classifier_outcome', seed: test.seed, trainImages: test.train_images, evalSplit: test.eval_split, maxSteps: test.max_steps };
    case 'pixel_weights':
      return { ref, kind: 'pixel_weights', cases: test.cases };
    case 'pixel_loss':
      return { ref, kind: 'pixel_loss', cases: test.cases };
    case 'augment_transform':
      return { ref, kind: 'augment_transform', imageSeed: test.image_seed, seeds: test.seeds, maxShift: test.max_shift };
    case 'mixed_epoch':
      // The bounds on the augmented share stay here, like every threshold.
      return { ref, kind: 'mixed_epoch', imageSeed: test.image_seed, images: test.images, seeds: test.seeds, maxShift: test.max_shift };
    case 'augment_outcome':
      return { ref, kind: 'augment_outcome', seed: test.seed, trainImages: test.train_images, epochs: test.epochs, evalSplit: test.eval_split };
  }
}

/** Messages and locations name the learner's own files, not the grader's staged copy. */
function relocate(evidence: TestEvidence, staged: string, source: string): TestEvidence {
  if (!evidence.failure) return evidence;
  const f: LearnerFailure = { ...evidence.failure, message: evidence.failure.message.split(`${staged}/`).join('') };
  if (f.location) f.location = { ...f.location, file: join(source, relative(staged, f.location.file)) };
  return { ...evidence, failure: f };
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]/g, '_').slice(0, 60) || 'submission';
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
