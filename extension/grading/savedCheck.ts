/**
 * The Challenge Check panel's state rebuilt from the stored result of the last check, by replaying the
 * messages the live check sent, so a restored panel shows exactly what the learner saw. A result that
 * cannot be read becomes a message saying why and what to do, never a blank panel.
 */
import { emptyGradebook, gradebookEnvelope, reduceGradebook, type GradebookState, type ToGradebookMessage } from '../../protocol/gradebook';
import type { LoadedCheck } from './checkResultStore';
import { gradebookMessageFor } from './gradebookEvents';

export const CHECK_AGAIN = 'Run "Check My Challenge" again (the beaker button on challenge.ts, or the command palette) to see your results.';

export function savedCheckState(loaded: LoadedCheck): GradebookState {
  if (!loaded.ok) return { ...emptyGradebook('check', ''), error: `Your last check's results cannot be shown: ${loaded.problem}. ${CHECK_AGAIN}` };
  const { title, result } = loaded.check;
  const messages: (ToGradebookMessage | undefined)[] = [
    gradebookEnvelope('gradebook/run/start', { mode: 'check', title }),
    gradebookMessageFor({ v: 1, method: 'grade/check/finish', params: result }),
    gradebookEnvelope('gradebook/run/finish', { cancelled: false, canExport: false, notGraded: [] }),
  ];
  return messages.reduce<GradebookState>((state, m) => (m ? reduceGradebook(state, m) : state), emptyGradebook('check', title));
}
