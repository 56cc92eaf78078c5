import { openChallengeOf } from './openChallenge';
import type { LabCommand } from './types';

/** Opens biomed-lab/classification/challenge.ts, creating the exercise files first if needed. */
export const openClassificationChallenge: LabCommand = openChallengeOf('classification');
