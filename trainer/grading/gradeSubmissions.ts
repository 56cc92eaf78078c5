/**
 * The grading library's two entry points: a class's submissions against an instructor's key (one
 * sub-folder per submission, graded in parallel), and one learner's challenge file against the public
 * tests (Check My Challenge). Both use the same sandbox, harness and judge.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { LabError } from '../core/labError';
import { challengeDataFile } from '../submodules/classification/challengeData';
import { embeddedDatasetPath } from '../submodules/regression/dataset';
import type { GradeEventMethod, GradeEventParams } from '../../protocol/grading';
import { gradeSubmission, type GradeSettings, type SubmissionGrade } from './gradeSubmission';
import { harnessScript } from './harnessScript';
import { gradedTests, learnerFeedback, recordSubmission, startOutputs, writeOutputs, type LearnerFeedback, type WrittenOutputs } from './outputs';
import { probeSandbox, type ProbeOptions, type SandboxTools } from './sandbox';
import { MANIFEST_FILE, loadTestManifest, type ChallengeSubmodule, type TestManifest } from './testSpec';

export type Emit = <M extends GradeEventMethod>(method: M, params: GradeEventParams<M>) => void;

/**
 * The abort reason for a run nobody waits for any more (see parentWatch.ts): its sandboxes are stopped as on a
 * cancel, but its files are left as a killed grader leaves them, the unfinished submissions `pending`, so the
 * gradebook shows the run as interrupted, which it was, rather than cancelled, which nobody asked for.
 */
export const RUN_INTERRUPTED = 'interrupted';

export interface SandboxOptions {
  memoryMb: number;
  timeScale: number;
  overallMs?: number;
  allowNetworkUnsandboxed: boolean;
  /** Where the Classification and Augmentation challenges' BreastMNIST file is read from (never written); default: the download cache. */
  dataDir?: string;
  probe?: ProbeOptions;
  signal?: AbortSignal;
  emit?: Emit;
}

export interface BatchOptions extends SandboxOptions {
  submissionsDir: string;
  keyDir: string;
  outDir: string;
  jobs: number;
}

export interface BatchResult extends WrittenOutputs {
  /** The submissions graded to the end, in listing order. */
  grades: SubmissionGrade[];
  cancelled: boolean;
  /** Submissions a cancel stopped before they finished (or before they started), in listing order. */
  notGraded: string[];
}

export async function gradeBatch(options: BatchOptions): Promise<BatchResult> {
  const manifest = loadTestManifest(join(options.keyDir, MANIFEST_FILE));
  const names = listSubmissions(options.submissionsDir);
  const settings = await prepare(manifest, options);
  // Indexed by listing position, so parallel jobs finishing out of order still give a sorted result.
  const outcomes: (SubmissionGrade | undefined)[] = new Array(names.length).fill(undefined);
  const grades = (): SubmissionGrade[] => outcomes.filter((g): g is SubmissionGrade => g !== undefined);
  const unfinished = (): string[] => names.filter((_, i) => outcomes[i] === undefined);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < names.length && !options.signal?.aborted; i = next++) {
      const name = names[i]!;
      options.emit?.('grade/submission/start', { name, index: i, total: names.length });
      const grade = await gradeSubmission(name, join(options.submissionsDir, name), settings.grade);
      if (grade.cancelled) continue;
      outcomes[i] = grade;
      recordSubmission(options.outDir, grade, grades(), manifest, unfinished());
      options.emit?.('grade/submission/finish', { name, done: ++done, total: names.length, score: grade.score, maxScore: grade.maxScore, tests: gradedTests(grade) });
    }
  };
  try {
    // From here on the out folder is this run's, whatever ends it: its gradebook lists every submission as pending.
    const started = startOutputs(options.outDir, names, manifest);
    options.emit?.('grade/run/start', { outDir: options.outDir, gradebook: started.gradebook, submissions: names });
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, names.length)) }, worker));
    if (options.signal?.reason === RUN_INTERRUPTED) return { ...started, grades: grades(), cancelled: true, notGraded: unfinished() };
  } finally {
    settings.cleanUp();
  }
  const notGraded = unfinished();
  const written = writeOutputs(options.outDir, grades(), manifest, notGraded);
  const cancelled = options.signal?.aborted ?? false;
  options.emit?.('grade/run/finish', { outDir: options.outDir, gradebook: written.gradebook, summary: written.summary, cancelled, notGraded });
  return { ...written, grades: grades(), cancelled, notGraded };
}

