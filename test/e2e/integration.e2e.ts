/**
 * The mocha tests of test/integration/ in the real extension host (code-server's), with the packaged
 * extension loaded as the extension under development: commands, the trainer and its protocol, settings,
 * diagnostics. Then what only the outside can see: once the tests end the workbench stops the extension
 * host, and the trainer the extension started must be gone too.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { e2eEnv } from './harness/env';
import { extensionId, readManifest } from './harness/manifest';
import { withVsCode } from './harness/session';
import { timed } from './harness/timing';

const manifest = readManifest();
const TESTS_BUDGET_MS = 420_000;

test('the integration tests pass in the extension host, and the trainer exits with the extension host', { timeout: TESTS_BUDGET_MS + 120_000 }, () =>
  withVsCode(
    { name: 'integration', theme: 'dark', extensionTests: { testsPath: e2eEnv().integrationTests, extensionId: extensionId(manifest) } },
    async ({ workspace, extensionTestsExit, screenshot }) => {
      await timed('integration: mocha in the extension host', async () => {
        // Unref'd: a pending timer would keep this file's process alive after the test passed.
        const code = await Promise.race([extensionTestsExit(), delay(TESTS_BUDGET_MS, 'no exit code' as const, { ref: false })]);
        const handedOver = (name: string): string => join(workspace, '.biomed-integration', name);
        const report = existsSync(handedOver('report.txt')) ? readFileSync(handedOver('report.txt'), 'utf8') : '(no report written)';
        console.log(report.replace(/^/gm, '[integration] '));
        await screenshot('integration.png');
        assert.equal(code, 0, `the extension tests exited with ${code}:\n${report}`);
        const summary = /(\d+) passing, (\d+) failing/.exec(report);
        assert.ok(summary && Number(summary[1]) > 0 && summary[2] === '0', `the report does not say every test passed:\n${report}`);

        const pids = JSON.parse(readFileSync(handedOver('trainer-pids.json'), 'utf8')) as number[];
        assert.ok(pids.length > 0, 'the tests recorded no trainer pid');
        for (const pid of pids) await waitUntilGone(pid, 15_000);
      });
    },
  ),
);

/** A process is gone once /proc has no entry for it, or only a zombie's. */
async function waitUntilGone(pid: number, timeoutMs: number): Promise<void> {
  const alive = (): boolean => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  };
  for (const deadline = Date.now() + timeoutMs; alive(); await delay(100)) {
    if (Date.now() > deadline) assert.fail(`trainer ${pid} still runs ${timeoutMs / 1000} s after the extension host stopped`);
  }
}
