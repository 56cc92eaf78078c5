/**
 * One learner's VS Code for one scenario: a sandbox with the packaged extension installed, code-server, and a
 * browser on the workbench in the requested theme. Everything is torn down however the scenario ends; on a
 * failure the screen, the browser console and VS Code's logs are kept in the output folder for a human.
 */
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openBrowser, type Browser } from './browser';
import { installExtension, startCodeServer, type CodeServer } from './codeServer';
import { e2eEnv } from './env';
import { exposeAutomationExit, extensionTestsUrl, installedExtensionPath } from './extensionTests';
import { createSandbox, type Settings } from './sandbox';
import { summariseServiceWorkerTrace, traceServiceWorkers } from './serviceWorkerTrace';
import { timed } from './timing';
import { webviewHostStates, type WebviewHostState } from './webviews';
import { waitForWorkbench, type ThemeKind } from './workbench';

export const THEME_LABELS: Record<ThemeKind, string> = {
  light: 'Default Light Modern',
  dark: 'Default Dark Modern',
  'high-contrast': 'Default High Contrast',
};

export interface SessionOptions {
  /** Names the output files: `<name>.png`, `<name>.code-server.log`, ... */
  name: string;
  theme: ThemeKind;
  settings?: Settings;
  /**
   * Runs this bundled test module (mocha, see test/integration/) in the extension host, with the installed
   * extension loaded as the extension under development.
   */
  extensionTests?: { testsPath: string; extensionId: string };
  /** Changes the installed extension's files before VS Code starts: how a test breaks it on purpose. */
  alterInstalled?: (extensionsDir: string) => void;
}

export interface Session {
  page: Page;
  /** The workspace folder VS Code has open (on this machine's disk), for a scenario that writes or reads files. */
  workspace: string;
  /** Saves the whole window, or only `target` (all of it, even beyond the window), as `<output>/<file>`. */
  screenshot(file: string, target?: Locator): Promise<string>;
  /** The user settings VS Code has written (settings.json), e.g. after a change in the Settings editor. */
  userSettings(): Settings;
  /** VS Code's log files whose path contains `fragment` (e.g. the extension's output channel), joined. */
  logText(fragment: string): string;
  /** The extension tests' exit code, once they ended; only for a session with `extensionTests`. */
  extensionTestsExit(): Promise<number>;
}

/**
 * A scenario failed while code-server had left a webview host without content: its page never finished the
 * service-worker handshake that comes before any content (`workerReady` in code-server's
 * webview/browser/pre/index.html), so nothing of the extension's or VS Code's page had run in it. Seen from
 * code-server's handshake racing a worker replacement (its host kept waiting for a controller change that had
 * already happened); not from anything the extension does.
 */
class StalledWebviewHost extends Error {}

/**
 * Runs the scenario in a fresh VS Code, and once more in another one if it failed while a webview host had
 * no content (StalledWebviewHost): stdout says so, the first attempt's logs stay beside the second's
 * (`<name>.browser-console.log`, then `<name>.retry.*`). Any other failure, or a second failure, fails.
 */
export async function withVsCode(options: SessionOptions, scenario: (session: Session) => Promise<void>): Promise<void> {
  try {
    await oneSession(options, options.name, scenario);
  } catch (err) {
    if (!(err instanceof StalledWebviewHost)) throw err;
    console.log(`[e2e] ${options.name}: ${err.message}; running the scenario again in a fresh VS Code`);
    await oneSession(options, `${options.name}.retry`, scenario);
  }
}

