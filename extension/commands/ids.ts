/**
 * Every command the extension contributes, in one union. A unit test checks this list against
 * `contributes.commands` in package.json, so a command cannot be declared on one side only.
 */
export const COMMAND_IDS = [
  'biomedLab.regression.scaffoldExercise',
  'biomedLab.regression.openChallenge',
  'biomedLab.regression.run',
  'biomedLab.run',
  'biomedLab.cancelRun',
  'biomedLab.showResults',
  'biomedLab.quiz.open',
  'biomedLab.quiz.reset',
  'biomedLab.showBackend',
  'biomedLab.showLog',
  'biomedLab.openReport',
  'biomedLab.grading.gradeSubmissions',
  'biomedLab.grading.showLastGradebook',
  'biomedLab.regression.checkChallenge',
  'biomedLab.classification.scaffoldExercise',
  'biomedLab.classification.openChallenge',
  'biomedLab.classification.run',
  'biomedLab.classification.checkChallenge',
  'biomedLab.augmentation.openChallenge',
  'biomedLab.augmentation.checkChallenge',
  'biomedLab.segmentation.openChallenge',
  'biomedLab.segmentation.checkChallenge',
  'biomedLab.installNativeBackend',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/**
 * Context keys the walkthroughs use in `completionEvents` (`onContext:`) and `when` clauses.
 * Keys are per submodule so a fifth submodule adds keys without touching the others.
 */
export const CONTEXT_KEYS = {
  runSucceeded: (submodule: string) => `biomedLab.${submodule}.runSucceeded`,
  quizPassed: (submodule: string) => `biomedLab.${submodule}.quizPassed`,
  exerciseScaffolded: (submodule: string) => `biomedLab.${submodule}.exerciseScaffolded`,
  running: 'biomedLab.running',
} as const;
