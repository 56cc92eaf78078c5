/**
 * The files a grading run leaves, split by audience. `feedback/` is safe to hand back to learners:
 * hidden tests there are "hidden check N" with only their hint. Everything else (gradebook, summary,
 * `instructor/`) names hidden tests and thresholds and is for the instructor only.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextAtomic } from '../checkpoint/atomicFile';
import { formatGradebookCsv, type CsvRow } from '../../protocol/gradebookCsv';
import type { GradedTest, InstructorReport } from '../../protocol/grading';
import type { SubmissionGrade } from './gradeSubmission';
import type { TestStatus } from './judge';
import type { TestManifest } from './testSpec';

export interface LearnerTestFeedback {
  name: string;
  status: TestStatus;
  score: number;
  max_score: number;
  message: string;
  /** Seconds. */
  duration: number;
  location?: { file: string; line: number; column: number };
}

export interface LearnerFeedback {
  submission: string;
  score: number;
  max_score: number;
  tests: LearnerTestFeedback[];
}

export function learnerFeedback(grade: SubmissionGrade): LearnerFeedback {
  let hiddenCount = 0;
  return {
    submission: grade.name,
    score: grade.score,
    max_score: grade.maxScore,
    tests: grade.tests.map((t) => ({
      name: t.test.hidden ? `hidden check ${++hiddenCount}` : t.test.title,
      status: t.status,
      score: t.score,
      max_score: t.test.max_score,
      message: t.learnerMessage,
      duration: Math.round(t.durationMs / 100) / 10,
      ...(t.location ? { location: t.location } : {}),
    })),
  };
}

/** Caps the grader's detail in a progress event; the full text is in instructor/<submission>.json. */
const EVENT_DETAIL_CHARS = 1000;

/** Each test of a submission for the instructor's live gradebook (the `--json` stream of a batch run). */
export function gradedTests(grade: SubmissionGrade): GradedTest[] {
  return grade.tests.map((t) => ({
    id: t.test.id,
    title: t.test.title,
    hidden: t.test.hidden,
    status: t.status,
    score: t.score,
    max_score: t.test.max_score,
    message: t.learnerMessage,
    detail: t.instructorDetail.slice(0, EVENT_DETAIL_CHARS),
    duration: Math.round(t.durationMs / 100) / 10,
  }));
}

export function instructorReport(grade: SubmissionGrade): InstructorReport {
  return {
    audience: 'INSTRUCTOR ONLY: names hidden tests and their thresholds; return feedback/<submission>.json to learners instead',
    submission: grade.name,
    source: grade.source,
    score: grade.score,
    max_score: grade.maxScore,
    wall_seconds: Math.round(grade.wallMs / 100) / 10,
    tests: grade.tests.map((t) => ({
      id: t.test.id,
      title: t.test.title,
      kind: t.test.kind,
      hidden: t.test.hidden,
      status: t.status,
      score: t.score,
      max_score: t.test.max_score,
      duration: Math.round(t.durationMs / 100) / 10,
      learner_message: t.learnerMessage,
      detail: t.instructorDetail,
      spec: t.test,
    })),
    notes: grade.notes,
  };
}

/**
 * One row per submission, by name as the grader lists them; a submission a cancelled run did not finish is a `cancelled` row
 * with empty scores, so the CSV says which ones still need grading instead of giving them 0. While the run goes, the ones
 * not finished yet are `pending` rows.
 */
export function gradebookCsv(grades: readonly SubmissionGrade[], manifest: TestManifest, notGraded: readonly string[] = [], pending: readonly string[] = []): string {
  const maxTotal = round(manifest.tests.reduce((s, t) => s + t.max_score, 0));
  const rows: CsvRow[] = [
    ...grades.map((g): CsvRow => ({ name: g.name, status: 'graded', scores: g.tests.map((t) => t.score), total: g.score, maxTotal: g.maxScore })),
    ...notGraded.map((name): CsvRow => ({ name, status: 'cancelled', scores: [], maxTotal })),
    ...pending.map((name): CsvRow => ({ name, status: 'pending', scores: [], maxTotal })),
  ];
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return formatGradebookCsv(
    manifest.tests.map((t) => t.id),
    rows,
  );
}

