// Plotly figure → SVG → PNG, without a browser (sharp renders the SVG with
// librsvg). Draws the subset in figure.ts the way plotly.js lays it out by
// default: white page, 700×450 unless the layout says otherwise, Plotly's
// margins, subplots from layout.grid or axis domains, colour bars and the
// legend right of the plot area, the title centred in the top margin.
import sharp from 'sharp';
import { AxisModel, buildAxes, isVisible, Letter, PlotArea, placeSubplots, Subplot, toPx, toUnits } from './axes';
import { ColorBarItem, colorBarWidth, renderColorBar } from './colorbar';
import { colorRange, colorscaleFn } from './colorscale';
import type { Annotation, BarTrace, ColorAxis, Figure, HeatmapTrace, ImageTrace, Layout, LayoutImage, ScatterTrace, Trace } from './figure';
import { textOf } from './figure';
import { LegendEntry, legendEntry, legendSize, renderLegend } from './legend';
import { decodeImage } from './raster';
import { attrs, esc, FONT_FAMILY, n, text, textWidth } from './svg';
import { barColor, barExtent, renderBar, stackedEnds } from './traces/bar';
import type { ResolvedScale, TraceContext } from './traces/context';
import { heatmapExtent, heatmapValues, renderHeatmap } from './traces/heatmap';
import { imageExtent, prepareImage, renderImage } from './traces/image';
import { lineColor, renderScatter, scatterExtent, scatterMode, scatterPoints } from './traces/scatter';

export interface RenderOptions {
  /** Page size in pixels (default: layout.width/height, else Plotly's 700×450). */
  width?: number;
  height?: number;
  /** Pixel density of the PNG (default 1): 2 gives a sharper image at twice the size. */
  scale?: number;
}

export interface RenderedSvg {
  svg: string;
  width: number;
  height: number;
}

// plotly.js's default colourway (D3 category10).
const COLORWAY = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const DEFAULT_MARGIN = { l: 80, r: 80, t: 100, b: 80 };

/** Text with Plotly's small HTML subset (<b>, <br>, ...) as plain lines. */
function plainLines(s: string): string[] {
  return s.split(/<br\s*\/?>/i).map((l) => l.replace(/<[^>]*>/g, ''));
}

function multiline(x: number, y: number, s: string, style: Parameters<typeof text>[3]): string {
  const lines = plainLines(s);
  const size = style?.size ?? 12;
  const first = style?.baseline === 'bottom' ? y - (lines.length - 1) * size * 1.2 : style?.baseline === 'middle' ? y - ((lines.length - 1) * size * 1.2) / 2 : y;
  return lines.map((l, i) => text(x, first + i * size * 1.2, l, style)).join('');
}

interface Prepared {
  scales: Map<string, ResolvedScale>;
  colorBars: ColorBarItem[];
  legend: LegendEntry[];
  stacked: Map<BarTrace, number[]>;
  colors: Map<Trace, string>;
}

function scaleKey(t: HeatmapTrace, index: number): string {
  return t.coloraxis ?? `trace${index}`;
}

