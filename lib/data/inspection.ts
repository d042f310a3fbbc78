// What the data notebooks show, computed here so the notebooks stay thin:
// count tables, the confound as a stacked bar chart, sample faces, mean faces
// per expression, label maps in colour, before/after preprocessing images.
import sharp from 'sharp';
import type { BarTrace, Figure, HeatmapTrace } from '../render/figure';
import { EXPRESSIONS, EXPRESSION_NAMES, Expression } from './expressions';
import { createRandom } from '../util/random';
import { RACES, Race } from './cfd-names';
import type { CfdImage } from './catalog';
import type { CatalogSummary } from './summary';
import type { RegionLegend } from './regions';

/** An 8-bit RGB image (same shape as lib/explain's RgbImage). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Images per expression with shares: one row per expression and a total. */
export function expressionCountRows(s: CatalogSummary) {
  const rows = EXPRESSIONS.map((e) => ({
    code: e,
    expression: EXPRESSION_NAMES[e],
    images: s.byExpression[e],
    share: s.images ? s.byExpression[e] / s.images : 0,
  }));
  return [...rows, { code: 'all', expression: 'all', images: s.images, share: 1 }];
}

/** Models and images per race and expression. */
export function raceExpressionRows(s: CatalogSummary) {
  return (Object.keys(s.byRaceExpression) as Race[]).sort().map((r) => ({
    race: `${RACES[r]} (${r})`,
    models: s.modelsByRace[r] ?? 0,
    ...s.byRaceExpression[r]!,
    'only neutral': s.neutralOnlyRaces.includes(r) ? 'yes' : '',
  }));
}

const RACE_COLOURS: Record<Race, string> = { A: '#e69f00', B: '#0072b2', L: '#cc79a7', W: '#009e73', M: '#999999', I: '#d55e00' };

/** Images per expression, stacked by race: the confound at a glance. */
export function countsByRaceFigure(s: CatalogSummary, title = 'Images per expression, by race of the model'): Figure {
  const races = (Object.keys(s.byRaceExpression) as Race[]).sort();
  const data: BarTrace[] = races.map((r) => ({
    type: 'bar',
    name: `${RACES[r]} (${r})`,
    x: EXPRESSIONS.map((e) => e),
    y: EXPRESSIONS.map((e) => s.byRaceExpression[r]![e]),
    marker: { color: RACE_COLOURS[r] },
  }));
  return {
    data,
    layout: {
      title: { text: title },
      barmode: 'stack',
      width: 640,
      height: 400,
      xaxis: { title: { text: 'expression' } },
      yaxis: { title: { text: 'images' } },
    },
  };
}

/** Up to n images per expression, drawn with a seed, one model at most once per expression. */
export function pickSamples<T extends Pick<CfdImage, 'expression' | 'model'>>(items: readonly T[], perExpression: number, seed = 1): Record<Expression, T[]> {
  const random = createRandom(seed);
  const out = {} as Record<Expression, T[]>;
  for (const e of EXPRESSIONS) {
    const pool = random.shuffle(items.filter((i) => i.expression === e));
    const seen = new Set<string>();
    out[e] = [];
    for (const item of pool) {
      if (out[e].length >= perExpression) break;
      if (seen.has(item.model)) continue;
      seen.add(item.model);
      out[e].push(item);
    }
  }
  return out;
}

/** An image file at display size (keeping its aspect ratio), as RGB bytes. */
export async function readDisplayImage(file: string, width = 244): Promise<RgbImage> {
  const { data, info } = await sharp(file).toColourspace('srgb').removeAlpha().resize({ width }).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Image i of a size×size pixel array. */
export function squareImage(pixels: Uint8Array, size: number, i: number): RgbImage {
  const n = size * size * 3;
  return { width: size, height: size, data: pixels.slice(i * n, (i + 1) * n) };
}

/** Per-pixel mean of the given images (0..255 floats, size×size×3). */
export function meanImage(pixels: Uint8Array, size: number, indices: readonly number[]): Float32Array {
  const n = size * size * 3;
  const sum = new Float64Array(n);
  for (const i of indices) for (let p = 0; p < n; p++) sum[p] += pixels[i * n + p];
  return Float32Array.from(sum, (v) => (indices.length ? v / indices.length : 0));
}

export function toRgbImage(floats: Float32Array, size: number): RgbImage {
  return { width: size, height: size, data: Uint8Array.from(floats, (v) => Math.max(0, Math.min(255, Math.round(v)))) };
}

/** The mean face of each expression. */
export function meanFaces(dataset: { pixels: Uint8Array; size: number; labels: Int32Array }): Record<Expression, Float32Array> {
  const out = {} as Record<Expression, Float32Array>;
  EXPRESSIONS.forEach((e, k) => {
    const idx: number[] = [];
    dataset.labels.forEach((l, i) => l === k && idx.push(i));
    out[e] = meanImage(dataset.pixels, dataset.size, idx);
  });
  return out;
}

/** |a − b| averaged over the channels: where two mean faces differ. */
export function differenceMap(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length / 3);
  for (let p = 0; p < out.length; p++) {
    out[p] = (Math.abs(a[3 * p] - b[3 * p]) + Math.abs(a[3 * p + 1] - b[3 * p + 1]) + Math.abs(a[3 * p + 2] - b[3 * p + 2])) / 3;
  }
  return out;
}

