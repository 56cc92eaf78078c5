/**
 * Renders a vega-lite spec to an SVG string in Node, without a browser or a canvas.
 *
 * vega is ESM-only and one of its dependencies (vega-canvas) uses top-level await, so it cannot be
 * `require`d: it is loaded with a dynamic import, which works under tsx and in esbuild's CommonJS bundle
 * as long as the bundle resolves vega-canvas to its browser build (the alias in scripts/build.mjs).
 */
import type { TopLevelSpec } from 'vega-lite';

type Libraries = [typeof import('vega'), typeof import('vega-lite'), typeof import('vega-interpreter')];

let libraries: Promise<Libraries> | undefined;

function load(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite'), import('vega-interpreter')]);
  return libraries;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite, { expressionInterpreter }] = await load();
  const compiled = vegaLite.compile(spec).spec;
  // The AST interpreter evaluates expressions without `new Function`, the same path the webview must take
  // under a Content-Security-Policy without 'unsafe-eval'.
  const runtime = vega.parse(compiled, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: 'none', expr: expressionInterpreter });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
