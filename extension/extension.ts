import type * as vscode from 'vscode';
import { registerCommands } from './commands/registry';
import { Container } from './container';

let container: Container | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  container = new Container(context);
  registerCommands(container);
  // VS Code disposes subscriptions too; the container makes the order (reverse of creation) explicit.
  context.subscriptions.push(container);
  container.log.info(`activated (extension host ${process.version}, ${process.platform})`);
  await container.restoreContext();
}

export function deactivate(): void {
  container?.dispose();
  container = undefined;
}
