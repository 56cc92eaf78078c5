import * as vscode from 'vscode';
import { SUBMODULES, type SubmoduleId } from '../protocol/messages';

/** What each submodule offers so far; adding a hands-on part to another submodule flips its flags here. */
export const SUBMODULE_INFO: Record<SubmoduleId, { title: string; runnable: boolean; quiz: boolean }> = {
  regression: { title: 'Regression: predicting nucleus radius from tabular data', runnable: true, quiz: true },
  classification: { title: 'Classification: tissue types in PathMNIST', runnable: false, quiz: false },
  augmentation: { title: 'Augmentation: BreastMNIST and ChestMNIST', runnable: false, quiz: false },
  segmentation: { title: 'Segmentation: U-Net on skin multiphoton images', runnable: false, quiz: false },
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
