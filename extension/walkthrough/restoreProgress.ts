import * as vscode from 'vscode';
import { SUBMODULES, type SubmoduleId } from '../../protocol/messages';
import { CONTEXT_KEYS } from '../commands/ids';
import type { LabPaths } from '../labPaths';
import type { Log } from '../log';
import type { QuizStore } from '../quiz/quizStore';
import type { Scaffolder } from '../scaffold/scaffolder';

export interface ProgressSources {
  scaffolder: Scaffolder;
  paths: LabPaths;
  quizzes: QuizStore;
  log: Log;
}

/**
 * Ticks every walkthrough step whose work is done, from what is on disk and in the extension's storage. VS Code
 * ticks a step only on events its walkthrough service sees while it is alive, and that service starts with the
 * first walkthrough a window opens: an exercise scaffolded from the palette before that, or in a window since
 * reloaded, stayed unticked (seen in the e2e run). Opening a walkthrough activates the extension
 * (`onWalkthrough:`), and the context keys published then are changes the service sees.
 */
export async function restoreWalkthroughProgress(sources: ProgressSources): Promise<void> {
  for (const submodule of SUBMODULES) {
    try {
      if (await sources.scaffolder.isScaffolded(submodule)) await setContext(CONTEXT_KEYS.exerciseScaffolded(submodule));
      if (await hasFinishedRun(sources.paths, submodule)) await setContext(CONTEXT_KEYS.runSucceeded(submodule));
      if (await sources.quizzes.has(submodule)) await sources.quizzes.publish(submodule);
    } catch (err) {
      sources.log.error(`could not restore the ${submodule} walkthrough's progress: ${String(err)}`);
    }
  }
}

/** A run folder with a metrics.json: the trainer writes it only when a run finishes. */
async function hasFinishedRun(paths: LabPaths, submodule: SubmoduleId): Promise<boolean> {
  const root = vscode.Uri.joinPath(paths.runsRoot, submodule);
  let runs: [string, vscode.FileType][];
  try {
    // Stat first: VS Code logs a warning for every readDirectory of a missing folder, and before a first run
    // none of the four exists.
    await vscode.workspace.fs.stat(root);
    runs = await vscode.workspace.fs.readDirectory(root);
  } catch {
    return false;
  }
  for (const [name, type] of runs) {
    if (type !== vscode.FileType.Directory) continue;
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, name, 'metrics.json'));
      return true;
    } catch {
      // An unfinished or cancelled run: no metrics.
    }
  }
  return false;
}

function setContext(key: string): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, true);
}
