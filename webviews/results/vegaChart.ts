/**
 * Renders a vega-lite spec without `unsafe-eval`: the spec is compiled to vega, parsed with `ast: true`,
 * and evaluated by vega-interpreter instead of vega's code generator, which the CSP would block.
 */
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderVegaLite(container: HTMLElement, spec: TopLevelSpec): Promise<View> {
  const runtime = parse(compile(spec).spec, undefined, { ast: true });
  // vega makes its container a `graphics-document` and replaces the container's aria-label with the spec's
  // description (none here), which left every chart without an accessible name: the caller's label is kept.
  const label = container.getAttribute('aria-label');
  const view = new View(runtime, { expr: expressionInterpreter, renderer: 'svg', container, hover: true });
  if (label) view.description(label);
  await view.runAsync();
  return view;
}