async function oneSession(options: SessionOptions, outputName: string, scenario: (session: Session) => Promise<void>): Promise<void> {
  const env = e2eEnv();
  mkdirSync(env.outputDir, { recursive: true });
  const output = (suffix: string): string => join(env.outputDir, `${outputName}${suffix}`);
  const sandbox = createSandbox(options.name, { ...options.settings, 'workbench.colorTheme': THEME_LABELS[options.theme] });
  const consoleLog = output('.browser-console.log');
  writeFileSync(consoleLog, '');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let failed = true;
  let failure: unknown;
  let stalledHosts: WebviewHostState[] = [];
  try {
    await timed(`${options.name}: install .vsix`, () => installExtension(env.codeServer, env.vsix, sandbox));
    options.alterInstalled?.(sandbox.extensionsDir);
    server = await timed(`${options.name}: start code-server`, () => startCodeServer(env.codeServer, sandbox, output('.code-server.log')));
    const tests = options.extensionTests;
    const url = tests
      ? extensionTestsUrl(server.url, installedExtensionPath(sandbox.extensionsDir, tests.extensionId), tests.testsPath)
      : server.url;
    let testsExit: Promise<number> | undefined;
    browser = await timed(`${options.name}: open workbench`, async () => {
      const b = await openBrowser(sandbox.browserProfile, url, async (page) => {
        await traceServiceWorkers(page, (line) => appendFileSync(consoleLog, `[${new Date().toISOString().slice(11, 23)}] ${line}\n`));
        if (tests) testsExit = (await exposeAutomationExit(page)).exit;
      });
      // Warnings and errors from every frame, webviews included: the first place to look when a panel is blank.
      b.page.on('console', (m) => {
        // The webview host pages' own log lines trace their service-worker handshake: kept to explain a blank panel.
        const fromWebviewHost = m.location().url.includes('/webview/browser/pre/');
        if (m.type() === 'error' || m.type() === 'warning' || fromWebviewHost) {
          appendFileSync(consoleLog, `[${new Date().toISOString().slice(11, 23)}] [${m.type()}] ${m.text()} (${m.location().url})\n`);
        }
      });
      b.page.on('pageerror', (e) => appendFileSync(consoleLog, `[pageerror] ${e.message}\n`));
      await waitForWorkbench(b.page, options.theme);
      return b;
    });
    const page = browser.page;
    await scenario({
      page,
      workspace: sandbox.workspace,
      screenshot: async (file, target) => {
        const path = join(env.outputDir, file);
        mkdirSync(dirname(path), { recursive: true });
        await (target ?? page).screenshot({ path });
        return path;
      },
      userSettings: () => JSON.parse(readFileSync(join(sandbox.userDataDir, 'User', 'settings.json'), 'utf8')) as Settings,
      logText: (fragment) => {
        const logs = join(sandbox.userDataDir, 'logs');
        return readdirSync(logs, { recursive: true, encoding: 'utf8' })
          .filter((file) => file.includes(fragment) && file.endsWith('.log'))
          .map((file) => readFileSync(join(logs, file), 'utf8'))
          .join('\n');
      },
      extensionTestsExit: () => testsExit ?? Promise.reject(new Error(`${options.name} was not started with extensionTests`)),
    });
    failed = false;
  } catch (err) {
    failure = err;
  } finally {
    // Kept for green scenarios too: one that recovered from a stalled panel (harness/stalledPanel.ts) passes.
    const swTrace = await browser?.stopServiceWorkerTrace();
    if (swTrace) {
      writeFileSync(output('.sw-trace.json'), swTrace);
      try {
        appendFileSync(consoleLog, summariseServiceWorkerTrace(swTrace).join('\n') + '\n');
      } catch (err) {
        appendFileSync(consoleLog, `[sw-trace] unreadable: ${String(err)}\n`);
      }
    }
    if (failed) {
      if (browser) stalledHosts = (await webviewHostStates(browser.page).catch(() => [])).filter((h) => 'contentFrame' in h && h.contentFrame === 'none');
      await browser?.page.screenshot({ path: output('-failure.png') }).catch(() => undefined);
      try {
        cpSync(join(sandbox.userDataDir, 'logs'), output('-logs'), { recursive: true, force: true });
      } catch {
        // It failed before VS Code wrote any log.
      }
    }
    await timed(`${options.name}: shut down`, async () => {
      await browser?.close().catch(() => undefined);
      await server?.stop();
      sandbox.remove();
    });
  }
  if (!failed) return;
  if (stalledHosts.length === 0) throw failure;
  const reason = failure instanceof Error ? failure.message.split('\n')[0] : String(failure);
  throw new StalledWebviewHost(`it failed ("${reason}") while code-server had left ${stalledHosts.length} webview host(s) without content: ${JSON.stringify(stalledHosts)}`, { cause: failure });
}
