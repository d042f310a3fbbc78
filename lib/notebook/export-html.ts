// Notebooks as standalone HTML pages (nbconvert's HTML exporter), readable
// offline:
//   - every figure shows as its PNG fallback, whatever the browser has;
//   - with `plotly` on (default), plotly.js (plotly.js-dist-min) is embedded
//     once per page, and a small script turns each figure back into the
//     interactive plot from the figure JSON kept beside its PNG; if that
//     fails the PNG stays;
//   - the script tags Debian's nbconvert adds for require.js and MathJax
//     point at file:///usr/share/javascript, which exists on few machines,
//     and MathJax from a CDN would need the network: both are dropped, and
//     a page with math gets KaTeX inlined instead (page-math.ts), so its
//     formulas are typeset offline.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { joinSource, Notebook, readNotebook, writeNotebook } from './ipynb';
import { runJupyter } from './jupyter';
import { PLOTLY_MIME } from './display';
import { hasMath, insertBefore, mathAssets } from './page-math';

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * A copy of the notebook in which every Plotly output also has a text/html
 * form: its PNG plus the figure JSON, which the page script makes interactive.
 * (nbconvert's HTML exporter ignores the Plotly MIME type; text/html wins over
 * image/png.)
 */
export function withPlotlyHtml(nb: Notebook): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  for (const cell of copy.cells) {
    for (const o of cell.outputs ?? []) {
      const fig = o.data?.[PLOTLY_MIME];
      if (!fig || typeof fig !== 'object') continue;
      const png = o.data?.['image/png'];
      const size = (o.metadata?.['image/png'] ?? {}) as { width?: number; height?: number };
      const alt = joinSource(o.data?.['text/plain'] as string | string[] | undefined);
      const img = png
        ? `<img class="smile-lens-png" src="data:image/png;base64,${joinSource(png as string | string[]).replace(/\s/g, '')}"` +
          `${size.width ? ` width="${size.width}"` : ''}${size.height ? ` height="${size.height}"` : ''} alt="${escapeAttr(alt)}">`
        : '';
      // JSON in a script element: only "<" can end it early, so it is escaped.
      const json = JSON.stringify(fig).replace(/</g, '\\u003c');
      o.data!['text/html'] = `<div class="smile-lens-plotly">${img}<script type="application/json" class="smile-lens-plotly-figure">${json}</script></div>`;
    }
  }
  return copy;
}

/** Replaces each figure's PNG by the interactive plot once plotly.js has drawn it. */
const RENDER_SCRIPT = `
(function () {
  if (typeof Plotly === 'undefined') return;
  document.querySelectorAll('.smile-lens-plotly').forEach(function (node) {
    var source = node.querySelector('script.smile-lens-plotly-figure');
    var img = node.querySelector('img.smile-lens-png');
    if (!source) return;
    var target = document.createElement('div');
    target.className = 'smile-lens-plotly-live';
    node.appendChild(target);
    try {
      var fig = JSON.parse(source.textContent);
      Plotly.newPlot(target, fig.data, fig.layout, fig.config || {}).then(function () {
        if (img) img.style.display = 'none';
      }, function (e) {
        target.remove();
        console.warn('smile-lens: showing the PNG, the interactive figure failed:', e);
      });
    } catch (e) {
      target.remove();
      console.warn('smile-lens: showing the PNG, the interactive figure failed:', e);
    }
  });
})();
`;

/** Math in markdown cells or in markdown outputs (lib code may show formulas with showMarkdown). */
export function notebookHasMath(nb: Notebook): boolean {
  return nb.cells.some(
    (c) =>
      (c.cell_type === 'markdown' && hasMath(joinSource(c.source))) ||
      (c.outputs ?? []).some((o) => typeof o.data?.['text/markdown'] !== 'undefined' && hasMath(joinSource(o.data['text/markdown'] as string | string[]))),
  );
}

/** Fixes the script tags of nbconvert's page and embeds KaTeX (when there is math), plotly.js and the figure script. */
export function finishPage(html: string, options: { plotly: boolean; math: boolean }): string {
  let out = html.replace(/<script[^>]*src="[^"]*require(?:\.min)?\.js"[^>]*>\s*<\/script>\s*/g, '');
  out = out.replace(/<script[^>]*src="[^"]*MathJax\.js[^"]*"[^>]*>\s*<\/script>\s*/g, '');
  out = out.replace(/(?:<!-- MathJax configuration -->\s*)?<script type="text\/x-mathjax-config">[\s\S]*?<\/script>\s*/g, '');
  if (options.math) {
    const math = mathAssets();
    out = insertBefore(out, '</head>', math.head);
    out = insertBefore(out, '</body>', math.body);
  }
  if (options.plotly) {
    const plotly = fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
    out = insertBefore(out, '</body>', `<script>${plotly}</script>\n<script>${RENDER_SCRIPT}</script>\n`);
  }
  return out;
}

export interface ExportOptions {
  /** Embed plotly.js for interactive figures (default true; the page grows by ~4.8 MB). */
  plotly?: boolean;
}

/** Writes `<outDir>/<name>.html` for an executed notebook and returns its path. */
export async function exportNotebookHtml(input: string, outDir: string, options: ExportOptions = {}): Promise<string> {
  const plotly = options.plotly ?? true;
  const nb = readNotebook(input);
  const name = path.basename(input, '.ipynb');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-export-'));
  try {
    const staged = path.join(work, `${name}.ipynb`);
    writeNotebook(staged, plotly ? withPlotlyHtml(nb) : nb);
    const run = await runJupyter(['nbconvert', '--to', 'html', '--output-dir', work, '--output', name, staged], { cwd: work, timeoutSec: 300 });
    const produced = path.join(work, `${name}.html`);
    if (run.status !== 0 || !fs.existsSync(produced)) throw new Error(`nbconvert --to html failed for ${input}:\n${run.output}`);
    const out = path.join(outDir, `${name}.html`);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(out, finishPage(fs.readFileSync(produced, 'utf8'), { plotly, math: notebookHasMath(nb) }));
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
