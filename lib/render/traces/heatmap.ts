// Heat maps: a z matrix coloured through a colour scale, row i at y[i] and
// column j at x[j] (Plotly's convention: row 0 at the bottom unless the y
// axis is reversed), optional labels in the cells.
import { AxisModel, toPx, toUnits } from '../axes';
import { contrastText } from '../color';
import type { Datum, HeatmapTrace } from '../figure';
import { rasterElement } from '../raster';
import { attrs, text } from '../svg';
import type { TraceContext } from './context';

/** Cell edges along one axis, in axis units: from centres (n), edges (n+1) or indices. */
export function cellEdges(axis: AxisModel, coords: Datum[] | undefined, n: number): number[] {
  if (coords && coords.length === n + 1) return coords.map((c) => toUnits(axis, c));
  const centres = coords && coords.length >= n ? coords.slice(0, n).map((c) => toUnits(axis, c)) : Array.from({ length: n }, (_, i) => i);
  if (n === 1) return [centres[0] - 0.5, centres[0] + 0.5];
  const edges = [centres[0] - (centres[1] - centres[0]) / 2];
  for (let i = 1; i < n; i++) edges.push((centres[i - 1] + centres[i]) / 2);
  edges.push(centres[n - 1] + (centres[n - 1] - centres[n - 2]) / 2);
  return edges;
}

function shape(t: HeatmapTrace): { rows: number; cols: number } {
  return { rows: t.z.length, cols: t.z.reduce((m, r) => Math.max(m, r?.length ?? 0), 0) };
}

export function heatmapExtent(t: HeatmapTrace, letter: 'x' | 'y', axis: AxisModel): [number, number] | undefined {
  const { rows, cols } = shape(t);
  if (!rows || !cols) return undefined;
  const edges = cellEdges(axis, letter === 'x' ? t.x : t.y, letter === 'x' ? cols : rows).filter(Number.isFinite);
  return edges.length ? [Math.min(...edges), Math.max(...edges)] : undefined;
}

export function* heatmapValues(t: HeatmapTrace): Generator<number> {
  for (const row of t.z) for (let j = 0; j < (row?.length ?? 0); j++) if (row[j] !== null) yield Number(row[j]);
}

function uniform(edges: number[]): boolean {
  const step = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);
  return edges.every((e, i) => Math.abs(e - (edges[0] + i * step)) <= Math.abs(step) * 1e-6);
}

/** "%{z:.2f}", "%{text}", "%{x}", "%{y}" with d3-style .Nf / .N% / .Ne formats. */
function fillTemplate(template: string, fields: Record<string, unknown>): string {
  return template.replace(/%\{(\w+)(?::([^}]*))?\}/g, (_, key: string, fmt?: string) => {
    const v = fields[key];
    if (typeof v === 'number' && fmt) {
      const m = /^\.(\d+)([f%e])$/.exec(fmt.replace(',', ''));
      if (m) return m[2] === '%' ? `${(v * 100).toFixed(Number(m[1]))}%` : m[2] === 'e' ? v.toExponential(Number(m[1])) : v.toFixed(Number(m[1]));
    }
    return v === undefined || v === null ? '' : String(v);
  });
}

export async function renderHeatmap(t: HeatmapTrace, ctx: TraceContext): Promise<string> {
  const { rows, cols } = shape(t);
  if (!rows || !cols || !ctx.scale) return '';
  const { x: xa, y: ya } = ctx.subplot;
  const xe = cellEdges(xa, t.x, cols).map((u) => toPx(xa, u));
  const ye = cellEdges(ya, t.y, rows).map((u) => toPx(ya, u));
  const [lo, hi] = ctx.scale.range;
  const colour = (v: number | null | undefined): [number, number, number] | undefined => {
    if (v === null || v === undefined || !Number.isFinite(Number(v))) return undefined;
    return ctx.scale!.fn((Number(v) - lo) / (hi - lo));
  };
  const opacity = t.opacity ?? 1;
  let out = '';
  if (uniform(xe) && uniform(ye)) {
    const rgba = new Uint8Array(rows * cols * 4);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const c = colour(t.z[i]?.[j]);
        if (c) rgba.set([c[0], c[1], c[2], 255], (i * cols + j) * 4);
      }
    }
    out += await rasterElement(rgba, cols, rows, { xFirst: xe[0], xLast: xe[cols], yFirst: ye[0], yLast: ye[rows] }, opacity);
  } else {
    // Uneven cells: one rectangle each.
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const c = colour(t.z[i]?.[j]);
        if (!c) continue;
        out += `<rect${attrs({
          x: Math.min(xe[j], xe[j + 1]), y: Math.min(ye[i], ye[i + 1]),
          width: Math.abs(xe[j + 1] - xe[j]), height: Math.abs(ye[i + 1] - ye[i]),
          fill: `rgb(${c.join(',')})`, opacity: opacity < 1 ? opacity : undefined,
        })} shape-rendering="crispEdges"/>`;
      }
    }
  }
  const template = t.texttemplate ?? (t.text ? '%{text}' : undefined);
  if (template) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const w = Math.abs(xe[j + 1] - xe[j]);
        const h = Math.abs(ye[i + 1] - ye[i]);
        const label = fillTemplate(template, { z: t.z[i]?.[j], text: t.text?.[i]?.[j], x: t.x?.[j] ?? j, y: t.y?.[i] ?? i });
        if (!label || h < 10 || w < label.length * 5) continue;
        const c = colour(t.z[i]?.[j]);
        const size = Math.min(12, h * 0.6);
        out += text((xe[j] + xe[j + 1]) / 2, (ye[i] + ye[i + 1]) / 2, label, { size, anchor: 'middle', color: c ? contrastText(c) : '#444' });
      }
    }
  }
  return out;
}
