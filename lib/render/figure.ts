// The subset of Plotly's figure format that smile-lens draws: the same JSON
// goes to plotly.js in the notebook (interactive) and to render.ts (the PNG
// fallback), so notebooks build figures once, in Plotly's own vocabulary.
// Fields outside this subset are passed to plotly.js and ignored by the PNG.

export type RGB = [number, number, number];
/** A colour scale as Plotly takes it: a name ('Viridis', 'RdBu', ...) or [[0, colour], ..., [1, colour]]. */
export type Colorscale = string | [number, string][];
export type TextSpec = string | { text?: string; font?: Font };
export type Datum = number | string | null;

export interface Font {
  size?: number;
  color?: string;
  family?: string;
}

export interface ColorBar {
  title?: TextSpec;
  /** Paper x of the bar's left edge (default 1.02, just right of the plot area). */
  x?: number;
  /** Paper y of the bar's centre (default 0.5). */
  y?: number;
  /** Length as a fraction of the plot area height (default 1). */
  len?: number;
  /** Width in pixels (default 30). */
  thickness?: number;
  tickvals?: number[];
  ticktext?: string[];
}

interface TraceBase {
  name?: string;
  xaxis?: string;
  yaxis?: string;
  showlegend?: boolean;
  visible?: boolean | 'legendonly';
  opacity?: number;
  [key: string]: unknown;
}

export interface HeatmapTrace extends TraceBase {
  type: 'heatmap';
  /** z[row][column]: row i is drawn at y[i], column j at x[j]. NaN/null cells stay empty. */
  z: ArrayLike<number | null>[];
  x?: Datum[];
  y?: Datum[];
  colorscale?: Colorscale;
  reversescale?: boolean;
  zmin?: number;
  zmax?: number;
  zmid?: number;
  showscale?: boolean;
  colorbar?: ColorBar;
  /** Share a colour scale and bar with other traces: 'coloraxis', 'coloraxis2', ... */
  coloraxis?: string;
  text?: (string | number)[][];
  /** Cell labels, e.g. '%{z:.2f}' or '%{text}'. */
  texttemplate?: string;
}

export interface ImageTrace extends TraceBase {
  type: 'image';
  /** z[row][column] = [r, g, b] or [r, g, b, a] in 0..255 (a in 0..1, as Plotly). */
  z?: number[][][];
  /** Instead of z: a data URI (data:image/png;base64,...). */
  source?: string;
  x0?: number;
  y0?: number;
  dx?: number;
  dy?: number;
}

export interface ScatterTrace extends TraceBase {
  type: 'scatter' | 'scattergl';
  x?: Datum[];
  y: (number | null)[];
  mode?: string;
  line?: { color?: string; width?: number; dash?: string; shape?: string };
  marker?: { color?: string; size?: number; symbol?: string };
  fill?: 'none' | 'tozeroy' | 'tonexty' | 'toself';
  fillcolor?: string;
}

export interface BarTrace extends TraceBase {
  type: 'bar';
  x?: Datum[];
  y?: Datum[];
  orientation?: 'v' | 'h';
  marker?: { color?: string | string[]; line?: { color?: string; width?: number } };
  error_y?: ErrorBars;
  error_x?: ErrorBars;
  text?: (string | number)[];
}

/** Plotly's error bars: `array` above (and below, unless `arrayminus` is given with symmetric: false). */
export interface ErrorBars {
  type?: 'data';
  array?: number[];
  arrayminus?: number[];
  symmetric?: boolean;
  visible?: boolean;
  color?: string;
}

export type Trace = HeatmapTrace | ImageTrace | ScatterTrace | BarTrace;

export interface Axis {
  title?: TextSpec;
  range?: [number, number];
  autorange?: boolean | 'reversed';
  domain?: [number, number];
  anchor?: string;
  type?: 'linear' | 'log' | 'category' | '-';
  visible?: boolean;
  showticklabels?: boolean;
  showgrid?: boolean;
  zeroline?: boolean;
  tickvals?: number[];
  ticktext?: string[];
  /** 'x' etc.: keep this axis's units per pixel equal to that one's (square image pixels). */
  scaleanchor?: string;
  constrain?: 'range' | 'domain';
  tickformat?: string;
  [key: string]: unknown;
}

export interface Annotation {
  text: string;
  x: number;
  y: number;
  xref?: string;
  yref?: string;
  xanchor?: 'left' | 'center' | 'right' | 'auto';
  yanchor?: 'top' | 'middle' | 'bottom' | 'auto';
  showarrow?: boolean;
  font?: Font;
}

export interface LayoutImage {
  source: string;
  x?: number;
  y?: number;
  sizex?: number;
  sizey?: number;
  xref?: string;
  yref?: string;
  xanchor?: 'left' | 'center' | 'right';
  yanchor?: 'top' | 'middle' | 'bottom';
  sizing?: 'stretch' | 'contain' | 'fill';
  opacity?: number;
  layer?: 'above' | 'below';
}

export interface ColorAxis {
  colorscale?: Colorscale;
  reversescale?: boolean;
  cmin?: number;
  cmax?: number;
  cmid?: number;
  showscale?: boolean;
  colorbar?: ColorBar;
}

export interface Layout {
  title?: TextSpec;
  width?: number;
  height?: number;
  margin?: { l?: number; r?: number; t?: number; b?: number };
  grid?: { rows: number; columns: number; pattern?: 'independent' | 'coupled'; xgap?: number; ygap?: number; roworder?: 'top to bottom' | 'bottom to top' };
  showlegend?: boolean;
  legend?: { orientation?: 'v' | 'h'; x?: number; y?: number };
  barmode?: 'group' | 'overlay' | 'stack';
  annotations?: Annotation[];
  images?: LayoutImage[];
  font?: Font;
  coloraxis?: ColorAxis;
  colorway?: string[];
  paper_bgcolor?: string;
  plot_bgcolor?: string;
  /** xaxis, xaxis2, yaxis, yaxis2, ..., coloraxis2, ... */
  [key: string]: unknown;
}

export interface Figure {
  data: Trace[];
  layout?: Layout;
  config?: Record<string, unknown>;
}

export function textOf(t: TextSpec | undefined): string {
  if (t === undefined) return '';
  return typeof t === 'string' ? t : t.text ?? '';
}