function prepare(fig: Figure, layout: Layout): Prepared {
  const colorway = (layout.colorway as string[] | undefined) ?? COLORWAY;
  const colors = new Map<Trace, string>();
  fig.data.forEach((t, i) => colors.set(t, colorway[i % colorway.length]));
  const visible = fig.data.filter(isVisible);

  // Colour scales: one per heatmap, or one per shared coloraxis.
  const scales = new Map<string, ResolvedScale>();
  const colorBars: ColorBarItem[] = [];
  fig.data.forEach((t, i) => {
    if (t.type !== 'heatmap' || !isVisible(t)) return;
    const key = scaleKey(t, i);
    if (scales.has(key)) return;
    if (t.coloraxis) {
      const ca = (layout[t.coloraxis] as ColorAxis | undefined) ?? {};
      const members = visible.filter((u): u is HeatmapTrace => u.type === 'heatmap' && u.coloraxis === t.coloraxis);
      const values = members.flatMap((m) => [...heatmapValues(m)]);
      const scale = { fn: colorscaleFn(ca.colorscale, ca.reversescale), range: colorRange(values, ca.cmin, ca.cmax, ca.cmid) };
      scales.set(key, scale);
      if (ca.showscale !== false) colorBars.push({ key, scale, spec: ca.colorbar ?? {} });
    } else {
      const scale = { fn: colorscaleFn(t.colorscale, t.reversescale), range: colorRange(heatmapValues(t), t.zmin, t.zmax, t.zmid) };
      scales.set(key, scale);
      if (t.showscale !== false) colorBars.push({ key, scale, spec: t.colorbar ?? {} });
    }
  });

  const legend: LegendEntry[] = [];
  fig.data.forEach((t, i) => {
    if (!isVisible(t) || t.showlegend === false || (t.type !== 'scatter' && t.type !== 'scattergl' && t.type !== 'bar')) return;
    const named = { ...t, name: t.name ?? `trace ${i}` } as ScatterTrace | BarTrace;
    if (t.type === 'bar') legend.push(legendEntry(named, barColor(t, { color: colors.get(t)! } as TraceContext), 'box'));
    else {
      const m = scatterMode(t);
      const kind = m.lines && m.markers ? 'line+marker' : m.markers ? 'marker' : m.lines ? 'line' : 'box';
      legend.push(legendEntry(named, lineColor(t, { color: colors.get(t)! } as TraceContext), t.fill && t.fill !== 'none' && !m.lines ? 'box' : kind));
    }
  });
  const show = layout.showlegend ?? legend.length >= 2;

  const barmode = layout.barmode ?? 'group';
  const stacked = barmode === 'stack'
    ? stackedEnds(visible.filter((t): t is BarTrace => t.type === 'bar'), () => ({ kind: 'linear', categories: [] }) as unknown as AxisModel)
    : new Map<BarTrace, number[]>();
  return { scales, colorBars, legend: show ? legend : [], stacked, colors };
}