export function summaryMarkdown(grades: readonly SubmissionGrade[], manifest: TestManifest, notGraded: readonly string[] = [], pending: readonly string[] = []): string {
  const head = `| submission | ${manifest.tests.map((t) => `${t.id}${t.hidden ? ' (hidden)' : ''} /${t.max_score}`).join(' | ')} | total |`;
  const rule = `|${' --- |'.repeat(manifest.tests.length + 2)}`;
  const rows = grades.map((g) => `| ${mdCell(g.name)} | ${g.tests.map((t) => `${t.score} ${STATUS_MARK[t.status] ?? ''}`).join(' | ')} | **${g.score}** / ${g.maxScore} |`);
  const problems = grades.flatMap((g) =>
    g.tests.filter((t) => t.status !== 'passed').map((t) => `- **${mdCell(g.name)}**, ${t.test.id}: ${mdCell(t.instructorDetail).slice(0, 300)}`),
  );
  return [
    '# Grading summary (instructor only)',
    '',
    `${grades.length} submission(s) graded${notGraded.length ? `, ${notGraded.length} not graded (cancelled)` : ''}${pending.length ? `, ${pending.length} not graded yet` : ''}, ` +
      `${manifest.tests.length} tests (${manifest.tests.filter((t) => t.hidden).length} hidden).`,
    '',
    head,
    rule,
    ...rows,
    '',
    ...(problems.length ? ['## What went wrong', '', ...problems, ''] : []),
    ...(notGraded.length
      ? ['## Not graded (cancelled)', '', 'Grading was cancelled before these finished; grade them again:', '', ...notGraded.map((n) => `- ${mdCell(n)}`), '']
      : []),
    ...(pending.length
      ? [
          '## Not graded yet',
          '',
          'The run had not finished these when this file was written. If the grader is no longer running, it was stopped (a window reload, a killed job): grade them again.',
          '',
          ...pending.map((n) => `- ${mdCell(n)}`),
          '',
        ]
      : []),
  ].join('\n');
}

const STATUS_MARK: Record<string, string> = { passed: '✔', partial: '◐', failed: '✘', error: '⚠' };

export interface WrittenOutputs {
  gradebook: string;
  summary: string;
  feedback: Map<string, string>;
}

/**
 * A run starts: every submission is a `pending` row, and the files an earlier run left for these
 * submissions are removed. `feedback/` is handed back to learners whole, and an old file there, or an old
 * row in the gradebook, would read as this run's result if this run is stopped before it gets there.
 */
export function startOutputs(outDir: string, names: readonly string[], manifest: TestManifest): WrittenOutputs {
  mkdirSync(join(outDir, 'feedback'), { recursive: true });
  mkdirSync(join(outDir, 'instructor'), { recursive: true });
  for (const name of names) removeSubmissionOutputs(outDir, name);
  return writeTables(outDir, [], manifest, [], names);
}

/**
 * One submission finished: its files, and the tables with it graded and `pending` the ones not finished yet,
 * so a grader killed from now on leaves this submission's result and says which ones it did not grade.
 */
export function recordSubmission(outDir: string, grade: SubmissionGrade, grades: readonly SubmissionGrade[], manifest: TestManifest, pending: readonly string[]): void {
  writeSubmissionOutputs(outDir, grade);
  writeTables(outDir, grades, manifest, [], pending);
}

/**
 * Writes a run's files when it ends. A submission in `notGraded` gets no feedback or instructor file, and one
 * left by an earlier run into the same folder is removed (see `startOutputs`).
 */
export function writeOutputs(outDir: string, grades: readonly SubmissionGrade[], manifest: TestManifest, notGraded: readonly string[] = []): WrittenOutputs {
  mkdirSync(join(outDir, 'feedback'), { recursive: true });
  mkdirSync(join(outDir, 'instructor'), { recursive: true });
  for (const g of grades) writeSubmissionOutputs(outDir, g);
  for (const name of notGraded) removeSubmissionOutputs(outDir, name);
  return writeTables(outDir, grades, manifest, notGraded, []);
}

function writeSubmissionOutputs(outDir: string, grade: SubmissionGrade): void {
  writeTextAtomic(join(outDir, 'feedback', `${grade.name}.json`), `${JSON.stringify(learnerFeedback(grade), null, 2)}\n`);
  writeTextAtomic(join(outDir, 'instructor', `${grade.name}.json`), `${JSON.stringify(instructorReport(grade), null, 2)}\n`);
}

function removeSubmissionOutputs(outDir: string, name: string): void {
  rmSync(join(outDir, 'feedback', `${name}.json`), { force: true });
  rmSync(join(outDir, 'instructor', `${name}.json`), { force: true });
}

/** The gradebook and summary, each replaced whole: a grader killed mid-write leaves the previous version. */
function writeTables(outDir: string, grades: readonly SubmissionGrade[], manifest: TestManifest, notGraded: readonly string[], pending: readonly string[]): WrittenOutputs {
  const gradebook = join(outDir, 'gradebook.csv');
  const summary = join(outDir, 'summary.md');
  writeTextAtomic(gradebook, gradebookCsv(grades, manifest, notGraded, pending));
  writeTextAtomic(summary, summaryMarkdown(grades, manifest, notGraded, pending));
  const feedback = new Map(grades.map((g) => [g.name, join(outDir, 'feedback', `${g.name}.json`)]));
  return { gradebook, summary, feedback };
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
