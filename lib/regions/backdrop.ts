// The photo's backdrop, estimated from the picture's border. The CFD's
// backdrop is a uniform near-white wall, lit a little unevenly, so its colour
// is fitted as a plane per channel (c = a + b·x + c·y) to the pixels along the
// top and the upper sides (the bottom edge is the shirt), with outliers (hair
// reaching the edge) dropped and the fit repeated. Backdrop = pixels within a
// tolerance of that plane, connected (4-neighbours) to the border: the whites
// of the eyes or a light shirt inside the silhouette never count.
import { Size, checkSize } from '../audit/checks';
import { componentsTouching } from '../audit/binary-morphology';

export interface BackdropOptions {
  /** Width of the border strip sampled, as a fraction of the shorter side. */
  strip: number;
  /** Sides are sampled down to this fraction of the height (below is the shirt). */
  sideDepth: number;
  /** Least colour distance (RGB, 0..441) still counted as backdrop. */
  minTolerance: number;
  /** Tolerance in robust standard deviations of the border's residuals. */
  sigmas: number;
  /** Most colour distance counted as backdrop (a busy border must not swallow the person). */
  maxTolerance: number;
}

export const BACKDROP_DEFAULTS: BackdropOptions = { strip: 0.02, sideDepth: 0.6, minTolerance: 24, sigmas: 5, maxTolerance: 48 };

export interface Backdrop {
  /** 1 on the backdrop. */
  mask: Uint8Array;
  /** Fitted colour at the picture's centre (RGB). */
  colour: [number, number, number];
  /** Fraction of the border samples the plane explains (low: no uniform backdrop). */
  inliers: number;
  tolerance: number;
}

export function estimateBackdrop(rgb: ArrayLike<number>, size: Size, options: Partial<BackdropOptions> = {}): Backdrop {
  checkSize(size, 'backdrop image size');
  const o = { ...BACKDROP_DEFAULTS, ...options };
  const { height: h, width: w } = size;
  const n = h * w;
  const strip = Math.max(1, Math.round(o.strip * Math.min(h, w)));
  const border = new Uint8Array(n);
  let count = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const onTop = y < strip;
      const onSide = (x < strip || x >= w - strip) && y < o.sideDepth * h;
      if (onTop || onSide) {
        border[y * w + x] = 1;
        count++;
      }
    }
  }
  const samples = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (border[i]) samples[k++] = i;
  // Normalised coordinates keep the normal equations well conditioned.
  const fx = new Float64Array(w).map((_, x) => x / w - 0.5);
  const fy = new Float64Array(h).map((_, y) => y / h - 0.5);
  const residuals = (planes: Plane[], idx: Int32Array) => {
    const out = new Float64Array(idx.length);
    for (let k = 0; k < idx.length; k++) out[k] = residual(rgb, idx[k], w, planes, fx, fy);
    return out;
  };
  let used = samples;
  let planes = fitPlanes(rgb, used, w, fx, fy);
  let r = residuals(planes, used);
  for (let pass = 0; pass < 2; pass++) {
    const cut = 3 * Math.max(2, 1.4826 * median(r));
    const all = residuals(planes, samples);
    const keep = samples.filter((_, k) => all[k] <= cut);
    if (keep.length < 3) break;
    used = keep;
    planes = fitPlanes(rgb, used, w, fx, fy);
    r = residuals(planes, used);
  }
  const tolerance = Math.min(o.maxTolerance, Math.max(o.minTolerance, o.sigmas * 1.4826 * median(r)));
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) candidate[i] = residual(rgb, i, w, planes, fx, fy) <= tolerance ? 1 : 0;
  const mask = componentsTouching(candidate, border, size, 4);
  let inliers = 0;
  for (let k = 0; k < samples.length; k++) inliers += candidate[samples[k]];
  const colour = planes.map((p) => Math.round(p[0])) as [number, number, number];
  return { mask, colour, inliers: inliers / samples.length, tolerance };
}

type Plane = [number, number, number];

function fitPlanes(rgb: ArrayLike<number>, idx: Int32Array, w: number, fx: Float64Array, fy: Float64Array): Plane[] {
  // Normal equations of least squares on (1, x, y), solved by Cramer's rule.
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  const t = [0, 0, 0].map(() => [0, 0, 0]);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const row = (i / w) | 0;
    const x = fx[i - row * w];
    const y = fy[row];
    n++; sx += x; sy += y; sxx += x * x; sxy += x * y; syy += y * y;
    for (let c = 0; c < 3; c++) {
      const v = rgb[i * 3 + c];
      t[c][0] += v; t[c][1] += v * x; t[c][2] += v * y;
    }
  }
  const m = [[n, sx, sy], [sx, sxx, sxy], [sy, sxy, syy]];
  const det3 = (a: number[][]) => a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det3(m);
  return t.map((rhs) => {
    if (Math.abs(d) < 1e-9) return [rhs[0] / Math.max(1, n), 0, 0] as Plane;
    const solve = (col: number) => det3(m.map((row, r) => row.map((v, k) => (k === col ? rhs[r] : v)))) / d;
    return [solve(0), solve(1), solve(2)] as Plane;
  });
}

function residual(rgb: ArrayLike<number>, i: number, w: number, planes: Plane[], fx: Float64Array, fy: Float64Array): number {
  const row = (i / w) | 0;
  const x = fx[i - row * w];
  const y = fy[row];
  const d0 = rgb[i * 3] - (planes[0][0] + planes[0][1] * x + planes[0][2] * y);
  const d1 = rgb[i * 3 + 1] - (planes[1][0] + planes[1][1] * x + planes[1][2] * y);
  const d2 = rgb[i * 3 + 2] - (planes[2][0] + planes[2][1] * x + planes[2][2] * y);
  return Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
}

/** The median (mean of the middle two for an even count); `values` is left as it was. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  const a = Float64Array.from(values);
  const m = n >> 1;
  const upper = select(a, m);
  return n % 2 ? upper : (upper + max(a, m)) / 2;
}

/** The k-th smallest of `a` (0-based), by quickselect; reorders `a` so that a[0..k) ≤ a[k]. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // Median of three as the pivot keeps sorted input linear.
    const mid = (lo + hi) >> 1;
    const p = a[lo] < a[mid] ? (a[mid] < a[hi] ? a[mid] : a[lo] < a[hi] ? a[hi] : a[lo]) : a[lo] < a[hi] ? a[lo] : a[mid] < a[hi] ? a[hi] : a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Largest of a[0..end). */
function max(a: Float64Array, end: number): number {
  let m = -Infinity;
  for (let i = 0; i < end; i++) if (a[i] > m) m = a[i];
  return m;
}
