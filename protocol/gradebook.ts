/**
 * Messages between the extension host and the gradebook webview: the instructor's class gradebook and the
 * learner's Check My Challenge panel share one view. Same `{ v, method, params }` envelope and decoder as
 * `webview.ts`; a table of its own because the gradebook is its own bundle with its own methods.
 *
 * The reducer lives here so the host's snapshot (replayed to a panel that opens or comes back) and what the
 * page renders are computed by the same code.
 */
import { z } from 'zod';
import { decodeMessage, envelopeOf, type DecodedMessage, type EnvelopeOf } from './envelope';
import { LearnerTestFeedbackSchema, type GradedTest } from './grading';
import { RUN_STATUSES, webviewMethods } from './webview';

/** `class`: an instructor grading submissions against a key; `check`: a learner's public tests. */
export const GRADEBOOK_MODES = ['class', 'check'] as const;
export type GradebookMode = (typeof GRADEBOOK_MODES)[number];

const TestStatusSchema = LearnerTestFeedbackSchema.shape.status;
export type TestStatus = z.infer<typeof TestStatusSchema>;

/**
 * One test in a row. `id`, `hidden` and `detail` exist only in class mode: a learner's check never carries
 * a hidden test, so the learner's panel has nothing hidden to show.
 */
export const GradebookTestSchema = z.object({
  name: z.string(),
  status: TestStatusSchema,
  score: z.number(),
  max_score: z.number(),
  message: z.string(),
  duration: z.number(),
  id: z.string().optional(),
  hidden: z.boolean().optional(),
  detail: z.string().optional(),
  /** Where the learner's code threw, 1-based line: the check panel offers to go there. */
  line: z.number().int().positive().optional(),
});
export type GradebookTest = z.infer<typeof GradebookTestSchema>;

export const GradebookRowSchema = z.object({
  name: z.string().min(1),
  score: z.number(),
  maxScore: z.number(),
  status: TestStatusSchema,
  tests: z.array(GradebookTestSchema),
});
export type GradebookRow = z.infer<typeof GradebookRowSchema>;

/**
 * A run's statuses, and `interrupted`: the run's grader was stopped without a word (killed with the window's
 * extension host on a reload), which only its files on disk show afterwards.
 */
const GRADEBOOK_STATUSES = [...RUN_STATUSES, 'interrupted'] as const;

export const GradebookStateSchema = z.object({
  mode: z.enum(GRADEBOOK_MODES),
  /** What is graded: the submissions folder's name, or the learner's file. */
  title: z.string(),
  status: z.enum(GRADEBOOK_STATUSES),
  /** Submissions in the run; 0 until the grader has listed them. */
  total: z.number().int().nonnegative(),
  /** Submissions being graded right now. */
  grading: z.array(z.string()),
  rows: z.array(GradebookRowSchema),
  /**
   * Submissions a cancelled or interrupted run stopped before they finished: shown as "not graded
   * (cancelled)" or "not graded (interrupted)", never as a score. Defaults to none, so a page state saved
   * before this field existed still loads.
   */
  notGraded: z.array(z.string()).default([]),
  /** A gradebook CSV was written and can be saved elsewhere (class mode, once the run has ended). */
  canExport: z.boolean(),
  error: z.string().optional(),
  /** Why the sandbox is weaker than it should be, when it is. */
  warning: z.string().optional(),
});
export type GradebookState = z.infer<typeof GradebookStateSchema>;

export function emptyGradebook(mode: GradebookMode, title: string): GradebookState {
  return { mode, title, status: 'idle', total: 0, grading: [], rows: [], notGraded: [], canExport: false };
}

export const gradebookMethods = {
  // webview → host
  'gradebook/view/ready': z.object({}),
  'gradebook/csv/export': z.object({}),
  'gradebook/submission/open': z.object({ name: z.string().min(1) }),
  /** Check mode: go to the line where the learner's code threw. */
  'gradebook/location/open': z.object({ line: z.number().int().positive() }),
  /** Class mode, a cancelled or interrupted run: grade the same submissions against the same key again. */
  'gradebook/run/regrade': z.object({}),
  'webview/error/report': webviewMethods['webview/error/report'],
  // host → webview
  'gradebook/snapshot/set': GradebookStateSchema,
  'gradebook/run/start': z.object({ mode: z.enum(GRADEBOOK_MODES), title: z.string() }),
  'gradebook/sandbox/warn': z.object({ message: z.string() }),
  'gradebook/submission/start': z.object({ name: z.string().min(1), total: z.number().int().nonnegative() }),
  'gradebook/submission/finish': z.object({ row: GradebookRowSchema, total: z.number().int().nonnegative() }),
  /** `notGraded`: what the grader says it did not finish; the reducer adds whatever was still being graded. */
  'gradebook/run/finish': z.object({ cancelled: z.boolean(), canExport: z.boolean(), notGraded: z.array(z.string()).default([]) }),
  'gradebook/run/fail': z.object({ message: z.string() }),
} as const;

export type GradebookMethod = keyof typeof gradebookMethods;
export type GradebookParamsOf<M extends GradebookMethod> = z.infer<(typeof gradebookMethods)[M]>;
export type GradebookEnvelope<M extends GradebookMethod = GradebookMethod> = EnvelopeOf<typeof gradebookMethods, M>;

