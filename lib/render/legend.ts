// The legend: one entry per named line or bar trace, with its line, marker
// or swatch, to the right of the plot area (Plotly's default place), or in a
// row below it for layout.legend.orientation 'h'.
import type { BarTrace, ScatterTrace } from './figure';
import { attrs, text, textWidth } from './svg';

export interface LegendEntry {
  name: string;
  kind: 'line' | 'marker' | 'line+marker' | 'box';
  color: string;
  dash?: string;
}

const ROW = 20;
const SWATCH = 30;

export function legendEntry(t: ScatterTrace | BarTrace, color: string, kind: LegendEntry['kind']): LegendEntry {
  return { name: t.name ?? '', kind, color, dash: t.type === 'bar' ? undefined : (t as ScatterTrace).line?.dash };
}

export function legendSize(entries: LegendEntry[], horizontal: boolean): { width: number; height: number } {
  const widths = entries.map((e) => SWATCH + 6 + textWidth(e.name) + 12);
  if (horizontal) return { width: widths.reduce((a, b) => a + b, 0) + 8, height: ROW + 8 };
  return { width: Math.max(0, ...widths) + 8, height: entries.length * ROW + 8 };
}

export function renderLegend(entries: LegendEntry[], left: number, top: number, horizontal: boolean): string {
  let out = '';
  let x = left + 4;
  let y = top + 4 + ROW / 2;
  for (const e of entries) {
    const mid = x + SWATCH / 2;
    if (e.kind === 'box') out += `<rect${attrs({ x: x + 6, y: y - 6, width: SWATCH - 12, height: 12, fill: e.color })}/>`;
    if (e.kind.includes('line')) {
      out += `<path${attrs({ d: `M${x + 2},${y}h${SWATCH - 4}`, stroke: e.color, 'stroke-width': 2, 'stroke-dasharray': e.dash ? '6,3' : undefined })}/>`;
    }
    if (e.kind.includes('marker')) out += `<circle${attrs({ cx: mid, cy: y, r: 3, fill: e.color })}/>`;
    out += text(x + SWATCH + 6, y, e.name, { size: 12 });
    if (horizontal) x += SWATCH + 6 + textWidth(e.name) + 12;
    else y += ROW;
  }
  return out;
}
