/**
 * The extension's Lab Results panel, checked on what it shows: rendered (not stuck on its loading text), no
 * error, and charts once a run ends. Selectors are the ids the panel's view gives its parts.
 */
import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { extensionId, settingKey, type Manifest } from './manifest';
import type { Session, SessionOptions } from './session';
import { webviewContent } from './webviews';
import { notification, runCommand } from './workbench';

const PANEL = {
  root: '#results-root',
  charts: '#charts svg, #charts canvas',
  chartFigures: '#charts figure',
  liveChart: '#live-chart svg, #live-chart canvas',
  /** Any alert that is showing: the run's error state, or a chart that could not be drawn. */
  error: '[role="alert"]:visible',
  bootText: '#boot-status',
  /** Hidden while the panel has no run to show. */
  progress: '#run-progress',
} as const;

const QUICK_SPLITS = 3;

export interface QuickRun {
  settings: NonNullable<SessionOptions['settings']>;
  /** How long the run may take: a few splits take about 20 s; the course's 100 take minutes. */
  budgetMs: number;
}

/** Settings for a short run, if the extension has a setting for the number of splits. */
export function quickRun(manifest: Manifest): QuickRun {
  const key = settingKey(manifest, /(^|\.)splits$/);
  if (!key) {
    console.log('[e2e] package.json contributes no splits setting: the run trains every split (slow)');
    return { settings: {}, budgetMs: 420_000 };
  }
  return { settings: { [key]: QUICK_SPLITS }, budgetMs: 120_000 };
}

export function resultsPanel(page: Page, manifest: Manifest): FrameLocator {
  return webviewContent(page, extensionId(manifest));
}

/** The run's progress notification from this extension, with its Cancel button. */
export async function waitForRunProgress(page: Page, manifest: Manifest): Promise<void> {
  await notification(page, manifest.displayName).filter({ has: page.getByRole('button', { name: 'Cancel' }) }).waitFor({ timeout: 30_000 });
}

/** The panel's script ran: its own page replaced the loading text, or it says why it could not. */
export async function waitForPanelRendered(panel: FrameLocator): Promise<void> {
  try {
    await panel.locator(PANEL.root).or(panel.locator(PANEL.error)).first().waitFor({ timeout: 30_000 });
  } catch (err) {
    const boot = await panel.locator(PANEL.bootText).textContent({ timeout: 1_000 }).catch(() => null);
    throw new Error(`the results panel stayed blank${boot ? `, still showing: "${boot.trim()}"` : ''}`, { cause: err });
  }
  await assertNoError(panel);
}

/**
 * The live chart is drawn while the run trains (it is hidden once the final charts are in, and a panel opened
 * after the run never draws it), so it is checked on a run long enough to look at.
 */
export async function waitForLiveChart(panel: FrameLocator): Promise<void> {
  await panel.locator(PANEL.liveChart).first().waitFor({ state: 'visible', timeout: 60_000 });
  await assertNoError(panel);
}

/** The panel shows this run (its progress bar), not its empty state. */
export async function waitForRunShown(panel: FrameLocator): Promise<void> {
  await panel.locator(PANEL.progress).waitFor({ timeout: 30_000 });
  await assertNoError(panel);
}

/** Waits for the final charts or an error, whichever comes first; only charts and no error pass. */
export async function waitForChartsOrError(page: Page, manifest: Manifest, panel: FrameLocator, budgetMs: number): Promise<void> {
  await panel.locator(PANEL.charts).or(panel.locator(PANEL.error)).first().waitFor({ timeout: budgetMs });
  await assertNoError(panel);
  assert.ok((await panel.locator(PANEL.charts).count()) > 0, 'the results panel shows no chart');
  // The run's end is announced in a notification too.
  await notification(page, manifest.displayName).filter({ hasText: /finished/i }).waitFor();
}

/**
 * The panel is taller than the window, and a screenshot cannot see past an iframe's edge: each chart is
 * scrolled into view and saved on its own, after the notifications that would cover it are cleared.
 */
export async function screenshotEachChart(page: Page, panel: FrameLocator, screenshot: Session['screenshot'], prefix: string): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  const figures = panel.locator(PANEL.chartFigures);
  for (let i = 0; i < (await figures.count()); i++) {
    const figure = figures.nth(i);
    const id = (await figure.getAttribute('id')) ?? `chart-${i + 1}`;
    await screenshot(`${prefix}-${id}.png`, figure);
  }
}

async function assertNoError(panel: FrameLocator): Promise<void> {
  const errors = panel.locator(PANEL.error);
  if ((await errors.count()) > 0) assert.fail(`the results panel shows an error: ${await errors.first().innerText()}`);
}
