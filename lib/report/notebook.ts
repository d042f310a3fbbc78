// A report section drawn in a notebook, block by block, the way the report
// page draws it: notebook 06 shows each experiment through the same section
// builder as the report, so the two never disagree.
import { showHtml, showMarkdown, showPlotly } from '../notebook/display';
import { showTable } from '../notebook/dataframe-html';
import { escapeHtml } from '../util/html';
import type { ReportSection } from './section';

export async function showSection(section: ReportSection | undefined, options: { title?: boolean } = {}): Promise<void> {
  if (!section) {
    showMarkdown('*(nothing to show: this experiment has no results in the run folder yet)*');
    return;
  }
  if (options.title) showMarkdown(`### ${section.title}`);
  for (const b of section.blocks) {
    switch (b.kind) {
      case 'text':
        showMarkdown(b.text);
        break;
      case 'table':
        showTable(b.rows, { caption: b.caption });
        break;
      case 'figure':
        await showPlotly(b.figure);
        break;
      case 'images':
        showHtml(
          `<div style="display:flex;flex-wrap:wrap;gap:.8em">${b.images.map((im) => `<figure style="margin:0;text-align:center;font-size:.85em"><img src="${im.src}" alt="${escapeHtml(im.caption)}" style="width:160px;height:160px;image-rendering:pixelated"><figcaption>${escapeHtml(im.caption)}</figcaption></figure>`).join('')}</div>`,
          b.images.map((im) => im.caption).join('\n'),
        );
        break;
      case 'html':
        showHtml(b.html);
        break;
    }
  }
}
