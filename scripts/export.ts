// `npm run export [-- 00 01 ... | path.ipynb] [--no-plotly]`: every notebook
// (or the named ones, or notebook files such as an executed copy in
// outputs/notebooks/) as a standalone HTML page in outputs/notebooks/, with
// the outputs the notebook carries; formulas typeset offline (KaTeX inlined).
// Figures show as PNG everywhere and become interactive where the page's
// embedded plotly.js can draw them (--no-plotly: PNG only, pages ~5 MB smaller).
import * as path from 'path';
import { resolveNotebooks } from '../lib/notebook/discover';
import { exportNotebookHtml } from '../lib/notebook/export-html';
import { codeCells, readNotebook } from '../lib/notebook/ipynb';
import { projectRoot } from '../lib/run/locations';
import { outputsRoot } from '../lib/run/locations';

async function main(argv: string[]): Promise<number> {
  const plotly = !argv.includes('--no-plotly');
  const names = argv.filter((a) => !a.startsWith('--'));
  const outDir = path.join(outputsRoot(), 'notebooks');
  const notebooks = resolveNotebooks(names);
  if (notebooks.length === 0) {
    console.error('no notebooks found in notebooks/');
    return 1;
  }
  for (const nb of notebooks) {
    const cells = codeCells(readNotebook(nb));
    if (cells.length > 0 && cells.every(({ cell }) => !(cell.outputs ?? []).length)) {
      console.warn(`${path.basename(nb)}: has no outputs (committed without results?); run \`npm run notebooks\` to fill them in`);
    }
    const out = await exportNotebookHtml(nb, outDir, { plotly });
    console.log(`${path.relative(projectRoot(), nb)} → ${path.relative(projectRoot(), out)}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
