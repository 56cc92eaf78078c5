import * as vscode from 'vscode';
import { readSettings } from '../config';
import { describeLadder, describeSelection } from '../run/backendLadder';
import type { LabCommand } from './types';

const INSTALL_LABEL = '$(cloud-download) Install Faster Backend (tfjs-node)…';

/** Explains which tfjs backend the last run used and why each faster one was skipped. */
export const showBackend: LabCommand = async (c) => {
  const selection = c.backend.last;
  const setting = readSettings().backend;
  if (!selection) {
    void vscode.window.showInformationMessage(
      `No run yet in this window. The backend is chosen when a run starts (setting biomedLab.backend: ${setting}; trainer host: ${c.backend.host}).`,
    );
    return;
  }
  const items: vscode.QuickPickItem[] = describeLadder(selection).map((label) => ({ label }));
  // Offered where the fix is one command away: the run fell to WebAssembly or plain JavaScript.
  const slow = selection.backend === 'wasm' || selection.backend === 'cpu';
  if (slow) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: INSTALL_LABEL, detail: 'Downloads libtensorflow into the extension\'s storage; the next run uses it.' });
  const picked = await vscode.window.showQuickPick(items, {
    title: describeSelection(selection, c.backend.host),
    placeHolder: `biomedLab.backend is "${setting}". The ladder tries the fastest backend first.`,
  });
  if (picked?.label === INSTALL_LABEL) await vscode.commands.executeCommand('biomedLab.installNativeBackend');
};
