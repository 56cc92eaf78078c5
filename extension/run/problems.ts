import * as vscode from 'vscode';
import type { DidFailParams, ProblemLocation } from '../../protocol/messages';

/**
 * Turns a trainer error that points into the learner's file into a squiggle on that line, so a typo in
 * the exercise reads like any other TypeScript problem. Cleared at the start of the next run.
 */
export class Problems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('biomedLab');

  clear(): void {
    this.collection.clear();
  }

  /** Returns the file's URI when the error had a location and a diagnostic was set. */
  report(error: DidFailParams): vscode.Uri | undefined {
    if (!error.location) return undefined;
    const uri = vscode.Uri.file(error.location.file);
    const diagnostic = new vscode.Diagnostic(rangeOf(error.location), error.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Biomedical Deep Learning Lab';
    diagnostic.code = error.code;
    this.collection.set(uri, [diagnostic]);
    return uri;
  }

  dispose(): void {
    this.collection.dispose();
  }
}

/** The protocol's lines are 1-based and columns 0-based; VS Code's are both 0-based. */
export function rangeOf(location: ProblemLocation): vscode.Range {
  const line = Math.max(0, location.line - 1);
  return new vscode.Range(line, location.column, line, Number.MAX_SAFE_INTEGER);
}