/** Heatmaps of where each expression's mean face differs from the neutral one. */
export function differenceFigure(means: Record<Expression, Float32Array>, size: number): Figure {
  const others = EXPRESSIONS.filter((e) => e !== 'N');
  const maps = others.map((e) => differenceMap(means[e], means.N));
  const zmax = Math.max(1, ...maps.map((m) => m.reduce((a, b) => Math.max(a, b), 0)));
  const data: HeatmapTrace[] = maps.map((m, k) => {
    const z: number[][] = [];
    for (let y = 0; y < size; y++) z.push(Array.from(m.subarray(y * size, (y + 1) * size)));
    const n = k === 0 ? '' : String(k + 1);
    return { type: 'heatmap', z, zmin: 0, zmax, coloraxis: 'coloraxis', xaxis: `x${n}`, yaxis: `y${n}`, name: others[k] };
  });
  const layout: Record<string, unknown> = {
    title: { text: '|mean face of each expression − mean neutral face| (grey levels)' },
    width: 900,
    height: 290,
    margin: { l: 10, r: 80, t: 60, b: 10 },
    coloraxis: { colorscale: 'Viridis', cmin: 0, cmax: zmax, colorbar: { title: { text: '|Δ| grey level<br>(0–255)' } } },
    annotations: others.map((e, k) => ({ text: EXPRESSION_NAMES[e], x: (k + 0.5) / others.length, y: 1, xref: 'paper', yref: 'paper', yanchor: 'bottom', showarrow: false })),
  };
  others.forEach((_, k) => {
    const n = k === 0 ? '' : String(k + 1);
    layout[`xaxis${n}`] = { domain: [k / others.length + 0.01, (k + 1) / others.length - 0.01], visible: false, anchor: `y${n}` };
    layout[`yaxis${n}`] = { visible: false, autorange: 'reversed', anchor: `x${n}`, scaleanchor: `x${n}` };
  });
  return { data, layout } as Figure;
}

/** Distinct colours for region ids (background white, so the subject stands out). */
export const REGION_COLOURS: [number, number, number][] = [
  [255, 255, 255],
  [120, 70, 30],
  [240, 190, 160],
  [220, 20, 60],
  [30, 90, 230],
  [40, 170, 60],
  [150, 150, 150],
  [255, 150, 0],
];

/** A label map drawn in colour (ids outside the palette black). */
export function regionImage(ids: Uint8Array, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < ids.length; p++) data.set(REGION_COLOURS[ids[p]] ?? [0, 0, 0], 3 * p);
  return { width, height, data };
}

/** Share of pixels per region, as table rows. */
export function regionShareRows(ids: Uint8Array, legend: RegionLegend) {
  const counts = new Map<number, number>();
  for (const v of ids) counts.set(v, (counts.get(v) ?? 0) + 1);
  return legend.regions.map((r) => ({ id: r.id, region: r.name, share: (counts.get(r.id) ?? 0) / ids.length }));
}

/** A normalised image made visible: each channel's ±3 std mapped to 0..255. */
export function normalisedPreview(floats: Float32Array, size: number): RgbImage {
  return { width: size, height: size, data: Uint8Array.from(floats, (v) => Math.max(0, Math.min(255, Math.round(127.5 + (127.5 * v) / 3)))) };
}

/** Per-channel mean and standard deviation of interleaved RGB floats (to check a normalisation). */
export function channelMoments(floats: Float32Array): { mean: number[]; std: number[] } {
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let p = 0; p < floats.length; p++) {
    sum[p % 3] += floats[p];
    sq[p % 3] += floats[p] * floats[p];
  }
  const n = floats.length / 3;
  const mean = sum.map((s) => s / n);
  return { mean, std: sq.map((q, c) => Math.sqrt(Math.max(0, q / n - mean[c] * mean[c]))) };
}
