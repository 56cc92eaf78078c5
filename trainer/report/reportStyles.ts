/**
 * The report's only stylesheet, inlined so the file works offline and opens the same in a browser, an
 * e-mail attachment or a print preview.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0 auto; padding: 32px 24px 48px; max-width: 980px;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; background: #ffffff;
}
h1 { font-size: 1.7em; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 1.3em; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; font-weight: 600; }
h3 { font-size: 1.08em; margin: 24px 0 6px; font-weight: 600; }
.subtitle { margin: 0 0 20px; color: #57606a; }
code {
  font: 0.92em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: #f6f8fa; padding: 1px 4px; border-radius: 4px;
}
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px 16px; margin: 0; }
dl.facts div { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 10px; }
dl.facts dt { font-size: 0.8em; color: #57606a; text-transform: uppercase; letter-spacing: 0.04em; }
dl.facts dd { margin: 2px 0 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { caption-side: bottom; text-align: left; padding-top: 6px; font-size: 0.88em; color: #57606a; }
th, td { padding: 6px 10px; border-bottom: 1px solid #d0d7de; text-align: left; }
th { font-weight: 600; border-bottom: 2px solid #8c959f; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody.set th { background: #f6f8fa; font-weight: 600; border-bottom: 1px solid #d0d7de; }
figure { margin: 28px 0; break-inside: avoid; page-break-inside: avoid; }
figure h3 { margin-top: 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #57606a; max-width: 70ch; margin-top: 6px; }
.explain p, .explain li { max-width: 75ch; }
.mistake p { margin: 12px 0 4px; }
ul.thumbs { list-style: none; display: flex; flex-wrap: wrap; gap: 10px; padding: 0; margin: 0; }
ul.thumbs li { display: flex; flex-direction: column; font-size: 0.8em; color: #57606a; }
ul.thumbs img { image-rendering: pixelated; border: 1px solid #d0d7de; }
footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid #d0d7de; font-size: 0.85em; color: #57606a; }
@page { margin: 14mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
`;
