// Showing things in a notebook. A Plotly figure goes out as ONE output with
// three representations, and each front end picks the richest it can show:
//   application/vnd.plotly.v1+json  the figure as a JSON object (JupyterLab
//                                   with plotly ≥ 6.1, VS Code: interactive);
//   image/png                       the same figure drawn without a browser
//                                   (lib/render): GitHub, nbconvert HTML,
//                                   classic Jupyter, anything else;
//   text/plain                      one line saying what the figure is.
// Outside a kernel (terminal, tests) nothing is sent; callers get the PNG.
import type { Figure } from '../render/figure';
import { textOf } from '../render/figure';
import { renderFigurePng, RenderOptions } from '../render/render';
import { clearOfToolbar } from '../render/toolbar';
import { sendDisplayData } from '../util/kernel-display';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/**
 * The figure as plain JSON: typed arrays become arrays and non-finite numbers
 * null (JSON has no NaN; plotly.js draws null as a gap), so the message is
 * exactly what plotly.js gets; and its title clear of the toolbar (toolbar.ts).
 */
export function plainFigure(fig: Figure): Figure {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => walk(x));
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return clearOfToolbar(objectTitles(walk(fig) as Figure));
}

/**
 * plotly.js 3 no longer reads a title given as a plain string (layout.title,
 * axis and colour-bar titles): it wants { text }. Figures may use either; the
 * JSON sent out always has the object form.
 */
function objectTitles(fig: Figure): Figure {
  const fix = (holder: Record<string, unknown> | undefined) => {
    if (holder && typeof holder.title === 'string') holder.title = { text: holder.title };
  };
  const layout = fig.layout as Record<string, unknown> | undefined;
  fix(layout);
  for (const [key, value] of Object.entries(layout ?? {})) {
    if (/^([xy]axis|coloraxis)\d*$/.test(key) && value && typeof value === 'object') {
      fix(value as Record<string, unknown>);
      fix((value as Record<string, unknown>).colorbar as Record<string, unknown> | undefined);
    }
  }
  for (const t of fig.data) fix((t as Record<string, unknown>).colorbar as Record<string, unknown> | undefined);
  return fig;
}

/** "Plotly figure: <title> (heatmap ×3, scatter), PNG 700×450". */
export function describeFigure(fig: Figure, width: number, height: number): string {
  const counts = new Map<string, number>();
  for (const t of fig.data) counts.set(t.type ?? 'scatter', (counts.get(t.type ?? 'scatter') ?? 0) + 1);
  const kinds = [...counts].map(([k, c]) => (c > 1 ? `${k} ×${c}` : k)).join(', ');
  const title = textOf(fig.layout?.title).replace(/<[^>]*>/g, '');
  return `Plotly figure${title ? `: ${title}` : ''} (${kinds || 'empty'}), PNG ${width}×${height}`;
}

export interface ShowFigureOptions extends RenderOptions {
  /** Plotly config for the interactive figure (default: responsive, no logo). */
  config?: Record<string, unknown>;
}

/**
 * Shows a Plotly figure inline (interactive + PNG fallback). Resolves to
 * nothing, so `await showPlotly(...)` as a cell's last line prints nothing
 * more; renderFigurePng (lib/render/render) gives the PNG itself.
 */
export async function showPlotly(fig: Figure, options: ShowFigureOptions = {}): Promise<void> {
  const plain = plainFigure(fig);
  const width = Math.round(options.width ?? plain.layout?.width ?? 700);
  const height = Math.round(options.height ?? plain.layout?.height ?? 450);
  const png = await renderFigurePng(plain, { ...options, width, height });
  const layout = { width, height, ...plain.layout };
  sendDisplayData(
    {
      [PLOTLY_MIME]: { data: plain.data, layout, config: { displaylogo: false, ...(plain.config ?? {}), ...(options.config ?? {}) } },
      'image/png': png.toString('base64'),
      'text/plain': describeFigure(plain, width, height),
    },
    // Front ends show the PNG at its layout size even when it has more pixels (scale > 1).
    { metadata: { 'image/png': { width, height } } },
  );
}

export function showHtml(html: string, text = '[HTML]'): void {
  sendDisplayData({ 'text/html': html, 'text/plain': text });
}

export function showPng(png: Uint8Array, options: { width?: number; height?: number; alt?: string } = {}): void {
  const meta: Record<string, number> = {};
  if (options.width) meta.width = options.width;
  if (options.height) meta.height = options.height;
  sendDisplayData(
    { 'image/png': Buffer.from(png).toString('base64'), 'text/plain': options.alt ?? `[PNG image, ${png.length} bytes]` },
    { metadata: Object.keys(meta).length ? { 'image/png': meta } : {} },
  );
}

export function showMarkdown(markdown: string): void {
  if (!sendDisplayData({ 'text/markdown': markdown, 'text/plain': markdown })) console.log(markdown);
}
