/**
 * The trainer as the extension host runs it: a child process of this very extension host's Node, speaking
 * the JSON-lines protocol (checked line by line with the protocol's own decoder), exiting when its stdin
 * closes; and the extension's own trainer honouring the seed and splits settings in what the run writes.
 * The extension's trainer pid is handed over so the Playwright side can check it is gone once the extension
 * host has stopped (test/e2e/integration.e2e.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import { decodeLine, envelope, PROTOCOL_VERSION, TRAINER_TO_HOST, type TrainerMessage } from '../../protocol/messages';
import { childProcesses, extension, handOverFile, readJson, regressionRuns, startRun, waitFor, waitForNewRun, within, workspaceFolder, writeJson } from './support';

const SPLITS = 2;
const TRAINER_SCRIPT = join('dist', 'trainer.js');

describe('trainer', () => {
  it('starts, says trainer/ready, runs a short Regression over the protocol and exits when its stdin closes', async function () {
    this.timeout(180_000);
    const root = extension().extensionPath;
    const child = spawn(process.execPath, [join(root, TRAINER_SCRIPT)], { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'pipe' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const messages: TrainerMessage[] = [];
      const rejected: string[] = [];
      createInterface({ input: child.stdout }).on('line', (line) => {
        const decoded = decodeLine(line, TRAINER_TO_HOST);
        if (decoded.ok) messages.push(decoded.message);
        else rejected.push(decoded.reason);
      });

      const ready = await waitFor('trainer/ready', 30_000, () => messages[0]);
      assert.equal(ready.method, 'trainer/ready');
      if (ready.method !== 'trainer/ready') return;
      assert.equal(ready.params.pid, child.pid);
      assert.equal(ready.params.protocolVersion, PROTOCOL_VERSION);

      const runId = 'integration-protocol';
      const outDir = join(workspaceFolder(), '.biomed-integration', runId);
      const start = envelope('run/start', { runId, submodule: 'regression', profile: 'quick', seed: 3, backend: 'auto', outDir, splits: SPLITS });
      child.stdin.write(`${JSON.stringify(start)}\n`);
      const last = await waitFor('run/result or run/error', 150_000, () => messages.find((m) => m.method === 'run/result' || m.method === 'run/error'));
      assert.equal(last.method, 'run/result', JSON.stringify(last.params));
      assert.deepEqual(rejected, [], 'every line the trainer wrote follows the protocol');

      const methods = new Set(messages.map((m) => m.method));
      for (const method of ['run/backend/select', 'run/progress', 'run/metric', 'run/artifact'] as const) assert.ok(methods.has(method), `no ${method}`);
      const artifacts = messages.flatMap((m) => (m.method === 'run/artifact' ? [m.params.kind] : []));
      assert.deepEqual([...artifacts].sort(), ['metrics', 'record', 'report', 'trace']);
      const splitsSeen = new Set(messages.flatMap((m) => (m.method === 'run/metric' && m.params.split !== undefined ? [m.params.split] : [])));
      assert.equal(splitsSeen.size, SPLITS, 'a metric for each split');
      if (last.method === 'run/result' && last.params.metrics.submodule === 'regression') {
        assert.equal(last.params.metrics.splits.count, SPLITS);
        assert.equal(last.params.metrics.seed, 3);
      }

      child.stdin.end();
      assert.equal(await within(exited, 15_000, 'the trainer exits once its stdin closes'), 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  describe('the extension\'s trainer', () => {
    const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('biomedLab');
    const SEED = 11;

    before(async () => {
      await settings().update('seed', SEED, vscode.ConfigurationTarget.Global);
      await settings().update('splits', SPLITS, vscode.ConfigurationTarget.Global);
      // A run uses the active lab file when there is one: with none, it is network.ts or the reference network.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    after(async () => {
      await settings().update('seed', undefined, vscode.ConfigurationTarget.Global);
      await settings().update('splits', undefined, vscode.ConfigurationTarget.Global);
    });

    it('runs Regression with the seed and splits from the settings, in a child of this extension host', async function () {
      this.timeout(180_000);
      const before = regressionRuns();
      const run = startRun('biomedLab.regression.run');
      const dir = await waitForNewRun(before, 150_000);
      const record = readJson(join(dir, 'record.json')) as { seed: number; submodule: string };
      const metrics = readJson(join(dir, 'metrics.json')) as { seed: number; splits: { count: number } };
      assert.equal(record.submodule, 'regression');
      assert.equal(record.seed, SEED, 'record.json has the seed setting');
      assert.equal(metrics.seed, SEED, 'metrics.json has the seed setting');
      assert.equal(metrics.splits.count, SPLITS, 'metrics.json has the splits setting');

      const trainers = childProcesses(TRAINER_SCRIPT);
      assert.equal(trainers.length, 1, `one trainer child of the extension host (pid ${process.pid}), found ${trainers.join(', ') || 'none'}`);
      writeJson(handOverFile('trainer-pids.json'), trainers);
      await run.settle();
    });
  });
});
