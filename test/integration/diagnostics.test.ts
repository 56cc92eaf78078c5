/**
 * A learner's mistake reaches the editor: a network.ts whose buildNetwork throws on line 3 makes a run fail,
 * and VS Code's diagnostics for that file hold an error on that line (what the Problems view and the
 * squiggle show). The file is put back afterwards.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startRun, waitFor, workspaceFolder } from './support';

const MESSAGE = 'integration test error';
const BROKEN = [
  "import * as tf from '@tensorflow/tfjs';",
  'export function buildNetwork(inputFeatures: number): tf.LayersModel {',
  `  throw new Error('${MESSAGE}: ' + inputFeatures);`,
  '}',
  'export const training = { learningRate: 1e-4, epochs: 100, batchSize: 32 };',
  '',
].join('\n');
/** 0-based, as VS Code counts: the throw is on the file's third line. */
const THROW_LINE = 2;

describe('diagnostics', () => {
  it('an error thrown in the learner\'s network.ts is a diagnostic on that line', async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('biomedLab.regression.scaffoldExercise');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const file = vscode.Uri.file(join(workspaceFolder(), 'biomed-lab', 'regression', 'network.ts'));
    const original = readFileSync(file.fsPath, 'utf8');
    writeFileSync(file.fsPath, BROKEN);
    try {
      const run = startRun('biomedLab.regression.run', file);
      const diagnostic = await waitFor('a diagnostic from the failed run', 90_000, () =>
        vscode.languages.getDiagnostics(file).find((d) => d.message.includes(MESSAGE)),
      );
      assert.equal(diagnostic.range.start.line, THROW_LINE);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      await run.settle();
    } finally {
      writeFileSync(file.fsPath, original);
    }
  });
});
