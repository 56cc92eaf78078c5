/**
 * VS Code's own file dialog, which code-server shows for open and save dialogs (there is no native one in a
 * browser): a quick input holding a path. Typing a folder's path and pressing Enter may first complete it
 * to `folder/` (entering the folder); Enter on that accepts it. So Enter is pressed until the dialog with
 * this title is gone, a bounded number of times. The dialog fills in its default path once it has listed
 * the folder, which would overwrite a path typed earlier: the path is typed after the listing shows, and
 * again if the dialog replaced it.
 */
import type { Page } from 'playwright-core';

export async function answerFileDialog(page: Page, title: string, path: string): Promise<void> {
  const widget = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: title }) });
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ timeout: 30_000 });
  await widget.locator('.monaco-list-row').first().waitFor({ timeout: 30_000 });
  for (let typed = 1; ; typed++) {
    await input.fill(path);
    if ((await input.inputValue()) === path) break;
    if (typed === 5) throw new Error(`the file dialog "${title}" keeps replacing ${path} with ${await input.inputValue()}`);
  }
  for (let presses = 1; ; presses++) {
    await page.keyboard.press('Enter');
    try {
      await widget.waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch (err) {
      if (presses === 4) throw new Error(`the file dialog "${title}" did not take ${path} (it shows ${await input.inputValue()})`, { cause: err });
    }
  }
}
