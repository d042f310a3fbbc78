// Bar traces, vertical or horizontal, grouped, overlaid or stacked, with
// error bars (error_y / error_x: `array` above, `arrayminus` below when
// symmetric is false, as Plotly).
import { AxisModel, toPx, toUnits } from '../axes';
import type { BarTrace, Datum } from '../figure';
import { attrs } from '../svg';
import type { TraceContext } from './context';

/** Which data run along the bars' positions and which are the values. */
function roles(t: BarTrace): { pos: Datum[]; val: Datum[]; posLetter: 'x' | 'y'; err?: number[]; errMinus?: number[] } {
  const horizontal = t.orientation === 'h';
  const values = (horizontal ? t.x : t.y) ?? [];
  const positions = (horizontal ? t.y : t.x) ?? values.map((_, i) => i);
  const e = horizontal ? t.error_x : t.error_y;
  const shown = e && e.visible !== false;
  return {
    pos: positions,
    val: values,
    posLetter: horizontal ? 'y' : 'x',
    err: shown ? e.array : undefined,
    errMinus: shown ? (e.symmetric === false && e.arrayminus ? e.arrayminus : e.array) : undefined,
  };
}

/** Smallest distance between two bar positions (1 for categories). */
function slotWidth(axis: AxisModel, pos: Datum[]): number {
  const u = [...new Set(pos.map((p) => toUnits(axis, p)).filter(Number.isFinite))].sort((a, b) => a - b);
  let w = Infinity;
  for (let i = 1; i < u.length; i++) w = Math.min(w, u[i] - u[i - 1]);
  return Number.isFinite(w) ? w : 1;
}

export function barExtent(t: BarTrace, letter: 'x' | 'y', axis: AxisModel, stacked?: number[]): [number, number] | undefined {
  const r = roles(t);
  if (letter === r.posLetter) {
    const u = r.pos.map((p) => toUnits(axis, p)).filter(Number.isFinite);
    if (!u.length) return undefined;
    const half = slotWidth(axis, r.pos) / 2;
    return [Math.min(...u) - half, Math.max(...u) + half];
  }
  const ends = (stacked ?? r.val.map((v, i) => Number(v) + (r.err?.[i] ?? 0) * Math.sign(Number(v) || 1))).filter(Number.isFinite);
  const lows = r.val.map((v, i) => Number(v) - (r.errMinus?.[i] ?? 0)).filter(Number.isFinite);
  const lo = Math.min(0, ...ends, ...lows);
  const hi = Math.max(0, ...ends);
  const pad = (hi - lo || 1) * 0.05;
  return [lo < 0 ? lo - pad : lo, hi > 0 ? hi + pad : hi];
}

export function barColor(t: BarTrace, ctx: TraceContext, i = 0): string {
  const c = t.marker?.color;
  return Array.isArray(c) ? c[i] ?? ctx.color : c ?? ctx.color;
}

export function renderBar(t: BarTrace, ctx: TraceContext): string {
  const r = roles(t);
  const posAxis = r.posLetter === 'x' ? ctx.subplot.x : ctx.subplot.y;
  const valAxis = r.posLetter === 'x' ? ctx.subplot.y : ctx.subplot.x;
  const slot = slotWidth(posAxis, r.pos);
  const group = ctx.bar ?? { index: 0, count: 1, mode: 'group' as const, base: new Map<number, number>() };
  // bargap 0.2: bars fill 80% of a slot, split between the traces of a group.
  const width = group.mode === 'group' ? (0.8 * slot) / group.count : 0.8 * slot;
  const offset = group.mode === 'group' ? -0.4 * slot + width * group.index : -0.4 * slot;
  const opacity = t.opacity ?? (group.mode === 'overlay' && group.count > 1 ? 0.75 : undefined);
  let out = '';
  r.pos.forEach((p, i) => {
    const at = toUnits(posAxis, p);
    const v = Number(r.val[i]);
    if (!Number.isFinite(at) || !Number.isFinite(v)) return;
    const base = group.mode === 'stack' ? group.base.get(at) ?? 0 : 0;
    if (group.mode === 'stack') group.base.set(at, base + v);
    const p0 = toPx(posAxis, at + offset);
    const p1 = toPx(posAxis, at + offset + width);
    const v0 = toPx(valAxis, base);
    const v1 = toPx(valAxis, base + v);
    const rect = r.posLetter === 'x'
      ? { x: Math.min(p0, p1), y: Math.min(v0, v1), width: Math.abs(p1 - p0), height: Math.abs(v1 - v0) }
      : { x: Math.min(v0, v1), y: Math.min(p0, p1), width: Math.abs(v1 - v0), height: Math.abs(p1 - p0) };
    out += `<rect${attrs({ ...rect, fill: barColor(t, ctx, i), opacity, stroke: t.marker?.line?.color, 'stroke-width': t.marker?.line?.width })}/>`;
    const e = r.err?.[i] ?? 0;
    const eMinus = r.errMinus?.[i] ?? 0;
    if (Number.isFinite(e) && Number.isFinite(eMinus) && (e > 0 || eMinus > 0)) {
      const mid = (p0 + p1) / 2;
      const a = toPx(valAxis, base + v - eMinus);
      const b = toPx(valAxis, base + v + e);
      const cap = 4;
      const seg = (x1: number, y1: number, x2: number, y2: number) => `M${x1},${y1}L${x2},${y2}`;
      const d = r.posLetter === 'x'
        ? seg(mid, a, mid, b) + seg(mid - cap, a, mid + cap, a) + seg(mid - cap, b, mid + cap, b)
        : seg(a, mid, b, mid) + seg(a, mid - cap, a, mid + cap) + seg(b, mid - cap, b, mid + cap);
      out += `<path${attrs({ d, stroke: '#444', 'stroke-width': 1.5, fill: 'none' })}/>`;
    }
  });
  return out;
}

/** Values after stacking, per bar, for the value axis's range in stack mode. */
export function stackedEnds(traces: BarTrace[], axisOf: (t: BarTrace) => AxisModel): Map<BarTrace, number[]> {
  const base = new Map<number, number>();
  const out = new Map<BarTrace, number[]>();
  for (const t of traces) {
    const r = roles(t);
    const axis = axisOf(t);
    out.set(t, r.pos.map((p, i) => {
      const at = toUnits(axis, p);
      const next = (base.get(at) ?? 0) + Number(r.val[i]);
      base.set(at, next);
      return next;
    }));
  }
  return out;
}
