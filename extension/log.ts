/**
 * The logging surface pure modules depend on. `vscode.LogOutputChannel` satisfies it directly, and tests
 * pass a recorder, so modules like the trainer client never import `vscode`.
 */
export interface Log {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
