/**
 * Messages between the extension host and its webviews (results and quiz). Declared once, as zod schemas
 * next to their params, in the same `{ v, method, params }` envelope as the trainer protocol, so the host
 * validates what a webview sends and the webview validates what the host sends.
 *
 * The results reducer lives here too: the host keeps a snapshot to replay to a freshly opened panel and the
 * webview keeps the same snapshot in `setState`; one reducer means the two cannot disagree.
 */
import { z } from 'zod';
import { decodeMessage, envelopeOf, type DecodedMessage, type EnvelopeOf } from './envelope';
import {
  BACKENDS,
  BackendRungSchema,
  ERROR_CODES,
  PROFILES,
  ProblemLocationSchema,
  SubmoduleMetricsSchema,
  SUBMODULES,
} from './messages';

export const WEBVIEW_VIEWS = ['results', 'quiz'] as const;
export type WebviewView = (typeof WEBVIEW_VIEWS)[number];

/** What a button in a webview may ask the host to do; the host maps each to a command. */
export const WEBVIEW_ACTIONS = ['run', 'cancel', 'openQuiz', 'openChallenge', 'showLog', 'openReport'] as const;
export type WebviewAction = (typeof WEBVIEW_ACTIONS)[number];

/** Live rows are capped so a very long run cannot grow the webview state without bound. */
export const MAX_LIVE_ROWS = 5000;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

// ---------------------------------------------------------------------------------------------
// Results

/** The per-epoch measures the live classification chart draws; the others wait for the final charts. */
export const LIVE_EPOCH_METRICS = ['trainLoss', 'valAcc'] as const;
export type LiveEpochMetric = (typeof LIVE_EPOCH_METRICS)[number];

/** Regression: one model's test MAE on one finished split. */
export const SplitLiveRowSchema = z.object({ kind: z.literal('split'), model: z.string(), split: z.number().int().nonnegative(), mae: finite });
export type SplitLiveRow = z.infer<typeof SplitLiveRowSchema>;

/** Classification: one experiment's training loss or validation accuracy after one epoch (epochs count from 1). */
export const EpochLiveRowSchema = z.object({
  kind: z.literal('epoch'),
  model: z.string(),
  epoch: z.number().int().positive(),
  metric: z.enum(LIVE_EPOCH_METRICS),
  value: finite,
});
export type EpochLiveRow = z.infer<typeof EpochLiveRowSchema>;

// Discriminated rather than a generic {x, y}: each chart reads its own field names, and a malformed row's
// reason still names the field (`rows.0.mae`).
export const LiveRowSchema = z.discriminatedUnion('kind', [SplitLiveRowSchema, EpochLiveRowSchema]);
export type LiveRow = z.infer<typeof LiveRowSchema>;

export const RunInfoSchema = z.object({
  runId: z.string().min(1),
  submodule: z.enum(SUBMODULES),
  profile: z.enum(PROFILES),
  seed: z.number().int(),
  /** Workspace-relative name of the learner's file, or absent for the course's reference network. */
  learnerFile: z.string().optional(),
});
export type RunInfo = z.infer<typeof RunInfoSchema>;

export const BackendInfoSchema = z.object({
  backend: z.enum(BACKENDS),
  version: z.string(),
  ladder: z.array(BackendRungSchema),
});
export type BackendInfo = z.infer<typeof BackendInfoSchema>;

export const RUN_STATUSES = ['idle', 'running', 'done', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ResultsStateSchema = z.object({
  status: z.enum(RUN_STATUSES),
  run: RunInfoSchema.optional(),
  stage: z.string(),
  fraction: z.number().min(0).max(1),
  backend: BackendInfoSchema.optional(),
  live: z.array(LiveRowSchema).max(MAX_LIVE_ROWS),
  metrics: SubmoduleMetricsSchema.optional(),
  reportPath: z.string().optional(),
  /**
   * The folder of the misclassified test images' thumbnails (`thumbnailFileName(index)` in it), when the run
   * wrote them. The host's snapshot holds a file path; a panel receives the webview URI of that folder,
   * because only a live webview can make one (see resultsForPanel.ts).
   */
  thumbnails: z.string().optional(),
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).optional(),
});
export type ResultsState = z.infer<typeof ResultsStateSchema>;

export const EMPTY_RESULTS: ResultsState = { status: 'idle', stage: '', fraction: 0, live: [] };

// ---------------------------------------------------------------------------------------------
// Quiz: the webview sees the questions without the answer key; feedback arrives once a choice is graded.

export const QuizQuestionViewSchema = z.object({
  id: z.string().min(1),
  prompt: z.string().min(1),
  choices: z.array(z.object({ id: z.string().min(1), text: z.string().min(1) })).min(2),
});
export type QuizQuestionView = z.infer<typeof QuizQuestionViewSchema>;

export const QuizViewSchema = z.object({
  submodule: z.enum(SUBMODULES),
  title: z.string(),
  intro: z.string(),
  questions: z.array(QuizQuestionViewSchema).min(1),
});
export type QuizView = z.infer<typeof QuizViewSchema>;

export const GradedAnswerSchema = z.object({
  questionId: z.string(),
  choiceId: z.string(),
  correct: z.boolean(),
  attempts: z.number().int().positive(),
  /** Why this choice is right or wrong. */
  feedback: z.string(),
  /** The general explanation, revealed once the question is answered correctly. */
  explanation: z.string().optional(),
});
export type GradedAnswer = z.infer<typeof GradedAnswerSchema>;

