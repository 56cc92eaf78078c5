import { checkChallengeOf } from './checkChallenge';
import type { LabCommand } from './types';

/** Runs the Classification challenge's public tests on the learner's challenge.ts. */
export const checkClassificationChallenge: LabCommand = checkChallengeOf('classification');
