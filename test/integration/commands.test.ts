/**
 * Every command in package.json is registered once the extension is active, and every command that needs no
 * person to answer it runs to the end in a real window and does what it says. A command's error is shown as
 * a message that waits for the learner (commands/registry.ts), so "does not throw" is checked as "settles".
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extension, waitFor, within, workspaceFolder } from './support';

interface Contributed {
  command: string;
}

/** Commands that need an answer from a person or start a long run: covered by the e2e scenarios instead. */
const NEEDS_A_PERSON: Record<string, string> = {
  'biomedLab.run': 'asks which lab in a quick pick, then runs it (the run is covered in trainer.test.ts)',
  'biomedLab.regression.run': 'a whole run; trainer.test.ts and diagnostics.test.ts run it',
  'biomedLab.quiz.reset': 'asks for confirmation in a modal dialog',
  'biomedLab.grading.gradeSubmissions': 'asks for two folders in open dialogs',
  'biomedLab.regression.checkChallenge': 'runs the grader and waits on its result message',
  'biomedLab.classification.run': 'trains ResNet-18 three times and needs a MedMNIST file and ImageNet weights',
  'biomedLab.classification.checkChallenge': 'runs the grader and waits on its result message',
  'biomedLab.augmentation.checkChallenge': 'runs the grader and waits on its result message',
  'biomedLab.segmentation.checkChallenge': 'runs the grader and waits on its result message',
  'biomedLab.installNativeBackend': 'asks which build in a quick pick, then downloads libtensorflow (no route to it on CI machines); the installer is unit-tested offline',
};

const workspacePath = (...parts: string[]): string => join(workspaceFolder(), ...parts);
const activeFile = (): string | undefined => vscode.window.activeTextEditor?.document.uri.fsPath;

/** The webview panel's tab; the tab model reaches this extension host a moment after the panel is created. */
async function webviewTab(viewType: string): Promise<void> {
  const tabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
  await waitFor(`a ${viewType} tab`, 10_000, () =>
    tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType)),
  ).catch((err: Error) => {
    throw new Error(`${err.message}; tabs: ${tabs().map((t) => `${t.label} (${t.input instanceof vscode.TabInputWebview ? t.input.viewType : typeof t.input})`).join(', ')}`);
  });
}

/** Safe to run headless, in this order, each with what must be true afterwards. */
const SAFE: { id: string; args?: unknown[]; then?: () => unknown }[] = [
  { id: 'biomedLab.showLog' },
  { id: 'biomedLab.showBackend' },
  { id: 'biomedLab.cancelRun' },
  { id: 'biomedLab.openReport' },
  {
    id: 'biomedLab.regression.scaffoldExercise',
    then: () => assert.equal(activeFile(), workspacePath('biomed-lab', 'regression', 'network.ts')),
  },
  {
    id: 'biomedLab.regression.openChallenge',
    then: () => assert.equal(activeFile(), workspacePath('biomed-lab', 'regression', 'challenge.ts')),
  },
  {
    id: 'biomedLab.classification.scaffoldExercise',
    then: () => assert.equal(activeFile(), workspacePath('biomed-lab', 'classification', 'transfer.ts')),
  },
  {
    id: 'biomedLab.classification.openChallenge',
    then: () => assert.equal(activeFile(), workspacePath('biomed-lab', 'classification', 'challenge.ts')),
  },
  // Submodules whose only exercise so far is the challenge: opening it scaffolds just that file.
  {
    id: 'biomedLab.augmentation.openChallenge',
    then: () => assert.equal(activeFile(), workspacePath('biomed-lab', 'augmentation', 'challenge.ts')),
  },
  {
    id: 'biomedLab.segmentation.openChallenge',
    then: () => assert.equal(activeFile(), workspacePath('biomed-lab', 'segmentation', 'challenge.ts')),
  },
  { id: 'biomedLab.showResults', then: () => webviewTab('biomedLab.results') },
  { id: 'biomedLab.quiz.open', args: ['regression'], then: () => webviewTab('biomedLab.quiz') },
  // Nothing graded in this workspace: the panel opens and says so (extension/grading/savedGradebook.ts).
  { id: 'biomedLab.grading.showLastGradebook', then: () => webviewTab('biomedLab.gradebook') },
];

const SETTLE_MS = 20_000;

describe('commands', () => {
  const contributed = (): string[] => (extension().packageJSON.contributes.commands as Contributed[]).map((c) => c.command);

  before(async () => {
    await extension().activate();
  });

  it('registers every command package.json contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed().filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  });

  it('sorts every contributed command into run-here or needs-a-person, so a new one is not left untested', () => {
    const sorted = new Set([...SAFE.map((c) => c.id), ...Object.keys(NEEDS_A_PERSON)]);
    assert.deepEqual(contributed().filter((id) => !sorted.has(id)), []);
    assert.deepEqual([...sorted].filter((id) => !contributed().includes(id)), [], 'listed here but no longer contributed');
  });

  for (const { id, args = [], then } of SAFE) {
    it(`runs ${id} without an error`, async () => {
      // A failing command waits on its error message forever: one that has not settled by now failed.
      await within(vscode.commands.executeCommand(id, ...args), SETTLE_MS, `${id} (an error message waiting for the learner?)`);
      await then?.();
    });
  }
});