export const FROM_GRADEBOOK = [
  'gradebook/view/ready',
  'gradebook/csv/export',
  'gradebook/submission/open',
  'gradebook/location/open',
  'gradebook/run/regrade',
  'webview/error/report',
] as const satisfies readonly GradebookMethod[];
export type FromGradebookMethod = (typeof FROM_GRADEBOOK)[number];
export type FromGradebookMessage = GradebookEnvelope<FromGradebookMethod>;

export const TO_GRADEBOOK = [
  'gradebook/snapshot/set',
  'gradebook/run/start',
  'gradebook/sandbox/warn',
  'gradebook/submission/start',
  'gradebook/submission/finish',
  'gradebook/run/finish',
  'gradebook/run/fail',
] as const satisfies readonly GradebookMethod[];
export type ToGradebookMethod = (typeof TO_GRADEBOOK)[number];
export type ToGradebookMessage = GradebookEnvelope<ToGradebookMethod>;

export function gradebookEnvelope<M extends GradebookMethod>(method: M, params: GradebookParamsOf<M>): GradebookEnvelope<M> {
  return envelopeOf<typeof gradebookMethods, M>(method, params);
}

/** Validates one posted message; the reason names the offending field. */
export function decodeGradebookMessage<M extends GradebookMethod>(raw: unknown, allowed: readonly M[]): DecodedMessage<typeof gradebookMethods, M> {
  return decodeMessage(gradebookMethods, raw, allowed);
}

// ---------------------------------------------------------------------------------------------
// Rows from the grader's events

/** A submission's overall status: any grader-side error shows, otherwise full, none or some of the marks. */
export function rowStatus(score: number, maxScore: number, tests: readonly { status: TestStatus }[]): TestStatus {
  if (tests.some((t) => t.status === 'error')) return 'error';
  if (score >= maxScore && maxScore > 0) return 'passed';
  return score > 0 ? 'partial' : 'failed';
}

export function classRow(name: string, score: number, maxScore: number, tests: readonly GradedTest[]): GradebookRow {
  return {
    name,
    score,
    maxScore,
    status: rowStatus(score, maxScore, tests),
    tests: tests.map((t) => ({
      name: t.title,
      status: t.status,
      score: t.score,
      max_score: t.max_score,
      message: t.message,
      duration: t.duration,
      id: t.id,
      hidden: t.hidden,
      detail: t.detail,
    })),
  };
}

type LearnerTest = z.infer<typeof LearnerTestFeedbackSchema>;

/** The learner's own check. Built field by field, so nothing beyond the learner feedback can reach the page. */
export function checkRow(name: string, score: number, maxScore: number, tests: readonly LearnerTest[]): GradebookRow {
  return {
    name,
    score,
    maxScore,
    status: rowStatus(score, maxScore, tests),
    tests: tests.map((t) => ({
      name: t.name,
      status: t.status,
      score: t.score,
      max_score: t.max_score,
      message: t.message,
      duration: t.duration,
      ...(t.location ? { line: t.location.line } : {}),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The reducer

export function reduceGradebook(state: GradebookState, message: ToGradebookMessage): GradebookState {
  switch (message.method) {
    case 'gradebook/snapshot/set':
      return message.params;
    case 'gradebook/run/start':
      return { ...emptyGradebook(message.params.mode, message.params.title), status: 'running' };
    case 'gradebook/sandbox/warn':
      return { ...state, warning: message.params.message };
    case 'gradebook/submission/start':
      return { ...state, total: message.params.total, grading: [...state.grading.filter((n) => n !== message.params.name), message.params.name] };
    case 'gradebook/submission/finish': {
      const { row, total } = message.params;
      // A name appears once: a repeated finish (a re-graded submission) replaces the earlier row in place.
      const at = state.rows.findIndex((r) => r.name === row.name);
      const rows = at < 0 ? [...state.rows, row] : state.rows.map((r, i) => (i === at ? row : r));
      return { ...state, total, rows, grading: state.grading.filter((n) => n !== row.name), notGraded: state.notGraded.filter((n) => n !== row.name) };
    }
    case 'gradebook/run/finish': {
      const { cancelled, canExport } = message.params;
      // A grader killed before its own final event never named what it left; what was in progress is that.
      const unfinished = cancelled ? [...message.params.notGraded, ...state.grading] : [];
      const notGraded = [...new Set(unfinished)].filter((n) => !state.rows.some((r) => r.name === n));
      return { ...state, status: cancelled ? 'cancelled' : 'done', grading: [], canExport, notGraded };
    }
    case 'gradebook/run/fail':
      return { ...state, status: 'failed', grading: [], error: message.params.message };
  }
}

// ---------------------------------------------------------------------------------------------
// Sorting (the page's choice, kept in its own state)

export const GRADEBOOK_SORTS = ['name', 'score-desc', 'score-asc'] as const;
export type GradebookSort = (typeof GRADEBOOK_SORTS)[number];

/** Sorted by name, or by score as a fraction of the maximum (highest or lowest first), ties by name. */
export function sortRows(rows: readonly GradebookRow[], sort: GradebookSort): GradebookRow[] {
  const byName = (a: GradebookRow, b: GradebookRow): number => a.name.localeCompare(b.name);
  const fraction = (r: GradebookRow): number => (r.maxScore > 0 ? r.score / r.maxScore : 0);
  const sign = sort === 'score-asc' ? 1 : -1;
  return [...rows].sort((a, b) => (sort === 'name' ? byName(a, b) : sign * (fraction(a) - fraction(b)) || byName(a, b)));
}
