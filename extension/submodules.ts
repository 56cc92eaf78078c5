import * as vscode from 'vscode';
import { SUBMODULES, type SubmoduleId } from '../protocol/messages';

/** The learner files scaffolded into `biomed-lab/<submodule>/`. */
export type ExerciseFile = 'network.ts' | 'transfer.ts' | 'challenge.ts';

export interface SubmoduleInfo {
  title: string;
  runnable: boolean;
  quiz: boolean;
  /**
   * Files a run takes as the learner's code: the first is used when it exists, and any of them when it is
   * the open editor. Classification's challenge file is left out: it exports a loss, not a transfer step.
   */
  runFiles: readonly ExerciseFile[];
}

/** What each submodule offers so far; adding a hands-on part to another submodule flips its flags here. */
export const SUBMODULE_INFO: Record<SubmoduleId, SubmoduleInfo> = {
  regression: { title: 'Regression: predicting nucleus radius from tabular data', runnable: true, quiz: true, runFiles: ['network.ts', 'challenge.ts'] },
  classification: { title: 'Classification: tissue types in PathMNIST', runnable: true, quiz: true, runFiles: ['transfer.ts'] },
  augmentation: { title: 'Augmentation: BreastMNIST and ChestMNIST', runnable: false, quiz: false, runFiles: [] },
  segmentation: { title: 'Segmentation: U-Net on skin multiphoton images', runnable: false, quiz: false, runFiles: [] },
};

export function isSubmodule(value: unknown): value is SubmoduleId {
  return typeof value === 'string' && (SUBMODULES as readonly string[]).includes(value);
}

/** A quick pick of submodules; those without the wanted part are listed but say it is coming. */
export async function pickSubmodule(purpose: 'runnable' | 'quiz', placeHolder: string): Promise<SubmoduleId | undefined> {
  const items = SUBMODULES.map((id) => ({
    id,
    label: SUBMODULE_INFO[id].title,
    description: SUBMODULE_INFO[id][purpose] ? '' : 'coming soon',
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, title: 'Biomedical Deep Learning Lab' });
  if (!picked) return undefined;
  if (!SUBMODULE_INFO[picked.id][purpose]) {
    void vscode.window.showInformationMessage(
      `The hands-on part of ${SUBMODULE_INFO[picked.id].title.split(':')[0]} is coming; its walkthrough has the background already.`,
    );
    return undefined;
  }
  return picked.id;
}