export async function renderFigureSvg(fig: Figure, options: RenderOptions = {}): Promise<RenderedSvg> {
  const layout: Layout = fig.layout ?? {};
  const width = Math.round(options.width ?? layout.width ?? 700);
  const height = Math.round(options.height ?? layout.height ?? 450);
  for (const t of fig.data) if (t.type === 'image') await prepareImage(t as ImageTrace);
  const prep = prepare(fig, layout);

  const axes = buildAxes(fig, (t, letter, axis) => {
    switch (t.type) {
      case 'heatmap': return heatmapExtent(t as HeatmapTrace, letter, axis);
      case 'image': return imageExtent(t as ImageTrace, letter);
      case 'bar': return barExtent(t as BarTrace, letter, axis, prep.stacked.get(t as BarTrace));
      case 'scatter': case 'scattergl': return scatterExtent(t as ScatterTrace, letter, axis);
      default: return undefined;
    }
  });

  // Room to the right for colour bars and a vertical legend; Plotly grows the margin the same way.
  const margin = { ...DEFAULT_MARGIN, ...(layout.margin ?? {}) };
  const horizontalLegend = layout.legend?.orientation === 'h';
  const barWidths = prep.colorBars.map(colorBarWidth);
  const legendBox = prep.legend.length ? legendSize(prep.legend, horizontalLegend) : undefined;
  // Bars without a position go side by side; a bar placed at paper x needs room up to its right edge.
  const plotWidth = width - margin.l - margin.r;
  const placedNeed = Math.max(0, ...prep.colorBars.map((b, i) => (b.spec.x === undefined ? 0 : (b.spec.x - 1) * plotWidth + barWidths[i])));
  const rightNeed = Math.max(placedNeed, barWidths.reduce((a, w, i) => a + (prep.colorBars[i].spec.x === undefined ? w + 20 : 0), 0)) + (legendBox && !horizontalLegend ? legendBox.width + 10 : 0);
  const area: PlotArea = { left: margin.l, top: margin.t, right: width - Math.max(margin.r, rightNeed ? rightNeed + 10 : 0), bottom: height - margin.b - (legendBox && horizontalLegend ? legendBox.height + 10 : 0) };
  let subplots = placeSubplots(fig, axes, area);
  if (layout.margin?.l === undefined) {
    // Long y tick labels (or a y title) push the plot area right, as Plotly's automargin does.
    const need = Math.max(0, ...subplots.filter((s) => s.x.domain[0] < 0.01).map((s) => yLabelRoom(s.y)));
    if (need > area.left) {
      area.left = need;
      subplots = placeSubplots(fig, axes, area);
    }
  }

  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="${esc((layout.paper_bgcolor as string | undefined) ?? '#ffffff')}"/>`);
  const defs: string[] = [];
  subplots.forEach((s, i) => {
    defs.push(`<clipPath id="clip${i}"><rect${attrs({ x: s.left, y: s.top, width: s.right - s.left, height: s.bottom - s.top })}/></clipPath>`);
    parts.push(`<rect${attrs({ x: s.left, y: s.top, width: s.right - s.left, height: s.bottom - s.top, fill: (layout.plot_bgcolor as string | undefined) ?? '#ffffff' })}/>`);
    parts.push(gridLines(s));
  });
  parts.push(await layoutImages(layout, axes, subplots, area, 'below'));

  // Traces, each clipped to its subplot, in data order.
  const previousLine = new Map<Subplot, [number, number][]>();
  const barCount = new Map<Subplot, number>();
  const barIndex = new Map<Trace, number>();
  const stackBase = new Map<Subplot, Map<number, number>>();
  for (const s of subplots) {
    for (const t of s.traces) {
      if (t.type !== 'bar') continue;
      barIndex.set(t, barCount.get(s) ?? 0);
      barCount.set(s, (barCount.get(s) ?? 0) + 1);
    }
  }
  for (const [i, s] of subplots.entries()) {
    let body = '';
    for (const t of s.traces) {
      const ctx: TraceContext = { figure: fig, layout, subplot: s, color: prep.colors.get(t) ?? COLORWAY[0] };
      switch (t.type) {
        case 'heatmap':
          ctx.scale = prep.scales.get(scaleKey(t as HeatmapTrace, fig.data.indexOf(t)));
          body += await renderHeatmap(t as HeatmapTrace, ctx);
          break;
        case 'image':
          body += await renderImage(t as ImageTrace, ctx);
          break;
        case 'bar': {
          if (!stackBase.has(s)) stackBase.set(s, new Map());
          ctx.bar = { index: barIndex.get(t) ?? 0, count: barCount.get(s) ?? 1, mode: layout.barmode ?? 'group', base: stackBase.get(s)! };
          body += renderBar(t as BarTrace, ctx);
          break;
        }
        case 'scatter':
        case 'scattergl':
          ctx.previousLine = previousLine.get(s);
          body += renderScatter(t as ScatterTrace, ctx);
          previousLine.set(s, scatterPoints(t as ScatterTrace, ctx));
          break;
        default:
          throw new Error(`the PNG renderer does not draw "${(t as Trace).type}" traces (heatmap, image, scatter, bar)`);
      }
    }
    parts.push(`<g clip-path="url(#clip${i})">${body}</g>`);
  }
  parts.push(await layoutImages(layout, axes, subplots, area, 'above'));
  parts.push(zeroLines(subplots));
  const drawn = new Set<string>();
  for (const s of subplots) parts.push(axisLabels(s, drawn));

  // Colour bars then the legend, left to right beyond the plot area.
  let right = area.right + 0.02 * (area.right - area.left);
  prep.colorBars.forEach((item, i) => {
    const x = item.spec.x !== undefined ? area.left + item.spec.x * (area.right - area.left) : right;
    const len = (item.spec.len ?? 1) * (area.bottom - area.top);
    const cy = area.bottom - (item.spec.y ?? 0.5) * (area.bottom - area.top);
    parts.push(renderColorBar(item, x, cy, len, `cbar${i}`));
    if (item.spec.x === undefined) right += barWidths[i] + 20;
  });
  if (legendBox) {
    parts.push(horizontalLegend
      ? renderLegend(prep.legend, area.left, area.bottom + 44, true)
      : renderLegend(prep.legend, right, area.top, false));
  }
  for (const a of layout.annotations ?? []) parts.push(annotation(a, axes, area));
  const title = textOf(layout.title);
  if (title) {
    const spec = (typeof layout.title === 'object' ? layout.title : {}) as { font?: { size?: number }; yanchor?: string; pad?: { t?: number } };
    const size = spec.font?.size ?? 17;
    // Pinned to the top with padding (toolbar.ts), else in the middle of the top margin as Plotly does.
    const pinned = spec.yanchor === 'top' && spec.pad?.t !== undefined;
    parts.push(multiline(width / 2, pinned ? spec.pad!.t! : Math.min(margin.t / 2, 40), title, { size, anchor: 'middle', color: '#444', baseline: pinned ? 'top' : undefined }));
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">` +
    `<defs>${defs.join('')}</defs>${parts.join('')}</svg>`;
  return { svg, width, height };
}

