// Subplots and axes: which axes exist, where they sit on the page (grid or
// domains), their type (linear, log, category), their range and the mapping
// from data to pixels. Trace modules say how far their data reaches.
import type { Axis, Datum, Figure, Layout, Trace } from './figure';
import { formatTicks, logTicks, niceTicks } from './ticks';

export type Letter = 'x' | 'y';

export interface AxisModel {
  id: string; // 'x', 'x2', 'y', ...
  letter: Letter;
  spec: Axis;
  kind: 'linear' | 'log' | 'category';
  categories: string[];
  /** Data range in axis units (log10 for log axes): range[0] at `start`, range[1] at `end`. */
  range: [number, number];
  /** Paper fraction [from, to]. */
  domain: [number, number];
  /** Pixel of range[0] and range[1] (x: left→right; y: bottom→top unless reversed). */
  start: number;
  end: number;
  visible: boolean;
  ticks: { values: number[]; labels: string[] };
}

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Subplot {
  x: AxisModel;
  y: AxisModel;
  /** Pixel rectangle of the subplot. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  traces: Trace[];
}

export function layoutKey(id: string): string {
  return id.replace(/^([xy])/, '$1axis');
}

export function axisSpec(layout: Layout, id: string): Axis {
  return (layout[layoutKey(id)] as Axis | undefined) ?? {};
}

function axisNumber(id: string): number {
  return Number(id.slice(1) || '1');
}

export function traceAxes(t: Trace): { x: string; y: string } {
  return { x: (t.xaxis as string | undefined) ?? 'x', y: (t.yaxis as string | undefined) ?? 'y' };
}

export function isVisible(t: Trace): boolean {
  return t.visible !== false && t.visible !== 'legendonly';
}

/** Axis units of one datum: category index, log10, or the number. NaN when missing. */
export function toUnits(axis: AxisModel, v: Datum | undefined): number {
  if (v === null || v === undefined) return NaN;
  if (axis.kind === 'category') {
    if (typeof v === 'number') return v;
    return axis.categories.indexOf(String(v));
  }
  const num = typeof v === 'number' ? v : Number(v);
  if (axis.kind === 'log') return num > 0 ? Math.log10(num) : NaN;
  return num;
}

/** Pixel of a value already in axis units. */
export function toPx(axis: AxisModel, u: number): number {
  const [r0, r1] = axis.range;
  return axis.start + ((u - r0) / (r1 - r0 || 1)) * (axis.end - axis.start);
}

/** Raw x/y data of a trace on one letter, for type detection and categories. */
function rawData(t: Trace, letter: Letter): Datum[] {
  const v = (t as unknown as Record<string, unknown>)[letter];
  return Array.isArray(v) ? (v as Datum[]) : [];
}

function detectKind(spec: Axis, data: Datum[]): AxisModel['kind'] {
  if (spec.type === 'log') return 'log';
  if (spec.type === 'category') return 'category';
  if (spec.type === 'linear') return 'linear';
  return data.some((d) => typeof d === 'string' && d.trim() !== '' && !Number.isFinite(Number(d))) ? 'category' : 'linear';
}

/** Grid cell of axis number k (1-based) in a layout.grid. */
function gridDomain(layout: Layout, letter: Letter, k: number): [number, number] | undefined {
  const g = layout.grid;
  if (!g || !(g.rows > 0) || !(g.columns > 0)) return undefined;
  const coupled = g.pattern === 'coupled';
  let index: number; // column for x, row (from the top) for y
  if (coupled) index = k - 1;
  else index = letter === 'x' ? (k - 1) % g.columns : Math.floor((k - 1) / g.columns);
  const count = letter === 'x' ? g.columns : g.rows;
  if (index >= count) return undefined;
  // Gaps are fractions of one cell (Plotly's definition).
  const gap = letter === 'x' ? g.xgap ?? 0.1 : g.ygap ?? 0.15;
  const cell = 1 / (count + gap * (count - 1));
  const from = index * cell * (1 + gap);
  if (letter === 'x') return [from, from + cell];
  const topDown = (g.roworder ?? 'top to bottom') === 'top to bottom';
  return topDown ? [1 - from - cell, 1 - from] : [from, from + cell];
}

export interface ExtentFn {
  (trace: Trace, letter: Letter, axis: AxisModel, all: Trace[]): [number, number] | undefined;
}

/** Builds every axis that a visible trace uses (and the default pair), without pixels yet. */
export function buildAxes(fig: Figure, extent: ExtentFn): Map<string, AxisModel> {
  const layout = fig.layout ?? {};
  const traces = fig.data.filter(isVisible);
  const ids = new Set<string>(traces.length ? [] : ['x', 'y']);
  for (const t of traces) {
    const a = traceAxes(t);
    ids.add(a.x);
    ids.add(a.y);
  }
  const axes = new Map<string, AxisModel>();
  for (const id of ids) {
    const letter = id[0] as Letter;
    const spec = axisSpec(layout, id);
    const on = traces.filter((t) => traceAxes(t)[letter] === id);
    const data = on.flatMap((t) => (t.type === 'heatmap' || t.type === 'bar' || t.type === 'scatter' || t.type === 'scattergl' ? rawData(t, letter) : []));
    const kind = detectKind(spec, data);
    const categories: string[] = [];
    if (kind === 'category') for (const d of data) if (d !== null && !categories.includes(String(d))) categories.push(String(d));
    const domain = spec.domain ?? gridDomain(layout, letter, axisNumber(id)) ?? [0, 1];
    const axis: AxisModel = { id, letter, spec, kind, categories, range: [0, 1], domain, start: 0, end: 1, visible: spec.visible !== false, ticks: { values: [], labels: [] } };
    axis.range = autoRange(axis, on, traces, extent);
    axes.set(id, axis);
  }
  return axes;
}

function autoRange(axis: AxisModel, on: Trace[], all: Trace[], extent: ExtentFn): [number, number] {
  const spec = axis.spec;
  const hasImage = on.some((t) => t.type === 'image');
  if (spec.range && spec.autorange !== true) return [spec.range[0], spec.range[1]];
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of on) {
    const e = extent(t, axis.letter, axis, all);
    if (e && Number.isFinite(e[0]) && Number.isFinite(e[1])) {
      lo = Math.min(lo, e[0]);
      hi = Math.max(hi, e[1]);
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = axis.kind === 'log' ? [0, 1] : [-1, 6];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  // Images put row 0 at the top, as Plotly does for image traces.
  const reversed = spec.autorange === 'reversed' || (axis.letter === 'y' && hasImage && spec.autorange === undefined);
  return reversed ? [hi, lo] : [lo, hi];
}

/** Places every subplot in the plot area and makes image pixels square (Plotly: scaleanchor, constrain 'domain'). */
export function placeSubplots(fig: Figure, axes: Map<string, AxisModel>, area: PlotArea): Subplot[] {
  const traces = fig.data.filter(isVisible);
  const pairs = new Map<string, Subplot>();
  const order: string[] = [];
  for (const t of traces.length ? traces : [{ type: 'scatter', y: [] } as Trace]) {
    const a = traceAxes(t);
    const key = `${a.x}${a.y}`;
    if (!pairs.has(key)) {
      pairs.set(key, { x: axes.get(a.x)!, y: axes.get(a.y)!, left: 0, right: 0, top: 0, bottom: 0, traces: [] });
      order.push(key);
    }
    if (traces.length) pairs.get(key)!.traces.push(t);
  }
  const w = area.right - area.left;
  const h = area.bottom - area.top;
  for (const key of order) {
    const s = pairs.get(key)!;
    s.left = area.left + s.x.domain[0] * w;
    s.right = area.left + s.x.domain[1] * w;
    s.bottom = area.bottom - s.y.domain[0] * h;
    s.top = area.bottom - s.y.domain[1] * h;
    const anchored = s.y.spec.scaleanchor === s.x.id || (s.y.spec.scaleanchor === undefined && s.traces.some((t) => t.type === 'image'));
    if (anchored) {
      const ux = Math.abs(s.x.range[1] - s.x.range[0]) / (s.right - s.left);
      const uy = Math.abs(s.y.range[1] - s.y.range[0]) / (s.bottom - s.top);
      const u = Math.max(ux, uy);
      const newW = Math.abs(s.x.range[1] - s.x.range[0]) / u;
      const newH = Math.abs(s.y.range[1] - s.y.range[0]) / u;
      const cx = (s.left + s.right) / 2;
      const cy = (s.top + s.bottom) / 2;
      [s.left, s.right] = [cx - newW / 2, cx + newW / 2];
      [s.top, s.bottom] = [cy - newH / 2, cy + newH / 2];
    }
    s.x.start = s.left;
    s.x.end = s.right;
    s.y.start = s.bottom;
    s.y.end = s.top;
  }
  for (const axis of axes.values()) axis.ticks = makeTicks(axis);
  return order.map((k) => pairs.get(k)!);
}

function makeTicks(axis: AxisModel): { values: number[]; labels: string[] } {
  const spec = axis.spec;
  const lo = Math.min(...axis.range);
  const hi = Math.max(...axis.range);
  const inside = (v: number) => v >= lo - 1e-9 && v <= hi + 1e-9;
  if (spec.tickvals) {
    const values = spec.tickvals.map((v) => toUnits(axis, v)).filter(inside);
    const labels = spec.tickvals.map((v, i) => spec.ticktext?.[i] ?? String(v)).filter((_, i) => inside(toUnits(axis, spec.tickvals![i])));
    return { values, labels };
  }
  const length = Math.abs(axis.end - axis.start);
  if (axis.kind === 'category') {
    const all = axis.categories.map((_, i) => i).filter(inside);
    const longest = Math.max(1, ...axis.categories.map((c) => c.length));
    const room = axis.letter === 'x' ? longest * 7.2 + 8 : 16;
    const every = Math.max(1, Math.ceil((all.length * room) / Math.max(1, length)));
    const values = all.filter((_, i) => i % every === 0);
    return { values, labels: values.map((v) => axis.categories[v]) };
  }
  if (axis.kind === 'log') return logTicks(lo, hi);
  const target = Math.max(2, Math.round(length / (axis.letter === 'x' ? 90 : 35)));
  const values = niceTicks(lo, hi, target);
  return { values, labels: formatTicks(values) };
}
