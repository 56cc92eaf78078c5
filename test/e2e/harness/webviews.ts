/**
 * Webviews are two iframes deep: the workbench's `iframe.webview` host page, then `#active-frame` with the
 * content. The host page's URL names the extension that owns it (empty for the workbench's own, such as a
 * walkthrough step's markdown), which is how a test tells them apart.
 */
import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';

const VISIBLE = 'iframe.webview.ready:visible';

/** The content of the visible webview owned by an extension ("publisher.name"), or by the workbench (""). */
export function webviewContent(page: Page, ownerExtensionId: string): FrameLocator {
  return page.frameLocator(`iframe.webview.ready[src*="extensionId=${ownerExtensionId}&"]:visible`).frameLocator('iframe#active-frame');
}

/** The content of every webview on screen, whoever owns it. */
export async function visibleWebviews(page: Page): Promise<FrameLocator[]> {
  const count = await page.locator(VISIBLE).count();
  return Array.from({ length: count }, (_, i) => page.frameLocator(`${VISIBLE} >> nth=${i}`).frameLocator('iframe#active-frame'));
}

/**
 * Every webview on screen shows its page: it has text, it is not still on the extension's loading text
 * (`#boot-status`, see extension/webview/html.ts), and it shows no alert unless the scenario expects one.
 */
export async function assertWebviewsRendered(page: Page, options: { allowAlerts: boolean }): Promise<void> {
  const webviews = await visibleWebviews(page);
  assert.ok(webviews.length > 0, 'no webview is on screen');
  for (const [i, webview] of webviews.entries()) {
    const body = webview.locator('body');
    await body.waitFor({ timeout: 15_000 });
    const text = (await body.innerText()).trim();
    assert.notEqual(text, '', `webview ${i + 1} of ${webviews.length} is blank`);
    assert.equal(await webview.locator('#boot-status:visible').count(), 0, `webview ${i + 1} is still loading: "${text.slice(0, 120)}"`);
    if (!options.allowAlerts) {
      const alerts = webview.locator('[role="alert"]:visible');
      if ((await alerts.count()) > 0) assert.fail(`webview ${i + 1} shows an error: ${await alerts.first().innerText()}`);
    }
  }
}

/**
 * The visible webview of an extension whose content has `selector`: tells apart two panels of one extension
 * on screen at once (results and quiz), which `webviewContent` cannot.
 *
 * Each round waits inside the browser (Playwright's own waiting) on every host on screen at once, for at most
 * two seconds, then looks again for hosts that came meanwhile. It used to ask "is it there yet?" in a loop
 * without a pause: so many DevTools calls that Chromium's browser thread never got to its low-priority
 * tasks, among them the start of a service-worker registration, for as long as the loop ran; the quiz's new
 * host then stayed blank for exactly the loop's 30 s (browser trace, 2026-11-27), which a learner's browser,
 * with no automation attached, would never do.
 */
export async function webviewShowing(page: Page, ownerExtensionId: string, selector: string, timeoutMs = 30_000): Promise<FrameLocator> {
  const hosts = `iframe.webview.ready[src*="extensionId=${ownerExtensionId}&"]:visible`;
  const deadline = Date.now() + timeoutMs;
  for (let left = timeoutMs; left > 0; left = deadline - Date.now()) {
    const round = Math.min(left, 2_000);
    const count = await page.locator(hosts).count();
    if (count === 0) {
      await page.locator(hosts).first().waitFor({ timeout: round }).catch(() => undefined);
      continue;
    }
    const contents = Array.from({ length: count }, (_, i) => page.frameLocator(`${hosts} >> nth=${i}`).frameLocator('iframe#active-frame'));
    const found = await Promise.any(
      contents.map(async (content) => {
        await content.locator(selector).first().waitFor({ timeout: round });
        return content;
      }),
    ).catch(() => undefined);
    if (found) return found;
  }
  throw new Error(`no webview of ${ownerExtensionId || 'the workbench'} shows ${selector} within ${timeoutMs / 1000} s; webview hosts: ${JSON.stringify(await webviewHostStates(page))}`);
}

/**
 * What each webview host page got to: whether it wrote its content frame, and which service worker controls
 * it. A host that never wrote one is stuck in its service-worker handshake, not in the extension's page.
 */
export type WebviewHostState =
  | { extension: string | null; id: string | null; contentFrame: 'active' | 'pending' | 'none'; controller: string | null; contentBodyClass: string | null }
  | { error: string };

export async function webviewHostStates(page: Page): Promise<WebviewHostState[]> {
  const hosts = page.frames().filter((f) => f.url().includes('/webview/browser/pre/index.html'));
  return Promise.all(
    hosts.map((frame) =>
      frame
        .evaluate((): WebviewHostState => ({
          extension: new URL(location.href).searchParams.get('extensionId'),
          id: new URL(location.href).searchParams.get('id'),
          contentFrame: document.querySelector('#active-frame') ? 'active' : document.querySelector('#pending-frame') ? 'pending' : 'none',
          controller: navigator.serviceWorker.controller?.scriptURL.replace(/^.*[?&]id=/, 'id=') ?? null,
          contentBodyClass: document.querySelector<HTMLIFrameElement>('#active-frame')?.contentDocument?.body?.className ?? null,
        }))
        .catch((err: unknown): WebviewHostState => ({ error: String(err) })),
    ),
  );
}