export interface CheckOptions extends SandboxOptions {
  file: string;
  /** Whose public tests; default: Regression's. */
  submodule?: ChallengeSubmodule;
  /** The public tests; default: the ones shipped with the course for that submodule. */
  testsFile?: string;
}

/** The learner's feedback, or undefined when the check was cancelled before it finished (no partial zeros). */
export async function checkChallenge(options: CheckOptions): Promise<LearnerFeedback | undefined> {
  const manifest = loadTestManifest(options.testsFile ?? publicTestsFile(options.submodule));
  if (manifest.tests.some((t) => t.hidden)) throw new LabError('bad-request', 'the public tests must not contain hidden tests');
  const settings = await prepare(manifest, options);
  try {
    const grade = await gradeSubmission(basename(options.file), dirname(options.file), { ...settings.grade, entry: basename(options.file) });
    if (grade.cancelled) return undefined;
    const feedback = learnerFeedback(grade);
    options.emit?.('grade/check/finish', { file: options.file, score: feedback.score, maxScore: feedback.max_score, tests: feedback.tests });
    return feedback;
  } finally {
    settings.cleanUp();
  }
}

/** The public tests shipped with the course: next to the walkthrough, from a build (dist/) or the sources. */
export function publicTestsFile(submodule: ChallengeSubmodule = 'regression'): string {
  const candidates = [join(__dirname, '..', 'walkthroughs'), join(__dirname, '..', '..', 'walkthroughs')].map((d) => join(d, submodule, 'challenge.public.json'));
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

async function prepare(manifest: TestManifest, options: SandboxOptions): Promise<{ grade: GradeSettings; cleanUp(): void }> {
  const tools = probeSandbox(options.probe);
  options.emit?.('grade/sandbox/describe', {
    isolation: tools.isolation.ok,
    ...(tools.isolation.ok ? {} : { isolationReason: tools.isolation.reason }),
    addressSpaceCap: tools.prlimit.ok,
    ...(tools.prlimit.ok ? {} : { addressSpaceReason: tools.prlimit.reason }),
  });
  refuseWithoutIsolation(tools, options.allowNetworkUnsandboxed);
  const workRoot = mkdtempSync(join(tmpdir(), 'biomed-lab-grade-'));
  return {
    grade: {
      manifest,
      tools,
      harnessScript: await harnessScript(),
      ...(await dataFileFor(manifest.submodule, options.dataDir)),
      workRoot,
      memoryMb: options.memoryMb,
      timeScale: options.timeScale,
      ...(options.overallMs ? { overallMs: options.overallMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    cleanUp: () => rmSync(workRoot, { recursive: true, force: true }),
  };
}

/** The one data file the sandbox may read: Segmentation's checks build their own tensors and need none. */
async function dataFileFor(submodule: ChallengeSubmodule, dataDir: string | undefined): Promise<{ dataFile?: string }> {
  switch (submodule) {
    case 'regression':
      return { dataFile: embeddedDatasetPath() };
    case 'classification':
    case 'augmentation':
      return { dataFile: await challengeDataFile(dataDir, join(homedir(), '.cache', 'biomed-dl-lab')) };
    case 'segmentation':
      return {};
  }
}

export function refuseWithoutIsolation(tools: SandboxTools, allowNetworkUnsandboxed: boolean): void {
  if (tools.isolation.ok || allowNetworkUnsandboxed) return;
  throw new LabError(
    'bad-request',
    `Network isolation is unavailable: ${tools.isolation.reason}. Learner code could reach the network while it is graded. ` +
      'Fix that, or pass --allow-network-unsandboxed to grade anyway.',
  );
}

function listSubmissions(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    throw new LabError('bad-request', `${dir}: cannot read the submissions folder (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  const names = entries.filter((n) => !n.startsWith('.') && statSync(join(dir, n)).isDirectory()).sort();
  if (names.length === 0) throw new LabError('bad-request', `${dir} has no sub-folders: put each submission in its own folder.`);
  return names;
}
