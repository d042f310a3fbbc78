// Plotly colour scales (a name or [[t, colour], ...]) as functions t ∈ [0, 1]
// → RGB, so the PNG shows the colours plotly.js shows. Arrays are what
// smile-lens's own scales give (colormap.ts: plotlySequential, plotlyDiverging);
// a few of plotly.js's built-in names are known too, with plotly.js's stops.
import { parseColor } from './color';
import { plotlySequential } from './colormap';
import type { Colorscale, RGB } from './figure';

// plotly.js src/components/colorscale/scales.js (their definitions, not ours).
const PLOTLY_NAMED: Record<string, [number, string][]> = {
  greys: [[0, 'rgb(0,0,0)'], [1, 'rgb(255,255,255)']],
  rdbu: [[0, 'rgb(5,10,172)'], [0.35, 'rgb(106,137,247)'], [0.5, 'rgb(190,190,190)'], [0.6, 'rgb(220,170,132)'], [0.7, 'rgb(230,145,90)'], [1, 'rgb(178,10,28)']],
  hot: [[0, 'rgb(0,0,0)'], [0.3, 'rgb(230,0,0)'], [0.6, 'rgb(255,210,0)'], [1, 'rgb(255,255,255)']],
  jet: [[0, 'rgb(0,0,131)'], [0.125, 'rgb(0,60,170)'], [0.375, 'rgb(5,255,255)'], [0.625, 'rgb(255,255,0)'], [0.875, 'rgb(250,0,0)'], [1, 'rgb(128,0,0)']],
};

/** plotly.js's default when a heatmap names no colour scale. */
const DEFAULT_SCALE = 'rdbu';

function stopsFor(scale: Colorscale | undefined): [number, string][] {
  if (Array.isArray(scale)) return scale;
  const name = (scale ?? DEFAULT_SCALE).toLowerCase();
  if (name === 'viridis') return plotlySequential('viridis');
  const stops = PLOTLY_NAMED[name];
  if (!stops) {
    throw new Error(
      `colour scale "${scale}" is not known to the PNG renderer (known: Viridis, ${Object.keys(PLOTLY_NAMED).join(', ')}); ` +
        `pass an array, e.g. plotlySequential('inferno') or plotlyDiverging() from lib/render/colormap`,
    );
  }
  return stops;
}

export type ScaleFn = (t: number) => RGB;

export function colorscaleFn(scale: Colorscale | undefined, reverse = false): ScaleFn {
  const stops = stopsFor(scale)
    .map(([t, c]) => {
      const rgba = parseColor(c);
      if (!rgba) throw new Error(`colour scale: cannot read colour "${c}"`);
      return { t, rgb: [rgba[0], rgba[1], rgba[2]] as RGB };
    })
    .sort((a, b) => a.t - b.t);
  if (stops.length === 0) throw new Error('colour scale: no stops');
  return (t: number) => {
    let u = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
    if (reverse) u = 1 - u;
    if (u <= stops[0].t) return stops[0].rgb;
    for (let i = 1; i < stops.length; i++) {
      if (u <= stops[i].t) {
        const a = stops[i - 1];
        const b = stops[i];
        const f = b.t > a.t ? (u - a.t) / (b.t - a.t) : 1;
        return [0, 1, 2].map((k) => Math.round(a.rgb[k] + f * (b.rgb[k] - a.rgb[k]))) as RGB;
      }
    }
    return stops[stops.length - 1].rgb;
  };
}

/** Plotly's colour range: explicit min/max, else the data's; a mid value makes it symmetric around it. */
export function colorRange(values: Iterable<number>, min?: number, max?: number, mid?: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (mid !== undefined && min === undefined && max === undefined) {
    const half = Math.max(Math.abs(hi - mid), Math.abs(mid - lo)) || 1;
    return [mid - half, mid + half];
  }
  lo = min ?? lo;
  hi = max ?? hi;
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  return [lo, hi];
}
