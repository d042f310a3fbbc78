// A figure saved for a paper or a slide: `saveFigure(fig, 'fig.pdf')`, the
// format read from the file's extension.
//   .png  the browserless renderer (render.ts), at 2× pixel density by default;
//   .svg  the same drawing as SVG (text and lines as vectors);
//   .pdf  that SVG printed to one page of its own size by headless Chromium
//         (Debian's, as the page tests use; installed by scripts/setup.sh):
//         vector text and lines, heat maps and images embedded as pixels.
// The figure is drawn as the PNG fallback in notebooks draws it, so a saved
// figure looks like the one on screen.
import * as fs from 'fs';
import * as path from 'path';
import type { Figure } from './figure';
import { renderFigurePng, renderFigureSvg, RenderOptions } from './render';
import { writeFileAtomic } from '../util/atomic-write';

export const FIGURE_FORMATS = ['png', 'svg', 'pdf'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

/** The Chromium that prints PDFs: SMILE_LENS_CHROMIUM, else Debian's. */
export function chromiumPath(): string | undefined {
  return [process.env.SMILE_LENS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => !!p && fs.existsSync(p));
}

export function figureFormat(file: string): FigureFormat {
  const ext = path.extname(file).slice(1).toLowerCase();
  if (!(FIGURE_FORMATS as readonly string[]).includes(ext)) {
    throw new Error(`saveFigure: ${file}: cannot tell the format from "${path.extname(file) || 'no extension'}"; expected .png, .svg or .pdf`);
  }
  return ext as FigureFormat;
}

/** SVG printed by headless Chromium to a one-page PDF of the figure's size. */
async function svgToPdf(svg: string, width: number, height: number): Promise<Buffer> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('saveFigure: a PDF is printed by Chromium, which is not installed (bash scripts/setup.sh, or SMILE_LENS_CHROMIUM=<path>); .svg and .png need no browser');
  // playwright-core drives a browser it is given; it downloads nothing.
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    await page.setContent(`<!DOCTYPE html><html><head><style>@page{margin:0}html,body{margin:0;padding:0}svg{display:block}</style></head><body>${svg}</body></html>`);
    // One CSS pixel = 1/96 in; a page exactly the figure's size.
    return await page.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: '1' });
  } finally {
    await browser.close();
  }
}

/**
 * Saves the figure as PNG, SVG or PDF (by the file's extension) and returns
 * the path. `scale` is the PNG's pixel density (default 2).
 */
export async function saveFigure(fig: Figure, file: string, options: RenderOptions = {}): Promise<string> {
  const format = figureFormat(file);
  let bytes: string | Buffer;
  if (format === 'png') bytes = await renderFigurePng(fig, { scale: 2, ...options });
  else {
    const { svg, width, height } = await renderFigureSvg(fig, options);
    bytes = format === 'svg' ? svg : await svgToPdf(svg, width, height);
  }
  writeFileAtomic(file, bytes);
  return file;
}
