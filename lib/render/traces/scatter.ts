// Scatter traces: lines, markers, and filled areas — a band between two
// traces (fill: 'tonexty', the usual mean ± std), a closed shape ('toself'),
// or down to zero ('tozeroy'). Missing y values break the line.
import { AxisModel, toPx, toUnits } from '../axes';
import { withAlpha } from '../color';
import type { ScatterTrace } from '../figure';
import { attrs, n } from '../svg';
import type { TraceContext } from './context';

function xValues(t: ScatterTrace): (number | string | null)[] {
  return t.x ?? t.y.map((_, i) => i);
}

export function scatterMode(t: ScatterTrace): { lines: boolean; markers: boolean } {
  const mode = t.mode ?? (t.y.length < 20 ? 'lines+markers' : 'lines');
  return { lines: mode.includes('lines'), markers: mode.includes('markers') };
}

export function scatterExtent(t: ScatterTrace, letter: 'x' | 'y', axis: AxisModel): [number, number] | undefined {
  const values = (letter === 'x' ? xValues(t) : t.y).map((v) => toUnits(axis, v)).filter(Number.isFinite);
  if (t.fill === 'tozeroy' && letter === 'y') values.push(0);
  if (!values.length) return undefined;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const { markers } = scatterMode(t);
  // Plotly pads y (and x when there are markers) by about 5%; lines span x exactly.
  if (letter === 'y' || markers) {
    const pad = (hi - lo || Math.abs(hi) || 1) * 0.05;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

/** Pixel points, with NaN where y (or x) is missing. */
export function scatterPoints(t: ScatterTrace, ctx: TraceContext): [number, number][] {
  const { x: xa, y: ya } = ctx.subplot;
  const xs = xValues(t);
  return t.y.map((y, i) => [toPx(xa, toUnits(xa, xs[i])), toPx(ya, toUnits(ya, y))]);
}

function pathOf(points: [number, number][]): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${n(x)},${n(y)}`;
    pen = true;
  }
  return d;
}

const DASH: Record<string, string> = { dash: '9,3', dot: '3,3', dashdot: '9,3,3,3', longdash: '15,5' };

export function lineColor(t: ScatterTrace, ctx: TraceContext): string {
  return t.line?.color ?? t.marker?.color ?? ctx.color;
}

export function renderScatter(t: ScatterTrace, ctx: TraceContext): string {
  const points = scatterPoints(t, ctx);
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const color = lineColor(t, ctx);
  const { lines, markers } = scatterMode(t);
  const opacity = t.opacity !== undefined && t.opacity < 1 ? t.opacity : undefined;
  let out = '';
  if (t.fill && t.fill !== 'none' && finite.length) {
    const fill = t.fillcolor ?? withAlpha(color, 0.5);
    let outline: [number, number][] = [];
    if (t.fill === 'toself') outline = finite;
    else if (t.fill === 'tozeroy') {
      const zero = toPx(ctx.subplot.y, 0);
      outline = [[finite[0][0], zero], ...finite, [finite[finite.length - 1][0], zero]];
    } else if (t.fill === 'tonexty') {
      const prev = (ctx.previousLine ?? []).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
      outline = prev.length ? [...finite, ...prev.slice().reverse()] : [];
    }
    if (outline.length > 2) out += `<path${attrs({ d: pathOf(outline) + 'Z', fill, stroke: 'none', opacity })}/>`;
  }
  if (lines && finite.length > 1 && (t.line?.width ?? 2) > 0) {
    out += `<path${attrs({
      d: pathOf(points), fill: 'none', stroke: color, 'stroke-width': t.line?.width ?? 2,
      'stroke-dasharray': t.line?.dash ? DASH[t.line.dash] : undefined, 'stroke-linejoin': 'round', opacity,
    })}/>`;
  }
  if (markers) {
    const r = (t.marker?.size ?? 6) / 2;
    const fill = t.marker?.color ?? color;
    const square = t.marker?.symbol === 'square';
    for (const [x, y] of finite) {
      out += square
        ? `<rect${attrs({ x: x - r, y: y - r, width: 2 * r, height: 2 * r, fill, opacity })}/>`
        : `<circle${attrs({ cx: x, cy: y, r, fill, opacity })}/>`;
    }
  }
  return out;
}
