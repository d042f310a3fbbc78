// How an attribution map is shown, described by the map's kind rather than by
// the method that made it: a figure never asks "is this Grad-CAM?", it reads
// the descriptor an explainer supplies (lib/explain's registry: Grad-CAM's
// maps are non-negative, so sequential; GradientSHAP's are signed, so
// diverging) and draws every map of one descriptor on ONE colour scale, so
// panels of different seeds and expressions can be compared.
//
//   sequential  0 … top, top = a percentile of the values over the grid
//               (default the 100th: the maximum, nothing clipped);
//   diverging   −c … +c, symmetric around 0 so white means "no evidence",
//               c = a percentile of |value| over the grid (default the 99th:
//               the few largest values are clipped, or they would wash out
//               the rest);
//   absolute    a signed map's magnitude |value| on a sequential scale
//               (where the evidence is, whatever its sign);
//   smooth      a Gaussian of σ pixels before display (pixel-level maps such
//               as GradientSHAP's are speckled; the stored maps stay raw).
import { blurMap } from '../explain/gaussian-blur';
import { percentile } from '../explain/percentile';
import { plotlyDiverging, plotlySequential, SequentialName } from '../render/colormap';
import type { Colorscale } from '../render/figure';
import type { MapDisplay } from '../explain/explainer';

/** An explainer's display (scale, unit, label) and how this figure shows it. */
export interface MapVisualisation extends MapDisplay {
  /** Percentile over the grid shown at full colour; larger values are clipped (default: sequential 100, diverging and absolute 99). */
  clipPercentile?: number;
  /** Gaussian smoothing before display, σ in pixels (default none). */
  smooth?: number;
  /** Show |value| on a sequential scale (for signed maps). */
  absolute?: boolean;
  /** The sequential colour scale (default viridis). */
  sequentialScale?: SequentialName;
}

/** One colour scale shared by every map of a descriptor in a figure. */
export interface MapScale {
  kind: 'sequential' | 'diverging';
  /** Values mapped to the ends of the scale: [0, top] or [−c, c]. */
  range: [number, number];
  /** The percentile the top (or c) is, of values (sequential) or |values| (diverging). */
  percentile: number;
  colorscale: Colorscale;
  sequentialScale: SequentialName;
  /** The colour bar's title: what, unit, smoothing and clipping, in short lines (Plotly's <br>). */
  title: string;
}

function validate(v: MapVisualisation): void {
  if (v.scale !== 'sequential' && v.scale !== 'diverging') throw new Error(`map visualisation: scale must be 'sequential' or 'diverging', got ${JSON.stringify(v.scale)}`);
  if (!v.unit) throw new Error('map visualisation: give the unit of the map (e.g. "logit") for the colour bar');
  if (v.clipPercentile !== undefined && !(v.clipPercentile > 0 && v.clipPercentile <= 100)) throw new Error(`map visualisation: clipPercentile must be in (0, 100], got ${v.clipPercentile}`);
  if (v.smooth !== undefined && !(v.smooth >= 0)) throw new Error(`map visualisation: smooth (σ in pixels) must be ≥ 0, got ${v.smooth}`);
}

/** The kind of scale a descriptor ends up on (the absolute view of anything is sequential). */
export function displayKind(v: MapVisualisation): 'sequential' | 'diverging' {
  return v.absolute || v.scale === 'sequential' ? 'sequential' : 'diverging';
}

/** Panels that share a scale: the same descriptor, field for field. */
export function scaleKey(v: MapVisualisation): string {
  return JSON.stringify([displayKind(v), v.unit, v.label ?? '', v.clipPercentile ?? null, v.smooth ?? 0, !!v.absolute, v.sequentialScale ?? 'viridis']);
}

/** The values as drawn: smoothed, then |value| for the absolute view. */
export function displayValues(map: ArrayLike<number>, width: number, height: number, v: MapVisualisation): Float32Array {
  validate(v);
  const smoothed = v.smooth ? blurMap(map, width, height, v.smooth) : Float32Array.from(map);
  if (v.absolute) for (let i = 0; i < smoothed.length; i++) smoothed[i] = Math.abs(smoothed[i]);
  return smoothed;
}

function formatValue(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/** The one scale for these maps (display values, see displayValues) under descriptor v. */
export function mapScale(maps: readonly ArrayLike<number>[], v: MapVisualisation): MapScale {
  validate(v);
  const kind = displayKind(v);
  const p = v.clipPercentile ?? (kind === 'diverging' || v.absolute ? 99 : 100);
  const total = maps.reduce((n, m) => n + m.length, 0);
  const pooled = new Float64Array(total);
  let k = 0;
  // Sequential maps are non-negative by contract (a negative value is shown as 0).
  for (const m of maps) for (let i = 0; i < m.length; i++) pooled[k++] = kind === 'diverging' ? Math.abs(m[i]) : Math.max(0, m[i]);
  const top = total ? percentile(pooled, p) : 0;
  const what = `${v.absolute ? '|' : ''}${v.label ?? 'attribution'}${v.absolute ? '|' : ''}`;
  const smooth = v.smooth ? `<br>smoothed, σ ${v.smooth} px` : '';
  const clipped = p < 100 ? `<br>${kind === 'diverging' ? '±' : ''}${formatValue(top)} = p${p} of ${kind === 'diverging' ? '|value|' : 'values'},<br>larger values clipped` : '';
  const sequentialScale = v.sequentialScale ?? 'viridis';
  return {
    kind,
    // An all-zero grid still gets a scale a bar can be drawn for.
    range: kind === 'diverging' ? [-(top || 1), top || 1] : [0, top || 1],
    percentile: p,
    colorscale: kind === 'diverging' ? plotlyDiverging() : plotlySequential(sequentialScale),
    sequentialScale,
    title: `${what} (${v.unit})${smooth}${clipped}`,
  };
}
