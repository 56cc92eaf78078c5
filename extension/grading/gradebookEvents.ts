/**
 * Turns the grader's `--json` events into gradebook messages. Pure, so what the panel shows for a given
 * grader output is unit-tested without VS Code or a grading run.
 */
import { basename } from 'node:path';
import { checkRow, classRow, gradebookEnvelope, type ToGradebookMessage } from '../../protocol/gradebook';
import type { GradeEvent } from '../../protocol/grading';

export function gradebookMessageFor(event: GradeEvent): ToGradebookMessage | undefined {
  switch (event.method) {
    case 'grade/sandbox/describe': {
      const { isolation, isolationReason, addressSpaceCap, addressSpaceReason } = event.params;
      const gaps = [
        ...(isolation ? [] : [`no network isolation (${isolationReason ?? 'unavailable'})`]),
        ...(addressSpaceCap ? [] : [`only the heap is capped (${addressSpaceReason ?? 'prlimit unavailable'})`]),
      ];
      return gaps.length ? gradebookEnvelope('gradebook/sandbox/warn', { message: `Weaker sandbox: ${gaps.join('; ')}.` }) : undefined;
    }
    case 'grade/run/start':
      // The command remembers the run here; the panel learns the total from the first submission's start.
      return undefined;
    case 'grade/submission/start':
      return gradebookEnvelope('gradebook/submission/start', { name: event.params.name, total: event.params.total });
    case 'grade/submission/finish': {
      const { name, score, maxScore, tests, total } = event.params;
      return gradebookEnvelope('gradebook/submission/finish', { row: classRow(name, score, maxScore, tests), total });
    }
    case 'grade/check/finish': {
      const { file, score, maxScore, tests } = event.params;
      return gradebookEnvelope('gradebook/submission/finish', { row: checkRow(basename(file), score, maxScore, tests), total: 1 });
    }
    case 'grade/run/finish':
      return gradebookEnvelope('gradebook/run/finish', { cancelled: event.params.cancelled, canExport: true, notGraded: event.params.notGraded });
    case 'grade/run/fail':
      return gradebookEnvelope('gradebook/run/fail', { message: event.params.message });
  }
}

/** What the panel says when the grader exits without a final event of its own (cancelled, or crashed). */
export function gradebookEndFor(exitCode: number, ended: boolean): ToGradebookMessage | undefined {
  if (ended) return undefined;
  if (exitCode === 130) return gradebookEnvelope('gradebook/run/finish', { cancelled: true, canExport: false, notGraded: [] });
  return gradebookEnvelope('gradebook/run/fail', { message: `The grader stopped (exit code ${exitCode}) without results; the log has its output.` });
}
