import * as vscode from 'vscode';
import type { Container } from '../container';
import { LabError } from '../errors';
import { cancelRun } from './cancelRun';
import { checkChallengeOf } from './checkChallenge';
import { gradeSubmissions } from './gradeSubmissions';
import { installNativeBackend } from './installNativeBackend';
import type { CommandId } from './ids';
import { openChallengeOf } from './openChallenge';
import { openQuiz } from './openQuiz';
import { openReport } from './openReport';
import { resetQuiz } from './resetQuiz';
import { run } from './run';
import { runClassification } from './runClassification';
import { runRegression } from './runRegression';
import { scaffoldClassificationExercise } from './scaffoldClassificationExercise';
import { scaffoldExercise } from './scaffoldExercise';
import { showBackend } from './showBackend';
import { showLastGradebook } from './showLastGradebook';
import { showLog } from './showLog';
import { showResults } from './showResults';
import type { LabCommand } from './types';

/**
 * Every command id maps to its handler; the Record type makes a missing or extra handler a compile error.
 * Every challenge has the same two commands, built from its submodule rather than one file per copy.
 */
const COMMANDS: Record<CommandId, LabCommand> = {
  'biomedLab.regression.scaffoldExercise': scaffoldExercise,
  'biomedLab.regression.openChallenge': openChallengeOf('regression'),
  'biomedLab.regression.run': runRegression,
  'biomedLab.run': run,
  'biomedLab.cancelRun': cancelRun,
  'biomedLab.showResults': showResults,
  'biomedLab.openReport': openReport,
  'biomedLab.quiz.open': openQuiz,
  'biomedLab.quiz.reset': resetQuiz,
  'biomedLab.showBackend': showBackend,
  'biomedLab.showLog': showLog,
  'biomedLab.grading.gradeSubmissions': gradeSubmissions,
  'biomedLab.grading.showLastGradebook': showLastGradebook,
  'biomedLab.regression.checkChallenge': checkChallengeOf('regression'),
  'biomedLab.classification.scaffoldExercise': scaffoldClassificationExercise,
  'biomedLab.classification.openChallenge': openChallengeOf('classification'),
  'biomedLab.classification.run': runClassification,
  'biomedLab.classification.checkChallenge': checkChallengeOf('classification'),
  'biomedLab.augmentation.openChallenge': openChallengeOf('augmentation'),
  'biomedLab.augmentation.checkChallenge': checkChallengeOf('augmentation'),
  'biomedLab.segmentation.openChallenge': openChallengeOf('segmentation'),
  'biomedLab.segmentation.checkChallenge': checkChallengeOf('segmentation'),
  'biomedLab.installNativeBackend': installNativeBackend,
};

/** Registers every command; a handler's error becomes a message with a way to the log, never a crash. */
export function registerCommands(c: Container): void {
  for (const [id, handler] of Object.entries(COMMANDS)) {
    c.track(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(c, ...args);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          c.log.error(`${id} failed: ${LabError.is(err) ? `${err.reason}: ` : ''}${message}`);
          const choice = await vscode.window.showErrorMessage(message, 'Show Log');
          if (choice === 'Show Log') c.log.show();
          return undefined;
        }
      }),
    );
  }
}
