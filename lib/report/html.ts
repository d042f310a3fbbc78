// The HTML page of a report: sections of text, tables, Plotly figures and
// images, in ONE self-contained file that a browser shows offline —
// plotly.js (plotly.js-dist-min) is inlined once, each figure travels as JSON
// beside the element it is drawn in, images are data URIs, and TeX in the
// text ($…$, $$…$$) is typeset by KaTeX inlined the same way (page-math.ts).
// No network, no files beside the page.
import * as fs from 'fs';
import type { ReportBlock, ReportSection } from './section';
import { plainFigure } from '../notebook/display';
import { toHtmlTable } from '../notebook/dataframe-html';
import { escapeHtml } from '../util/html';
import { hasMath, mathAssets } from '../notebook/page-math';


/** Escapes, then **bold** → <strong>, `code` → <code>, blank lines → paragraphs. */
export function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
}

/** JSON inside a <script> element: only "<" can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1040px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
nav a { margin-right: 1em; }
table.smile-lens-table { margin: 1em 0; font-size: .9em; }
table.smile-lens-table th, table.smile-lens-table td { border: 1px solid #ddd; padding: .25em .6em; }
table.smile-lens-table caption { font-weight: 600; text-align: left; padding: .3em 0; }
.report-figure { margin: 1em 0; }
.report-images { display: flex; flex-wrap: wrap; gap: .8em; }
.report-images figure { margin: 0; text-align: center; font-size: .85em; }
.report-images img { width: 160px; height: 160px; image-rendering: pixelated; border: 1px solid #ccc; }
.note { color: #666; font-size: .9em; }
`;

/** Draws every figure from its JSON once plotly.js is there; a failure is logged, the page goes on. */
const DRAW_SCRIPT = `
(function () {
  document.querySelectorAll('.report-figure').forEach(function (node) {
    var source = node.querySelector('script.report-figure-json');
    var target = node.querySelector('.report-figure-plot');
    var fig = JSON.parse(source.textContent);
    Plotly.newPlot(target, fig.data, fig.layout, { displaylogo: false, responsive: true }).catch(function (e) {
      target.textContent = 'figure could not be drawn: ' + e;
    });
  });
})();
`;

export function renderReportHtml(title: string, sections: readonly ReportSection[], subtitle = ''): { html: string; figures: number } {
  let figures = 0;
  const block = (b: ReportBlock): string => {
    switch (b.kind) {
      case 'figure': {
        figures++;
        const fig = plainFigure(b.figure);
        const height = fig.layout?.height ?? 450;
        return `<div class="report-figure" id="figure-${figures}"><div class="report-figure-plot" style="min-height:${height}px"></div><script type="application/json" class="report-figure-json">${scriptJson(fig)}</script></div>`;
      }
      case 'table':
        return toHtmlTable(b.rows, { caption: b.caption, maxRows: 200 });
      case 'text':
        return `<div class="math-prose">${textToHtml(b.text)}</div>`;
      case 'images':
        return `<div class="report-images">${b.images.map((im) => `<figure><img src="${im.src}" alt="${escapeHtml(im.caption)}"><figcaption>${escapeHtml(im.caption)}</figcaption></figure>`).join('')}</div>`;
      case 'html':
        return b.html;
    }
  };
  const body = sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map(block).join('\n')}</section>`).join('\n');
  const nav = `<nav>${sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')}</nav>`;
  // Spliced in as text: plotly.js contains "$&"-like sequences a replacement string would expand.
  const plotly = fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  const math = sections.some((s) => s.blocks.some((b) => b.kind === 'text' && hasMath(b.text))) ? mathAssets() : { head: '', body: '' };
  const html =
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style>${math.head}</head>\n<body>\n` +
    `<h1>${escapeHtml(title)}</h1>${subtitle ? `<p class="note">${escapeHtml(subtitle)}</p>` : ''}\n${nav}\n${body}\n` +
    `${math.body}<script>${plotly}</script>\n<script>${DRAW_SCRIPT}</script>\n</body></html>\n`;
  return { html, figures };
}
