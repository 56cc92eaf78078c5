import { scaffoldExerciseOf } from './scaffoldExercise';
import type { LabCommand } from './types';

/** Creates biomed-lab/classification/{transfer,challenge}.ts (keeping edited files) and opens transfer.ts. */
export const scaffoldClassificationExercise: LabCommand = scaffoldExerciseOf('classification');