export async function renderFigurePng(fig: Figure, options: RenderOptions = {}): Promise<Buffer> {
  const { svg } = await renderFigureSvg(fig, options);
  // librsvg renders at 72 dpi = 1 SVG px per pixel; density scales that.
  return sharp(Buffer.from(svg), { density: 72 * (options.scale ?? 1) }).png().toBuffer();
}

function yLabelRoom(axis: AxisModel): number {
  if (!axis.visible) return 0;
  const labels = axis.spec.showticklabels === false ? [] : axis.ticks.labels;
  const widest = Math.max(0, ...labels.map((l) => textWidth(l)));
  return widest + 14 + (textOf(axis.spec.title) ? 28 : 0);
}

function gridLines(s: Subplot): string {
  let d = '';
  const show = (a: AxisModel) => a.visible && a.spec.showgrid !== false && a.kind !== 'category';
  if (show(s.x)) for (const v of s.x.ticks.values) d += `M${n(toPx(s.x, v))},${n(s.top)}V${n(s.bottom)}`;
  if (show(s.y)) for (const v of s.y.ticks.values) d += `M${n(s.left)},${n(toPx(s.y, v))}H${n(s.right)}`;
  return d ? `<path d="${d}" stroke="#eeeeee" stroke-width="1" fill="none"/>` : '';
}

function zeroLines(subplots: Subplot[]): string {
  let d = '';
  for (const s of subplots) {
    const has = (a: AxisModel) => a.visible && a.kind === 'linear' && a.spec.zeroline !== false && Math.min(...a.range) < 0 && Math.max(...a.range) > 0 && s.traces.every((t) => t.type !== 'heatmap' && t.type !== 'image');
    if (has(s.x)) d += `M${n(toPx(s.x, 0))},${n(s.top)}V${n(s.bottom)}`;
    if (has(s.y)) d += `M${n(s.left)},${n(toPx(s.y, 0))}H${n(s.right)}`;
  }
  return d ? `<path d="${d}" stroke="#444444" stroke-width="1" fill="none"/>` : '';
}

function axisLabels(s: Subplot, drawn: Set<string>): string {
  let out = '';
  for (const [axis, letter] of [[s.x, 'x'], [s.y, 'y']] as [AxisModel, Letter][]) {
    if (drawn.has(axis.id) || !axis.visible) continue;
    drawn.add(axis.id);
    const labels = axis.spec.showticklabels === false ? [] : axis.ticks.labels;
    if (letter === 'x') {
      const widest = Math.max(0, ...labels.map((l) => textWidth(l)));
      const room = axis.ticks.values.length > 1 ? Math.abs(toPx(axis, axis.ticks.values[1]) - toPx(axis, axis.ticks.values[0])) : Infinity;
      const rotate = widest > room - 4 ? 30 : 0;
      axis.ticks.values.forEach((v, i) => {
        if (labels[i] === undefined) return;
        out += text(toPx(axis, v), s.bottom + 6, labels[i], rotate ? { anchor: 'start', baseline: 'top', rotate } : { anchor: 'middle', baseline: 'top' });
      });
      const title = textOf(axis.spec.title);
      const below = rotate ? Math.min(60, widest * 0.5) + 16 : 20;
      if (title) out += multiline((s.left + s.right) / 2, s.bottom + below + 14, title, { size: 14, anchor: 'middle', baseline: 'top' });
    } else {
      axis.ticks.values.forEach((v, i) => {
        if (labels[i] !== undefined) out += text(s.left - 6, toPx(axis, v), labels[i], { anchor: 'end' });
      });
      const title = textOf(axis.spec.title);
      const widest = Math.max(0, ...labels.map((l) => textWidth(l)));
      if (title) out += text(s.left - widest - 22, (s.top + s.bottom) / 2, plainLines(title).join(' '), { size: 14, anchor: 'middle', rotate: -90 });
    }
  }
  return out;
}

