/**
 * The three kinds of colour theme a learner may use, switched in the running window the way a learner does
 * (Preferences: Color Theme), so one scenario can be looked at in all three without three VS Code starts.
 */
import type { Page } from 'playwright-core';
import type { Session } from './session';
import { THEME_LABELS } from './session';
import { assertWebviewsRendered, visibleWebviews, webviewHostStates } from './webviews';
import { exactly, pickQuickItem, runCommand, waitForWorkbench, type ThemeKind } from './workbench';

export const THEMES: readonly ThemeKind[] = ['light', 'dark', 'high-contrast'];

/** The class VS Code gives a webview's body for each kind of theme. */
const WEBVIEW_THEME_CLASS: Record<ThemeKind, string> = { light: 'vscode-light', dark: 'vscode-dark', 'high-contrast': 'vscode-high-contrast' };

/** Switches the colour theme; done once the workbench and every visible webview wear it. */
export async function switchTheme(page: Page, theme: ThemeKind): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  // The picker titles a theme by its short label ("Light Modern") and names the setting's value beside it.
  await pickQuickItem(page, THEME_LABELS[theme], /./, exactly(THEME_LABELS[theme]));
  await waitForWorkbench(page, theme);
  const webviews = await visibleWebviews(page);
  for (const [i, webview] of webviews.entries()) {
    await webview
      .locator(`body.${WEBVIEW_THEME_CLASS[theme]}`)
      .waitFor({ timeout: 15_000 })
      .catch(async (err: unknown) => {
        const bodyClass = await webview.locator('body').getAttribute('class', { timeout: 1_000 }).catch(() => '(no body)');
        throw new Error(
          `webview ${i + 1} of ${webviews.length} did not take the ${theme} theme in 15 s (body class "${bodyClass}"); webview hosts: ${JSON.stringify(await webviewHostStates(page))}`,
          { cause: err },
        );
      });
  }
}

export interface EachThemeOptions {
  /** The scenario's expected state shows an alert (a failed or cancelled run). */
  allowAlerts?: boolean;
  /** More checks in each theme, after the webviews were found rendered and before the screenshot. */
  check?: (theme: ThemeKind) => Promise<void>;
}

/**
 * The scenario's screen in every theme, as `<scenario>/<theme>.png`; in each, every visible webview must be
 * rendered (not blank, not on its loading text, no error unless expected). Ends in `finalTheme`.
 */
export async function screenshotEachTheme(page: Page, screenshot: Session['screenshot'], scenario: string, finalTheme: ThemeKind, options: EachThemeOptions = {}): Promise<void> {
  for (const theme of THEMES) {
    await switchTheme(page, theme);
    await assertWebviewsRendered(page, { allowAlerts: options.allowAlerts ?? false });
    await options.check?.(theme);
    await screenshot(`${scenario}/${theme}.png`);
  }
  if (finalTheme !== THEMES[THEMES.length - 1]) await switchTheme(page, finalTheme);
}
