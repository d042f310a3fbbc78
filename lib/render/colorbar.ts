// The colour bar beside a heat map: the scale as a vertical gradient with
// ticks and a title, at Plotly's default place (just right of the plot area).
import type { ColorBar } from './figure';
import { textOf } from './figure';
import type { ResolvedScale } from './traces/context';
import { formatTicks, niceTicks } from './ticks';
import { attrs, text, textWidth } from './svg';

export interface ColorBarItem {
  key: string;
  scale: ResolvedScale;
  spec: ColorBar;
}

/** Width the bar needs to its right: bar, tick labels, title. */
export function colorBarWidth(item: ColorBarItem): number {
  const thickness = item.spec.thickness ?? 30;
  const labels = item.spec.ticktext ?? formatTicks(niceTicks(item.scale.range[0], item.scale.range[1], 6));
  return Math.max(thickness + 8 + Math.max(0, ...labels.map((l) => textWidth(l))), ...titleLines(item).map((l) => textWidth(l, 13)));
}

/** The title's lines (Plotly's <br>), tags dropped. */
function titleLines(item: ColorBarItem): string[] {
  const title = textOf(item.spec.title);
  return title ? title.split(/<br\s*\/?>/i).map((l) => l.replace(/<[^>]*>/g, '')) : [];
}

/** Draws the bar with its left edge at `left`, centred on `centreY`. */
export function renderColorBar(item: ColorBarItem, left: number, centreY: number, length: number, id: string): string {
  const thickness = item.spec.thickness ?? 30;
  const lines = titleLines(item);
  const titleHeight = lines.length ? 8 + 16 * lines.length : 0;
  const barLength = Math.max(20, length - titleHeight);
  const top = centreY - length / 2 + titleHeight;
  const bottom = top + barLength;
  const [lo, hi] = item.scale.range;
  const stops = Array.from({ length: 33 }, (_, i) => i / 32)
    .map((f) => `<stop offset="${f}" stop-color="rgb(${item.scale.fn(f).join(',')})"/>`)
    .join('');
  let out = `<defs><linearGradient id="${id}" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient></defs>`;
  out += `<rect${attrs({ x: left, y: top, width: thickness, height: barLength, fill: `url(#${id})`, stroke: '#444', 'stroke-width': 0.5 })}/>`;
  const values = item.spec.tickvals ?? niceTicks(lo, hi, Math.max(2, Math.round(barLength / 40)));
  const labels = item.spec.ticktext ?? formatTicks(values);
  values.forEach((v, i) => {
    const y = bottom - ((v - lo) / (hi - lo || 1)) * barLength;
    if (y < top - 0.5 || y > bottom + 0.5) return;
    out += `<path${attrs({ d: `M${left + thickness},${y}h4`, stroke: '#444', 'stroke-width': 1 })}/>`;
    out += text(left + thickness + 6, y, labels[i] ?? '', { size: 12 });
  });
  lines.forEach((line, i) => (out += text(left, top - titleHeight + 4 + 16 * i, line, { size: 13, baseline: 'top' })));
  return out;
}
