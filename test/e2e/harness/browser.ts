/**
 * Debian's chromium driven by playwright-core: nothing is downloaded, the browser is the one apt installed.
 * The profile lives in the sandbox, so every launch starts with a fresh browser too.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export interface Browser {
  page: Page;
  /** Ends the service-worker trace (see openBrowser) and hands back its JSON, or null if it never started. */
  stopServiceWorkerTrace(): Promise<Buffer | null>;
  close(): Promise<void>;
}

const CHROMIUM = '/usr/bin/chromium';

/** Flags measured to keep headless chromium quiet and offline on these machines (see PLATFORM.md). */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `beforeNavigate` runs on the page before the workbench loads, e.g. to expose a function to it. */
export async function openBrowser(profileDir: string, url: string, beforeNavigate?: (page: Page) => Promise<void>): Promise<Browser> {
  const context: BrowserContext = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // The browser's own trace of every service-worker register call (page side and browser side), script
    // fetch and version change: where a webview host's registration stalls, which the DevTools events alone
    // do not show (a register() that never settles leaves no version to report).
    const browser = context.browser();
    const tracing = browser ? await browser.startTracing(undefined, { categories: ['ServiceWorker'] }).then(() => true, () => false) : false;
    await beforeNavigate?.(page);
    // The workbench page is large: on a busy 2-core machine its load event can take most of a minute.
    await page.goto(url, { timeout: 120_000 });
    return {
      page,
      stopServiceWorkerTrace: async () => (tracing && browser ? browser.stopTracing().catch(() => null) : null),
      close: () => context.close(),
    };
  } catch (err) {
    await context.close();
    throw err;
  }
}
