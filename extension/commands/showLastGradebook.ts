import type { LabCommand } from './types';

/**
 * Instructors: opens the gradebook of the last grading run in this workspace again, read from the files
 * the grader wrote (a closed panel, or one whose run is long over); a run in progress is just revealed.
 */
export const showLastGradebook: LabCommand = (c) => c.gradebook.showLast();
