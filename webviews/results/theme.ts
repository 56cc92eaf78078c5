/**
 * Chart colours from VS Code's theme variables, so charts follow light, dark and high-contrast themes.
 * Read at render time and again when the theme changes (VS Code swaps the body's class).
 */
import type { ChartTheme } from '../../trainer/report/charts/regressionCharts';

const ACCENT_VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-red',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
];

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: read('--vscode-editor-foreground', '#1f2328'),
    background: read('--vscode-editor-background', '#ffffff'),
    grid: read('--vscode-editorWidget-border', read('--vscode-panel-border', '#80808059')),
    accent: ACCENT_VARIABLES.map((name) => style.getPropertyValue(name).trim()).filter((c) => c !== ''),
    fontFamily: read('--vscode-font-family', 'system-ui, sans-serif'),
  };
}

/** Calls back when VS Code switches the colour theme. */
export function onThemeChange(callback: () => void): void {
  new MutationObserver(callback).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
