// Colour scales shared by the PNG overlays (lib/explain/overlay.ts), the
// Plotly figures and the notebooks, so that a map looks the same everywhere.
//
// Sequential (Grad-CAM, t ∈ [0, 1]):
//   viridis, inferno – matplotlib's perceptually uniform maps, as 17 anchors
//                      (every 16th entry of its 256-entry tables: 0, 16, …,
//                      240, 255), linearly interpolated: within 1/255 of the
//                      full table over most of the range, up to ~5/255 in blue
//                      near the yellow end of viridis (checked in the tests);
//   jet              – matplotlib's jet, exactly (its definition is piecewise
//                      linear), for comparison with the usual Grad-CAM figures.
// Diverging (GradientSHAP, t ∈ [−1, 1]): ColorBrewer RdBu, red for positive,
// blue for negative, with the centre set to pure white so zero is white.
//
// Colours are [r, g, b] integers 0–255. t outside the range is clamped; NaN
// is treated as 0.

export type Rgb = [number, number, number];
export type SequentialName = 'viridis' | 'inferno' | 'jet';
export const SEQUENTIAL_NAMES: readonly SequentialName[] = ['viridis', 'inferno', 'jet'];

/** A piecewise-linear scale: anchor positions (increasing, 0…1) and colours in 0–1. */
interface Anchors {
  t: number[];
  rgb: [number, number, number][];
}

function fromHex(hex: string[]): Anchors {
  return {
    t: hex.map((_, i) => (i === hex.length - 1 ? 1 : (16 * i) / 255)),
    rgb: hex.map((h) => [0, 2, 4].map((o) => parseInt(h.slice(1 + o, 3 + o), 16) / 255) as [number, number, number]),
  };
}

// matplotlib viridis, entries 0, 16, …, 240, 255 (the same anchors as Plotly's 'Viridis').
const VIRIDIS = fromHex([
  '#440154', '#48186a', '#472d7b', '#424086', '#3b528b', '#33638d', '#2c728e', '#26828e', '#21918c',
  '#1fa088', '#28ae80', '#3fbc73', '#5ec962', '#84d44b', '#addc30', '#d8e219', '#fde725',
]);

// matplotlib inferno (_cm_listed.py), entries 0, 16, …, 240, 255.
const INFERNO: Anchors = {
  t: [...Array.from({ length: 16 }, (_, i) => (16 * i) / 255), 1],
  rgb: [
    [0.001462, 0.000466, 0.013866], [0.042253, 0.028139, 0.141141], [0.129285, 0.047293, 0.290788],
    [0.238273, 0.036621, 0.396353], [0.3415, 0.062325, 0.429425], [0.441207, 0.099338, 0.431594],
    [0.54092, 0.134729, 0.415123], [0.640135, 0.171438, 0.381065], [0.735683, 0.215906, 0.330245],
    [0.822386, 0.275197, 0.266085], [0.894305, 0.353399, 0.193584], [0.946965, 0.449191, 0.115272],
    [0.978422, 0.557937, 0.034931], [0.987874, 0.675267, 0.065257], [0.974638, 0.797692, 0.206332],
    [0.947594, 0.917399, 0.410665], [0.988362, 0.998364, 0.644924],
  ],
};

// matplotlib's jet segment data: per channel, (t, value) breakpoints.
const JET_SEGMENTS: [number, number][][] = [
  [[0, 0], [0.35, 0], [0.66, 1], [0.89, 1], [1, 0.5]],
  [[0, 0], [0.125, 0], [0.375, 1], [0.64, 1], [0.91, 0], [1, 0]],
  [[0, 0.5], [0.11, 1], [0.34, 1], [0.65, 0], [1, 0]],
];

function segmentValue(segments: [number, number][], t: number): number {
  for (let i = 1; i < segments.length; i++) {
    const [t1, v1] = segments[i];
    if (t <= t1) {
      const [t0, v0] = segments[i - 1];
      return v0 + ((t - t0) / (t1 - t0)) * (v1 - v0);
    }
  }
  return segments[segments.length - 1][1];
}

// Jet as anchors at the union of its breakpoints: exactly the same function.
const JET: Anchors = (() => {
  const t = [...new Set(JET_SEGMENTS.flatMap((s) => s.map(([p]) => p)))].sort((a, b) => a - b);
  return { t, rgb: t.map((p) => JET_SEGMENTS.map((s) => segmentValue(s, p)) as [number, number, number]) };
})();

// ColorBrewer RdBu (11 classes), from t = −1 (blue) to t = +1 (red); the
// centre #f7f7f7 replaced by white.
const DIVERGING = (() => {
  const hex = ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#ffffff', '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f'];
  const a = fromHex(hex);
  return { t: hex.map((_, i) => i / (hex.length - 1)), rgb: a.rgb };
})();

const SCALES: Record<SequentialName, Anchors> = { viridis: VIRIDIS, inferno: INFERNO, jet: JET };

function clamp01(t: number): number {
  if (Number.isNaN(t)) return 0;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

function interpolate(a: Anchors, t: number): Rgb {
  let i = 1;
  while (i < a.t.length - 1 && t > a.t[i]) i++;
  const span = a.t[i] - a.t[i - 1];
  const f = span > 0 ? Math.min(1, Math.max(0, (t - a.t[i - 1]) / span)) : 1;
  const lo = a.rgb[i - 1];
  const hi = a.rgb[i];
  return [0, 1, 2].map((k) => Math.round(255 * (lo[k] + f * (hi[k] - lo[k])))) as Rgb;
}

/** Sequential colour for t ∈ [0, 1] (Grad-CAM). */
export function sequential(t: number, name: SequentialName = 'viridis'): Rgb {
  const scale = SCALES[name];
  if (!scale) throw new Error(`colormap: unknown sequential scale "${name}"; expected one of ${SEQUENTIAL_NAMES.join(', ')}`);
  return interpolate(scale, clamp01(t));
}

/** Diverging colour for t ∈ [−1, 1] (GradientSHAP): red positive, blue negative, white at 0. */
export function diverging(t: number): Rgb {
  const u = Number.isNaN(t) ? 0 : t;
  return interpolate(DIVERGING, clamp01((u + 1) / 2));
}

export type PlotlyColorscale = [number, string][];

function toPlotly(a: Anchors): PlotlyColorscale {
  return a.t.map((t, i) => {
    const [r, g, b] = a.rgb[i].map((v) => Math.round(255 * v));
    return [t, `rgb(${r},${g},${b})`];
  });
}

/** The sequential scale as a Plotly colorscale ([[position, 'rgb(…)'], …], positions 0…1). */
export function plotlySequential(name: SequentialName = 'viridis'): PlotlyColorscale {
  const scale = SCALES[name];
  if (!scale) throw new Error(`colormap: unknown sequential scale "${name}"`);
  return toPlotly(scale);
}

/**
 * The diverging scale as a Plotly colorscale. Positions 0…1 stand for −1…+1:
 * give Plotly a symmetric range (zmin = −zmax, or zmid: 0) so white is at 0.
 */
export function plotlyDiverging(): PlotlyColorscale {
  return toPlotly(DIVERGING);
}
