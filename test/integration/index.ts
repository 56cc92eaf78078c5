/**
 * The module VS Code loads as `extensionTestsPath`: runs every bundled `*.test.js` beside it with mocha in
 * this extension host, where `vscode` is the real API and the extension under test is loaded. A rejected
 * promise is how VS Code learns that tests failed (its exit code becomes 1).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { handOverFile } from './support';

export async function run(): Promise<void> {
  // The bundles carry inline source maps: a failure's stack then names the test's TypeScript lines.
  process.setSourceMapsEnabled(true);
  const report = handOverFile('report.txt');
  writeFileSync(report, '');
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: ReportFile, reporterOptions: { path: report } });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed; see ${report}`);
}

/**
 * Mocha's spec-like lines, written to a file the Playwright side prints: the extension host's own stdout
 * is not where anyone looks.
 */
class ReportFile extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const path = (options.reporterOptions as { path: string }).path;
    const write = (line: string): void => {
      writeFileSync(path, `${line}\n`, { flag: 'a' });
      console.log(line);
    };
    const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    runner.on(EVENT_SUITE_BEGIN, (suite) => suite.title && write(suite.fullTitle()));
    runner.on(EVENT_TEST_PASS, (test) => write(`  ✓ ${test.title} (${test.duration ?? 0} ms)`));
    runner.on(EVENT_TEST_PENDING, (test) => write(`  - ${test.title} (pending)`));
    runner.on(EVENT_TEST_FAIL, (test, err: Error) => write(`  ✗ ${test.title}\n${indent(err.stack ?? err.message)}`));
    runner.once(EVENT_RUN_END, () => {
      const s = this.stats;
      write(`${s.passes} passing, ${s.failures} failing, ${s.pending} pending`);
    });
  }
}

const indent = (text: string): string => text.replace(/^/gm, '      ');
