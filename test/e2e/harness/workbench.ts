/**
 * Drives the VS Code workbench the way a learner does: the command palette, quick picks, notifications.
 * Every wait is on something visible in the UI; the bounded retries cover keys the workbench drops while busy.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';

export type ThemeKind = 'light' | 'dark' | 'high-contrast';

/** The class VS Code puts on the workbench for each kind of theme. */
const THEME_CLASS: Record<ThemeKind, string> = { light: 'vs', dark: 'vs-dark', 'high-contrast': 'hc-black' };

/**
 * The workbench is ready for keys once it has applied the user's theme (it first paints with a default) and
 * the status bar shows the connection to its extension host.
 */
export async function waitForWorkbench(page: Page, theme: ThemeKind): Promise<void> {
  await page.locator(`.monaco-workbench.${THEME_CLASS[theme]}`).waitFor({ timeout: 60_000 });
  await page.locator('.part.statusbar #status\\.host').or(page.locator('.part.statusbar .statusbar-item')).first().waitFor();
}

const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');
const quickInputBox = (page: Page): Locator => quickInput(page).locator('.quick-input-box input');

/** Opens the command palette. F1 is sometimes swallowed right after a notification, so it is pressed again. */
export async function openCommandPalette(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await quickInputBox(page).waitFor({ timeout: 3_000 });
      return;
    } catch (err) {
      if (attempt === 5) throw new Error(`the command palette did not open after ${attempt} presses of F1`, { cause: err });
    }
  }
}

/**
 * Types into the open quick pick and accepts the row whose label matches, with the keyboard as a learner
 * would. Waiting for the row before Enter matters: Enter on a list that has not filtered yet runs whatever
 * was first. The mouse is not used: a hover left over the list by an earlier pick can cover the row.
 */
export async function pickQuickItem(page: Page, filter: string, label: string | RegExp, description?: string | RegExp): Promise<void> {
  await quickInputBox(page).fill(filter);
  let row = quickInput(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) });
  if (description !== undefined) row = row.filter({ has: page.locator('.label-description', { hasText: description }) });
  row = row.first();
  await row.waitFor();
  const rows = await quickInput(page).locator('.monaco-list-row').count();
  for (let moves = 0; !/\bfocused\b/.test((await row.getAttribute('class')) ?? ''); moves++) {
    if (moves > rows) throw new Error(`could not move the quick pick's focus to ${String(label)}`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await pickAccepted(page, filter);
}

/**
 * The pick was accepted once the widget closes or shows another pick (a command that asks a question reuses
 * it), so the next keys go to what comes next rather than to this list.
 */
async function pickAccepted(page: Page, filter: string): Promise<void> {
  const box = quickInputBox(page);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await delay(50)) {
    if (!(await box.isVisible()) || (await box.inputValue()) !== filter) return;
  }
  throw new Error(`the quick pick still shows "${filter}" 10 s after Enter`);
}

/**
 * Runs a command by its palette title ("Category: Title"), as a learner would. The palette lists an
 * extension's commands only once its extension host has registered them (well after the workbench shows,
 * on a busy machine, and again after a reload), and an open palette does not refresh its list: until the
 * row shows up, the palette is closed and opened again, bounded by `timeoutMs`. Right after a notification
 * or a panel takes focus the palette can also close before it is typed into; that is retried the same way.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const filter = `>${title}`;
  const row = quickInput(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exactly(title) }) });
  for (const deadline = Date.now() + timeoutMs; ; ) {
    await openCommandPalette(page);
    try {
      await quickInputBox(page).fill(filter, { timeout: 5_000 });
      await row.first().waitFor({ timeout: 5_000 });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the palette did not offer "${title}" within ${timeoutMs / 1000} s`, { cause: err });
      await page.keyboard.press('Escape');
      await quickInputBox(page).waitFor({ state: 'hidden' });
    }
  }
  await pickQuickItem(page, filter, exactly(title));
}

/**
 * Runs a command that asks with a quick pick (e.g. which lab), and picks the row. Right after a window reload
 * the pick can close again as soon as it opens (focus moves to an editor that is still restoring; seen in CI),
 * which a learner would answer by running the command again: so does this, a bounded number of times.
 */
export async function runCommandAndPick(page: Page, title: string, placeholder: string, filter: string, label: string | RegExp): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, title);
    try {
      // The command's own pick, told apart by its placeholder: the palette can still be on screen a moment
      // after Enter, and typing the filter there would pick a file or a command instead. The first command
      // after a reload may activate the extension before it asks.
      await quickInputBox(page).and(page.getByPlaceholder(placeholder, { exact: true })).waitFor({ state: 'visible', timeout: 10_000 });
      await pickQuickItem(page, filter, label);
      return;
    } catch (err) {
      if (attempt === 3) throw new Error(`"${title}" did not keep its quick pick open, ${attempt} times`, { cause: err });
      await page.keyboard.press('Escape');
    }
  }
}

/** A visible notification toast whose text matches. */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

export function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Reloads the window, from the palette ("Developer: Reload Window") unless `trigger` does it another way (e.g. a
 * notification's button), and waits for the new workbench: the page's navigation first, so the old
 * workbench's DOM cannot satisfy the wait.
 */
export async function reloadWindow(page: Page, theme: ThemeKind, trigger = () => runCommand(page, 'Developer: Reload Window')): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 60_000 });
  await trigger();
  await navigated;
  await waitForWorkbench(page, theme);
}

/** The Problems view's rows whose text matches (message, source and "[Ln 3, Col 5]"); opens the view. */
export async function focusProblems(page: Page): Promise<Locator> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const view = page.locator('.markers-panel');
  await view.waitFor();
  return view;
}

/** The editor tab whose label matches, in any group. */
export function editorTab(page: Page, label: string | RegExp): Locator {
  return page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: label }) });
}

/**
 * Types a value into a user setting's box in the Settings editor, as a learner would: search for the key,
 * type into the row VS Code titles "Category: Label" (from the key's camelCase). VS Code writes
 * settings.json as the box changes; the caller waits for that (Session.userSettings). Number and text settings.
 */
export async function setSettingInUi(page: Page, key: string, value: string): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings');
  const editor = page.locator('.settings-editor');
  await editor.locator('.settings-header .suggest-input-container').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(key);
  const [category, name] = [key.slice(0, key.lastIndexOf('.')), key.slice(key.lastIndexOf('.') + 1)];
  const row = editor
    .locator('.setting-item-contents')
    .filter({ has: page.locator('.setting-item-label', { hasText: exactly(settingWords(name)) }) })
    .filter({ has: page.locator('.setting-item-category', { hasText: settingWords(category) }) });
  const input = row.locator('input').first();
  await input.waitFor();
  await input.fill(value);
  await input.press('Tab');
}

/** "dataDirectory" → "Data Directory", the way the Settings editor titles a key's parts. */
function settingWords(camel: string): string {
  const words = camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