function refToPx(ref: string | undefined, letter: Letter, v: number, axes: Map<string, AxisModel>, area: PlotArea): number {
  if (ref && ref !== 'paper') {
    const axis = axes.get(ref.replace(/ domain$/, ''));
    if (axis) {
      if (ref.endsWith(' domain')) return letter === 'x' ? axis.start + v * (axis.end - axis.start) : axis.start + v * (axis.end - axis.start);
      return toPx(axis, toUnits(axis, v));
    }
  }
  return letter === 'x' ? area.left + v * (area.right - area.left) : area.bottom - v * (area.bottom - area.top);
}

function annotation(a: Annotation, axes: Map<string, AxisModel>, area: PlotArea): string {
  const x = refToPx(a.xref, 'x', a.x, axes, area);
  const y = refToPx(a.yref, 'y', a.y, axes, area);
  const anchor = a.xanchor === 'left' ? 'start' : a.xanchor === 'right' ? 'end' : 'middle';
  const baseline = a.yanchor === 'bottom' ? 'bottom' : a.yanchor === 'top' ? 'top' : 'middle';
  return multiline(x, y, a.text ?? '', { size: a.font?.size ?? 12, color: a.font?.color ?? '#444', anchor, baseline });
}

async function layoutImages(layout: Layout, axes: Map<string, AxisModel>, subplots: Subplot[], area: PlotArea, layer: 'below' | 'above'): Promise<string> {
  let out = '';
  for (const im of (layout.images ?? []) as LayoutImage[]) {
    if ((im.layer ?? 'above') !== layer || !im.source) continue;
    const x = refToPx(im.xref, 'x', im.x ?? 0, axes, area);
    const y = refToPx(im.yref, 'y', im.y ?? 1, axes, area);
    const w = Math.abs(refToPx(im.xref, 'x', (im.x ?? 0) + (im.sizex ?? 0), axes, area) - x);
    const h = Math.abs(refToPx(im.yref, 'y', (im.y ?? 1) + (im.sizey ?? 0), axes, area) - y);
    if (w < 1 || h < 1) continue;
    const img = await decodeImage(im.source);
    let [dw, dh] = [w, h];
    if ((im.sizing ?? 'contain') === 'contain') {
      const f = Math.min(w / img.width, h / img.height);
      [dw, dh] = [img.width * f, img.height * f];
    }
    const left = im.xanchor === 'right' ? x - dw : im.xanchor === 'center' ? x - dw / 2 : x;
    const top = im.yanchor === 'bottom' ? y - dh : im.yanchor === 'middle' ? y - dh / 2 : y;
    const png = await sharp(Buffer.from(img.rgba), { raw: { width: img.width, height: img.height, channels: 4 } })
      .resize(Math.max(1, Math.round(dw)), Math.max(1, Math.round(dh)), { fit: 'fill' }).png().toBuffer();
    const element = `<image${attrs({ x: Math.round(left), y: Math.round(top), width: Math.round(dw), height: Math.round(dh), opacity: im.opacity !== undefined && im.opacity < 1 ? im.opacity : undefined, preserveAspectRatio: 'none' })} href="data:image/png;base64,${png.toString('base64')}"/>`;
    // Images placed in data coordinates are clipped to their subplot, like Plotly's.
    const s = subplots.findIndex((sp) => im.xref === sp.x.id && im.yref === sp.y.id);
    out += s >= 0 ? `<g clip-path="url(#clip${s})">${element}</g>` : element;
  }
  return out;
}
