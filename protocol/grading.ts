/**
 * What `biomed-lab grade --json` prints, one envelope per line, for the VS Code commands (and any CI
 * wrapper) to follow. Pure zod, no Node imports: the extension validates these lines with the same schemas.
 */
import { z } from 'zod';
import { decodeEventLine, envelopeOf, type EnvelopeOf } from './envelope';

const LocationSchema = z.object({ file: z.string(), line: z.number().int().positive(), column: z.number().int().nonnegative() });

export const LearnerTestFeedbackSchema = z.object({
  name: z.string(),
  status: z.enum(['passed', 'partial', 'failed', 'error']),
  score: z.number(),
  max_score: z.number(),
  message: z.string(),
  duration: z.number(),
  location: LocationSchema.optional(),
});

/**
 * One test of one submission as the instructor sees it: the key's id and title, the learner's message and the
 * grader's detail. Sent only in a batch run, whose output is the instructor's; a check sends learner feedback.
 */
export const GradedTestSchema = z.object({
  id: z.string(),
  title: z.string(),
  hidden: z.boolean(),
  status: LearnerTestFeedbackSchema.shape.status,
  score: z.number(),
  max_score: z.number(),
  message: z.string(),
  detail: z.string(),
  duration: z.number(),
});
export type GradedTest = z.infer<typeof GradedTestSchema>;

/**
 * `instructor/<submission>.json`, as the grader writes it and the extension reads it back to rebuild the
 * gradebook panel after a reload. Only what the panel reads is checked strictly; the rest is the grader's.
 */
export const InstructorReportSchema = z.object({
  audience: z.string(),
  submission: z.string(),
  source: z.string(),
  score: z.number(),
  max_score: z.number(),
  wall_seconds: z.number(),
  tests: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      kind: z.string(),
      hidden: z.boolean(),
      status: LearnerTestFeedbackSchema.shape.status,
      score: z.number(),
      max_score: z.number(),
      duration: z.number(),
      learner_message: z.string(),
      detail: z.string(),
      spec: z.unknown(),
    }),
  ),
  notes: z.array(z.string()),
});
export type InstructorReport = z.infer<typeof InstructorReportSchema>;

export const GRADE_EVENTS = {
  /** The sandbox this run has: network isolation and memory cap, each with the reason when missing. */
  'grade/sandbox/describe': z.object({ isolation: z.boolean(), isolationReason: z.string().optional(), addressSpaceCap: z.boolean(), addressSpaceReason: z.string().optional() }),
  /**
   * A batch run has written its first gradebook, every submission `pending`: from now on the out folder
   * describes this run (what it graded, and what it did not if it is stopped), not an earlier one.
   */
  'grade/run/start': z.object({ outDir: z.string(), gradebook: z.string(), submissions: z.array(z.string()) }),
  'grade/submission/start': z.object({ name: z.string(), index: z.number().int(), total: z.number().int() }),
  'grade/submission/finish': z.object({
    name: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    score: z.number(),
    maxScore: z.number(),
    tests: z.array(GradedTestSchema),
  }),
  /**
   * A batch run's files (instructor). `notGraded`: submissions a cancelled run stopped before they finished;
   * they have no feedback or instructor file and their gradebook row says `cancelled`.
   */
  'grade/run/finish': z.object({
    outDir: z.string(),
    gradebook: z.string(),
    summary: z.string(),
    cancelled: z.boolean(),
    notGraded: z.array(z.string()).default([]),
  }),
  /** Check My Challenge: the learner-facing feedback itself (public tests only). */
  'grade/check/finish': z.object({ file: z.string(), score: z.number(), maxScore: z.number(), tests: z.array(LearnerTestFeedbackSchema) }),
  'grade/run/fail': z.object({ message: z.string() }),
} as const;

export type GradeEventMethod = keyof typeof GRADE_EVENTS;
export type GradeEventParams<M extends GradeEventMethod> = z.infer<(typeof GRADE_EVENTS)[M]>;
export type GradeEvent = EnvelopeOf<typeof GRADE_EVENTS>;

export function gradeEvent<M extends GradeEventMethod>(method: M, params: GradeEventParams<M>): string {
  return JSON.stringify(envelopeOf<typeof GRADE_EVENTS, M>(method, params));
}

/** Parses one line of `--json` output; anything else (a stray log line) is undefined. */
export function decodeGradeEvent(line: string): GradeEvent | undefined {
  return decodeEventLine(GRADE_EVENTS, line);
}
