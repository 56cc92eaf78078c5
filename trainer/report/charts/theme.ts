/**
 * Chart colours and fonts. The Node report passes LIGHT_THEME; the webview passes colours read from
 * VS Code's theme variables, so every chart must take its colours from here and nowhere else.
 */
import type { Config } from 'vega-lite';

export interface ChartTheme {
  foreground: string;
  background: string;
  /** Grid lines, axis domains and de-emphasised marks. */
  grid: string;
  /** Categorical colours, used in order (feature sets, models). At least one is required. */
  accent: string[];
  fontFamily: string;
}

// Vega's "tableau10" hues: distinct for the common colour-vision deficiencies in the first four.
export const LIGHT_THEME: ChartTheme = {
  foreground: '#1f2328',
  background: '#ffffff',
  grid: '#d0d7de',
  accent: ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2'],
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
};

/** The first accent colour; a theme without accents falls back to the foreground so marks stay visible. */
export function primary(theme: ChartTheme): string {
  return theme.accent[0] ?? theme.foreground;
}

/** `count` accent colours, cycling when the theme has fewer, so a scale never runs out of range. */
export function accents(theme: ChartTheme, count: number): string[] {
  const palette = theme.accent.length > 0 ? theme.accent : [theme.foreground];
  return Array.from({ length: count }, (_, i) => palette[i % palette.length]!);
}

export function themeConfig(theme: ChartTheme): Config {
  const fg = theme.foreground;
  const text = { font: theme.fontFamily, color: fg };
  return {
    background: theme.background,
    font: theme.fontFamily,
    padding: 8,
    view: { stroke: null },
    axis: {
      // No truncation: without a canvas, Node estimates text widths generously and would cut labels short.
      labelLimit: 0,
      labelColor: fg,
      titleColor: fg,
      gridColor: theme.grid,
      domainColor: theme.grid,
      tickColor: theme.grid,
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 'normal',
    },
    legend: {
      labelLimit: 0,
      labelColor: fg,
      titleColor: fg,
      gradientStrokeColor: theme.grid,
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 'normal',
    },
    header: { labelColor: fg, titleColor: fg, labelFontSize: 12 },
    title: { color: fg, subtitleColor: fg, fontSize: 14, anchor: 'start', fontWeight: 'normal' },
    range: { category: accents(theme, Math.max(theme.accent.length, 1)) },
    mark: { color: primary(theme) },
    text,
    rule: { color: fg },
    // Vega-lite draws whiskers and medians in black/white by default, which vanish on one theme or the other.
    boxplot: { rule: { color: fg }, median: { color: fg }, outliers: { size: 14 } },
  };
}
