/** The walkthrough editor, as a learner uses it: opened from the palette, one step at a time. */
import type { Locator, Page } from 'playwright-core';
import { mediaHeading, type Manifest, type Walkthrough } from './manifest';
import { webviewContent } from './webviews';
import { exactly, pickQuickItem, runCommand } from './workbench';

type Step = Walkthrough['steps'][number];

export async function openWalkthrough(page: Page, manifest: Manifest, w: Walkthrough): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  // The picker lists every extension's walkthroughs: the row must be ours, named by our display name.
  await pickQuickItem(page, w.title, exactly(w.title), manifest.displayName);
  await page.locator('.gettingStartedSlideDetails').getByRole('heading', { name: w.title }).waitFor();
}

/** A step's entry in the list on the left (its title, and when selected its description and buttons). */
export function stepEntry(page: Page, step: Step): Locator {
  return page.locator('.gettingStartedSlideDetails .getting-started-step', {
    has: page.locator('.step-title', { hasText: exactly(step.title) }),
  });
}

/** The tick VS Code draws on a step that is done (its checkbox, aria-checked): present only then. */
export function stepDone(page: Page, step: Step): Locator {
  // VS Code prefixes a contributed step's id with the extension and walkthrough ids.
  return page.locator(`.gettingStartedSlideDetails [data-done-step-id$="#${step.id}"][aria-checked="true"]`);
}

/** Selects a step and waits for its markdown page to render on the right. */
export async function showStep(page: Page, step: Step, timeoutMs = 30_000): Promise<void> {
  await stepEntry(page, step).locator('.step-title').click();
  const markdown = step.media?.markdown;
  if (markdown) await webviewContent(page, '').getByRole('heading', { name: mediaHeading(markdown) }).waitFor({ timeout: timeoutMs });
}

/**
 * Closes the walkthrough editor and nothing else, the way a learner does: its tab selected, then View: Close
 * Editor. Done once no walkthrough is on screen.
 */
export async function closeWalkthrough(page: Page): Promise<void> {
  const group = page.locator('.editor-group-container', { has: page.locator('.gettingStartedContainer') });
  await group.locator('.tab.active').click();
  await runCommand(page, 'View: Close Editor');
  await page.locator('.gettingStartedContainer').waitFor({ state: 'detached' });
}
