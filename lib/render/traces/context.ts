// What a trace renderer gets: its subplot (axes with pixel mappings) and the
// figure-wide state it shares with other traces.
import type { AxisModel, Subplot } from '../axes';
import type { ScaleFn } from '../colorscale';
import type { Figure, Layout } from '../figure';

export interface ResolvedScale {
  fn: ScaleFn;
  range: [number, number];
}

export interface TraceContext {
  figure: Figure;
  layout: Layout;
  subplot: Subplot;
  /** The trace's default colour (Plotly's colourway by trace index). */
  color: string;
  /** The colour scale of a heatmap trace (own or shared coloraxis). */
  scale?: ResolvedScale;
  /** Pixel outline of the previous scatter trace in the same subplot (fill: 'tonexty'). */
  previousLine?: [number, number][];
  /** This bar trace's slot among the bar traces of its subplot. */
  bar?: { index: number; count: number; mode: 'group' | 'overlay' | 'stack'; base: Map<number, number> };
}

export function axisOf(ctx: TraceContext, letter: 'x' | 'y'): AxisModel {
  return letter === 'x' ? ctx.subplot.x : ctx.subplot.y;
}
