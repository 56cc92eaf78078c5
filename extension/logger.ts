import * as vscode from 'vscode';
import type { Log } from './log';

/** The one log of the extension: a LogOutputChannel, so the user picks the level and VS Code adds timestamps. */
export class Logger implements Log, vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Biomedical Deep Learning Lab', { log: true });

  trace(message: string): void {
    this.channel.trace(message);
  }
  debug(message: string): void {
    this.channel.debug(message);
  }
  info(message: string): void {
    this.channel.info(message);
  }
  warn(message: string): void {
    this.channel.warn(message);
  }
  error(message: string): void {
    this.channel.error(message);
  }

  /** A child log whose lines carry a tag, e.g. the trainer's stderr. */
  tagged(tag: string): Log {
    return {
      trace: (m) => this.trace(`[${tag}] ${m}`),
      debug: (m) => this.debug(`[${tag}] ${m}`),
      info: (m) => this.info(`[${tag}] ${m}`),
      warn: (m) => this.warn(`[${tag}] ${m}`),
      error: (m) => this.error(`[${tag}] ${m}`),
    };
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
