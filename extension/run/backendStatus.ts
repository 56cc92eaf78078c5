import * as os from 'node:os';
import * as vscode from 'vscode';
import type { DidSelectBackendParams } from '../../protocol/messages';
import { describeLadder, describeSelection } from './backendLadder';

/**
 * The status bar item that says which tfjs backend the last run used and, in its tooltip, why every
 * faster rung of the ladder was skipped. The host name is shown because under Remote-SSH or code-server
 * the trainer runs on the remote machine, not on the learner's laptop.
 */
export class BackendStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('biomedLab.backend', vscode.StatusBarAlignment.Right, 100);
  private selection: DidSelectBackendParams | undefined;

  constructor() {
    this.item.name = 'Biomedical Deep Learning Lab: backend';
    this.item.command = 'biomedLab.showBackend';
  }

  get last(): DidSelectBackendParams | undefined {
    return this.selection;
  }

  get host(): string {
    return os.hostname();
  }

  update(selection: DidSelectBackendParams): void {
    this.selection = selection;
    this.item.text = `$(pulse) tfjs: ${selection.backend}`;
    this.item.accessibilityInformation = { label: `Training backend: ${selection.backend}`, role: 'button' };
    // appendText escapes Markdown: the trainer's reasons are plain text (paths, error messages).
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(describeSelection(selection, this.host));
    for (const line of describeLadder(selection)) tooltip.appendMarkdown('\n\n').appendText(line);
    tooltip.appendMarkdown('\n\nChange it with the `biomedLab.backend` setting.');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

