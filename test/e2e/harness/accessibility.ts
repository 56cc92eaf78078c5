/// <reference lib="dom" />
// The evaluate callbacks below run in the webview, with the browser's DOM types.
/**
 * Accessibility checks on a webview's content, as a keyboard or screen-reader user meets it: which controls
 * Tab reaches, which controls have no accessible name (from Playwright's ARIA snapshot), and where each
 * text's colour comes from and how it contrasts with what is behind it.
 */
import type { FrameLocator, Page } from 'playwright-core';

/** What a control is called in the reports: its id, or its tag and text. */
export type ControlName = string;

/** Controls a keyboard user should reach: visible, enabled, and focusable by Tab (one radio per group). */
export async function tabbableControls(webview: FrameLocator): Promise<ControlName[]> {
  return webview.locator('body').evaluate((body) => {
    const selector = 'button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const names = new Set<string>();
    for (const el of Array.from(body.querySelectorAll<HTMLElement>(selector))) {
      if ((el as HTMLButtonElement).disabled || !el.checkVisibility()) continue;
      names.add(el instanceof HTMLInputElement && el.type === 'radio' ? `radio group ${el.name}` : el.id || `${el.tagName.toLowerCase()} "${el.textContent?.trim()}"`);
    }
    return [...names];
  });
}

/**
 * Presses Tab from the webview's first focusable control onwards and records each control that takes the
 * focus, until the focus leaves the webview or comes back round. `start` must be focusable.
 */
export async function tabThrough(page: Page, webview: FrameLocator, limit: number): Promise<ControlName[]> {
  const focused = (): Promise<ControlName | null> =>
    webview.locator('body').evaluate((body) => {
      const el = body.ownerDocument.activeElement as HTMLElement | null;
      if (!body.ownerDocument.hasFocus() || !el || el === body) return null;
      return el instanceof HTMLInputElement && el.type === 'radio' ? `radio group ${el.name}` : el.id || `${el.tagName.toLowerCase()} "${el.textContent?.trim()}"`;
    });
  const seen: ControlName[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = await focused();
    if (now === null || now === seen[0]) break;
    seen.push(now);
  }
  return seen;
}

/** From a click on `start` (not a control), presses Tab until the control with this id has the focus. */
export async function tabTo(page: Page, webview: FrameLocator, start: string, id: string, limit = 30): Promise<void> {
  await webview.locator(start).click();
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if (await webview.locator('body').evaluate((body, target) => body.ownerDocument.activeElement?.id === target, id)) return;
  }
  throw new Error(`${limit} presses of Tab did not reach #${id}`);
}

/** Lines of the ARIA snapshot for interactive roles (what a keyboard user operates) without an accessible name. */
export async function namelessControls(webview: FrameLocator): Promise<string[]> {
  const snapshot = await webview.locator('body').ariaSnapshot();
  const control = /^\s*- (button|link|radio|checkbox|textbox|combobox|listbox|slider|spinbutton|switch|tab|menuitem|progressbar)\b(?!\s+")/;
  return snapshot.split('\n').filter((line) => control.test(line)).map((line) => line.trim());
}

/**
 * Charts (`selector`, e.g. the panel's chart containers) whose container has no aria-label once drawn: the
 * chart's SVG itself has no text alternative, so the container's label is all a screen reader gets.
 */
export async function unlabelledCharts(webview: FrameLocator, selector: string): Promise<string[]> {
  return webview.locator(selector).evaluateAll((charts) =>
    charts.filter((c) => !(c.getAttribute('aria-label') ?? '').trim()).map((c) => c.closest('figure')?.id || c.id || c.className),
  );
}

export interface TextColour {
  element: string;
  text: string;
  /** The computed colour, and the `--vscode-*` variable with that value, if any. */
  colour: string;
  variable: string | null;
  /** The colour behind the text, alpha layers composited up to the page's background. */
  background: string;
  contrast: number;
}

/**
 * Every visible element with its own text (charts excepted: their text is SVG, drawn with the theme's
 * colours by the chart code): its colour, the theme variable it matches, and its contrast ratio.
 */
export async function textColours(webview: FrameLocator): Promise<TextColour[]> {
  // No named inner functions here: the test's TypeScript loader would wrap them in a helper the page lacks.
  const raw = await webview.locator('body').evaluate((body) => {
    const doc = body.ownerDocument;
    const probe = doc.createElement('span');
    body.appendChild(probe);
    // VS Code puts the theme's colours on the html element as custom properties.
    const palette = new Map<string, string>();
    const rootStyle = doc.documentElement.style;
    for (let i = 0; i < rootStyle.length; i++) {
      const name = rootStyle[i]!;
      if (!name.startsWith('--vscode-') || !/colou?r|foreground|background|border/i.test(name)) continue;
      probe.style.color = `var(${name})`;
      const colour = getComputedStyle(probe).color;
      if (!palette.has(colour)) palette.set(colour, name);
    }
    probe.style.color = 'var(--vscode-editor-background)';
    const editorBackground = getComputedStyle(probe).color;
    probe.remove();
    const rows: { element: string; text: string; colour: string; variable: string | null; layers: string[] }[] = [];
    for (const el of Array.from(body.querySelectorAll<HTMLElement>('*'))) {
      if (el.closest('svg, script, style') || !el.checkVisibility()) continue;
      const ownText = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if (!ownText || (el as HTMLButtonElement).disabled) continue;
      const layers: string[] = [];
      for (let node: Element | null = el; node; node = node.parentElement) layers.push(getComputedStyle(node).backgroundColor);
      layers.push(editorBackground);
      const colour = getComputedStyle(el).color;
      rows.push({
        element: el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`,
        text: ownText.slice(0, 60),
        colour,
        variable: palette.get(colour) ?? null,
        layers,
      });
    }
    return rows;
  });
  return raw.map((r) => {
    const background = composite(r.layers.map(parseColour).reverse());
    const colour = over(parseColour(r.colour), background);
    return { element: r.element, text: r.text, colour: r.colour, variable: r.variable, background: css(background), contrast: contrastRatio(colour, background) };
  });
}

type Rgba = [number, number, number, number];

export function parseColour(text: string): Rgba {
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(text);
  if (!m) throw new Error(`not a computed colour: ${text}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

/** `top` drawn over an opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
}

/** Layers from the bottom (opaque) up. */
function composite(layers: Rgba[]): Rgba {
  return layers.reduce((below, layer) => over(layer, below));
}

const css = (c: Rgba): string => `rgb(${c.slice(0, 3).map((v) => Math.round(v)).join(', ')})`;

/** WCAG 2 contrast ratio of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const luminance = ([r, g, bl]: Rgba): number => {
    const lin = (v: number): number => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