export const QuizProgressViewSchema = z.object({
  answers: z.array(GradedAnswerSchema),
  correctCount: z.number().int().nonnegative(),
  firstTryCount: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  passed: z.boolean(),
});
export type QuizProgressView = z.infer<typeof QuizProgressViewSchema>;

// ---------------------------------------------------------------------------------------------
// The method table

export const webviewMethods = {
  // webview → host
  'webview/ready': z.object({ view: z.enum(WEBVIEW_VIEWS) }),
  'webview/action/invoke': z.object({ action: z.enum(WEBVIEW_ACTIONS) }),
  'webview/error/report': z.object({ message: z.string() }),
  'quiz/answer/submit': z.object({ questionId: z.string().min(1), choiceId: z.string().min(1) }),
  'quiz/progress/reset': z.object({}),
  // host → results webview
  'results/snapshot/set': ResultsStateSchema,
  'results/run/start': RunInfoSchema,
  'results/backend/select': BackendInfoSchema.extend({ runId: z.string() }),
  'results/run/progress': z.object({ runId: z.string(), stage: z.string(), fraction: z.number().min(0).max(1) }),
  'results/metric/add': z.object({ runId: z.string(), rows: z.array(LiveRowSchema).min(1) }),
  'results/run/finish': z.object({ runId: z.string(), metrics: SubmoduleMetricsSchema, reportPath: z.string(), thumbnails: z.string().optional() }),
  'results/run/fail': z.object({
    runId: z.string().optional(),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    location: ProblemLocationSchema.optional(),
  }),
  // host → quiz webview
  'quiz/state/set': z.object({ quiz: QuizViewSchema, progress: QuizProgressViewSchema }),
} as const;

export type WebviewMethod = keyof typeof webviewMethods;
export type WebviewParamsOf<M extends WebviewMethod> = z.infer<(typeof webviewMethods)[M]>;

export type WebviewEnvelope<M extends WebviewMethod = WebviewMethod> = EnvelopeOf<typeof webviewMethods, M>;

export const FROM_WEBVIEW = [
  'webview/ready',
  'webview/action/invoke',
  'webview/error/report',
  'quiz/answer/submit',
  'quiz/progress/reset',
] as const satisfies readonly WebviewMethod[];
export type FromWebviewMethod = (typeof FROM_WEBVIEW)[number];

export const TO_RESULTS = [
  'results/snapshot/set',
  'results/run/start',
  'results/backend/select',
  'results/run/progress',
  'results/metric/add',
  'results/run/finish',
  'results/run/fail',
] as const satisfies readonly WebviewMethod[];
export type ToResultsMethod = (typeof TO_RESULTS)[number];

export const TO_QUIZ = ['quiz/state/set'] as const satisfies readonly WebviewMethod[];
export type ToQuizMethod = (typeof TO_QUIZ)[number];

export type ToWebviewMethod = ToResultsMethod | ToQuizMethod;

export type FromWebviewMessage = WebviewEnvelope<FromWebviewMethod>;
export type ToResultsMessage = WebviewEnvelope<ToResultsMethod>;
export type ToWebviewMessage = WebviewEnvelope<ToWebviewMethod>;

export function webviewEnvelope<M extends WebviewMethod>(method: M, params: WebviewParamsOf<M>): WebviewEnvelope<M> {
  return envelopeOf<typeof webviewMethods, M>(method, params);
}

/** Validates one posted message; the reason names the offending field so one log line finds the bug. */
export function decodeWebviewMessage<M extends WebviewMethod>(raw: unknown, allowed: readonly M[]): DecodedMessage<typeof webviewMethods, M> {
  return decodeMessage(webviewMethods, raw, allowed);
}

// ---------------------------------------------------------------------------------------------
// The results reducer

/** Applies one host message to a results snapshot. Messages for another run than the current one are ignored. */
export function reduceResults(state: ResultsState, message: ToResultsMessage): ResultsState {
  switch (message.method) {
    case 'results/snapshot/set':
      return message.params;
    case 'results/run/start':
      return { ...EMPTY_RESULTS, status: 'running', run: message.params, stage: 'Starting the trainer' };
    case 'results/backend/select': {
      if (!isCurrent(state, message.params.runId)) return state;
      const { backend, version, ladder } = message.params;
      return { ...state, backend: { backend, version, ladder } };
    }
    case 'results/run/progress':
      if (!isCurrent(state, message.params.runId)) return state;
      return { ...state, stage: message.params.stage, fraction: message.params.fraction };
    case 'results/metric/add': {
      if (!isCurrent(state, message.params.runId)) return state;
      const live = [...state.live, ...message.params.rows];
      return { ...state, live: live.length > MAX_LIVE_ROWS ? live.slice(live.length - MAX_LIVE_ROWS) : live };
    }
    case 'results/run/finish': {
      if (!isCurrent(state, message.params.runId)) return state;
      const { metrics, reportPath, thumbnails } = message.params;
      return { ...state, status: 'done', stage: 'Finished', fraction: 1, metrics, reportPath, ...(thumbnails === undefined ? {} : { thumbnails }) };
    }
    case 'results/run/fail': {
      const { runId, code, message: text } = message.params;
      if (runId !== undefined && !isCurrent(state, runId)) return state;
      return { ...state, status: code === 'cancelled' ? 'cancelled' : 'failed', error: { code, message: text } };
    }
  }
}

function isCurrent(state: ResultsState, runId: string): boolean {
  return state.run?.runId === runId;
}
