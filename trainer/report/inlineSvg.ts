/** Prepares a standalone SVG document from vega for embedding in an HTML page beside other SVGs. */

/**
 * HTML places an inline <svg> in the SVG namespace by itself, so the xmlns declarations are dropped: they
 * are the only URLs vega writes, and the report promises to contain none.
 */
const NAMESPACE_ATTRIBUTES = / xmlns(?::xlink)?="[^"]*"/g;

/**
 * Every vega SVG numbers its clip paths and gradients from scratch; within one page the second chart's
 * `url(#clip1)` would then point at the first chart's clip. Prefixing each id with the chart's id keeps the
 * references inside their own chart.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
  let out = svg.replace(NAMESPACE_ATTRIBUTES, '');
  for (const id of ids) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`(\\sid=")${escaped}"`, 'g'), `$1${prefix}-${id}"`)
      .replace(new RegExp(`url\\(#${escaped}\\)`, 'g'), `url(#${prefix}-${id})`)
      .replace(new RegExp(`href="#${escaped}"`, 'g'), `href="#${prefix}-${id}"`);
  }
  return out;
}
