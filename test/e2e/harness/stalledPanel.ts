/**
 * What a learner does when one of the lab's panels stays blank for good. The extension replaces such a panel
 * twice (extension/webview/guardPanelLoad.ts), then says it did not load and offers Reload Window; the
 * scenario presses the notification's button as the message tells the learner to, and opens the panel again;
 * stdout says so, so a run shows how often it happened. Only that notification leads here: any other failure,
 * or a panel that fails again, fails the test. (The stall this was written for, about one run in two, turned
 * out to be the harness's own busy polling starving the browser; see webviewShowing in harness/webviews.ts.)
 */
import type { Page } from 'playwright-core';
import { notification, reloadWindow, type ThemeKind } from './workbench';

const DID_NOT_LOAD = /panel did not load\. Reloading the window usually fixes this/;

export async function reopenAfterStall<T>(page: Page, theme: ThemeKind, failure: unknown, reopen: () => Promise<T>): Promise<T> {
  const offer = notification(page, DID_NOT_LOAD).first();
  if ((await offer.count()) === 0) throw failure;
  const message = await offer.locator('.notification-list-item-message').innerText();
  console.log(`[e2e] "${message}": pressing its Reload Window, as a learner would, then opening the panel again`);
  await reloadWindow(page, theme, () => offer.locator('.monaco-button', { hasText: 'Reload Window' }).click());
  return reopen();
}
