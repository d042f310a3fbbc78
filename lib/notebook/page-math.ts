// Formulas in the HTML pages smile-lens writes (exported notebooks, the run
// report), typeset offline: KaTeX (the katex npm package) is inlined into the
// page — its script, the auto-render extension and its stylesheet with the
// fonts as data URIs — and renders every $…$, $$…$$, \(…\) and \[…\] in the
// page's prose once it has loaded. Nothing is fetched, so the page works from
// a file:// URL on a machine without network. Only the woff2 fonts are
// embedded (every browser in use reads them): ~300 kB, with ~280 kB of script.
import * as fs from 'fs';
import * as path from 'path';

const KATEX_DIST = path.join(path.dirname(require.resolve('katex/package.json')), 'dist');

/** Where math may be: markdown cells and outputs (nbconvert's lab and classic templates) and marked report prose. */
export const MATH_SCOPES = ['.jp-RenderedMarkdown', '.text_cell_render', '.math-prose'];

/** Whether text has anything that looks like TeX math between the delimiters KaTeX renders. */
export function hasMath(text: string): boolean {
  return /\$\$[\s\S]+?\$\$|\$[^$\n]+\$|\\\([\s\S]+?\\\)|\\\[[\s\S]+?\\\]/.test(text);
}

/** katex.min.css with each @font-face reduced to its woff2 file, inlined. */
function inlinedCss(): string {
  const css = fs.readFileSync(path.join(KATEX_DIST, 'katex.min.css'), 'utf8');
  return css.replace(/src:([^;}]*)/g, (whole, sources: string) => {
    const woff2 = /url\(([^)]+\.woff2)\)/.exec(sources);
    if (!woff2) return whole;
    const font = fs.readFileSync(path.join(KATEX_DIST, woff2[1].replace(/^["']|["']$/g, '')));
    return `src:url(data:font/woff2;base64,${font.toString('base64')}) format("woff2")`;
  });
}

/** Inline script text: "</script" inside it would end the element early. */
function scriptText(file: string): string {
  return fs.readFileSync(path.join(KATEX_DIST, file), 'utf8').replace(/<\/script/gi, '<\\/script');
}

const RENDER = `
(function () {
  var options = {
    delimiters: [
      { left: '$$', right: '$$', display: true },
      { left: '\\\\[', right: '\\\\]', display: true },
      { left: '$', right: '$', display: false },
      { left: '\\\\(', right: '\\\\)', display: false }
    ],
    throwOnError: false
  };
  document.querySelectorAll(${JSON.stringify(MATH_SCOPES.join(', '))}).forEach(function (node) {
    // Nested scopes (a rendered_html inside a markdown cell) are rendered once, from the outermost.
    if (node.parentElement && node.parentElement.closest(${JSON.stringify(MATH_SCOPES.join(', '))})) return;
    renderMathInElement(node, options);
  });
})();
`;

let cached: { head: string; body: string } | undefined;

/**
 * What a page needs for offline math: `head` (the stylesheet, for <head>) and
 * `body` (the scripts, to go just before </body>, after the content).
 */
export function mathAssets(): { head: string; body: string } {
  cached = cached ?? {
    head: `<style>${inlinedCss()}</style>`,
    body: `<script>${scriptText('katex.min.js')}</script>\n<script>${scriptText('contrib/auto-render.min.js')}</script>\n<script>${RENDER}</script>\n`,
  };
  return cached;
}

/** Inserts text before the last occurrence of `tag` (or at the end); spliced, since page text may hold "$&". */
export function insertBefore(html: string, tag: string, text: string): string {
  const at = html.lastIndexOf(tag);
  return at >= 0 ? html.slice(0, at) + text + html.slice(at) : html + text;
}
