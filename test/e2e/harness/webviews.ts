/**
 * Webviews are two iframes deep: the workbench's `iframe.webview` host page, then `#active-frame` with the
 * content. The host page's URL names the extension that owns it (empty for the workbench's own, such as a
 * walkthrough step's markdown), which is how a test tells them apart.
 */
import type { FrameLocator, Page } from 'playwright-core';

/** The content of the visible webview owned by an extension ("publisher.name"), or by the workbench (""). */
export function webviewContent(page: Page, ownerExtensionId: string): FrameLocator {
  return page
    .frameLocator(`iframe.webview.ready[src*="extensionId=${ownerExtensionId}&"]:visible`)
    .frameLocator('iframe#active-frame');
}
