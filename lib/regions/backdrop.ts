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
  const strip = Math.max(1, Math.round(o.strip * Math.min(h, w)));
  const samples: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const onTop = y < strip;
      const onSide = (x < strip || x >= w - strip) && y < o.sideDepth * h;
      if (onTop || onSide) samples.push(y * w + x);
    }
  }
  // Normalised coordinates keep the normal equations well conditioned.
  const fx = (i: number) => (i % w) / w - 0.5;
  const fy = (i: number) => Math.floor(i / w) / h - 0.5;
  let used = samples;
  let planes = fitPlanes(rgb, used, fx, fy);
  let residuals = used.map((i) => residual(rgb, i, planes, fx, fy));
  for (let pass = 0; pass < 2; pass++) {
    const scale = Math.max(2, 1.4826 * median(residuals));
    const keep = samples.filter((i) => residual(rgb, i, planes, fx, fy) <= 3 * scale);
    if (keep.length < 3) break;
    used = keep;
    planes = fitPlanes(rgb, used, fx, fy);
    residuals = used.map((i) => residual(rgb, i, planes, fx, fy));
  }
  const tolerance = Math.min(o.maxTolerance, Math.max(o.minTolerance, o.sigmas * 1.4826 * median(residuals)));
  const candidate = new Uint8Array(h * w);
  for (let i = 0; i < h * w; i++) candidate[i] = residual(rgb, i, planes, fx, fy) <= tolerance ? 1 : 0;
  const border = new Uint8Array(h * w);
  for (const i of samples) border[i] = 1;
  const mask = componentsTouching(candidate, border, size, 4);
  const inliers = samples.filter((i) => candidate[i]).length / samples.length;
  const colour = planes.map((p) => Math.round(p[0])) as [number, number, number];
  return { mask, colour, inliers, tolerance };
}

type Plane = [number, number, number];

function fitPlanes(rgb: ArrayLike<number>, idx: number[], fx: (i: number) => number, fy: (i: number) => number): Plane[] {
  // Normal equations of least squares on (1, x, y), solved by Cramer's rule.
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  const t = [0, 0, 0].map(() => [0, 0, 0]);
  for (const i of idx) {
    const x = fx(i);
    const y = fy(i);
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

function residual(rgb: ArrayLike<number>, i: number, planes: Plane[], fx: (i: number) => number, fy: (i: number) => number): number {
  const x = fx(i);
  const y = fy(i);
  let s = 0;
  for (let c = 0; c < 3; c++) {
    const d = rgb[i * 3 + c] - (planes[c][0] + planes[c][1] * x + planes[c][2] * y);
    s += d * d;
  }
  return Math.sqrt(s);
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
