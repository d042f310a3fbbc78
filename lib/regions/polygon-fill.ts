// Polygons to masks: a pixel is inside when its centre is (even-odd rule),
// so masks of the same outline at two resolutions agree.
import type { Size } from '../audit/checks';
import type { Point } from './face-mesh-outlines';

/** Sets mask pixels whose centre lies inside the closed polygon to `value`. */
export function fillPolygon(mask: Uint8Array, size: Size, polygon: readonly Point[], value = 1): Uint8Array {
  const { height: h, width: w } = size;
  const n = polygon.length;
  if (n < 3) return mask;
  let top = Infinity;
  let bottom = -Infinity;
  for (const [, y] of polygon) {
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  }
  const crossings: number[] = [];
  for (let y = Math.max(0, Math.ceil(top - 0.5)); y <= Math.min(h - 1, Math.floor(bottom - 0.5)); y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [xi, yi] = polygon[i];
      const [xj, yj] = polygon[j];
      if (yi > cy !== yj > cy) crossings.push(xi + ((cy - yi) / (yj - yi)) * (xj - xi));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const to = Math.min(w - 1, Math.floor(crossings[k + 1] - 0.5));
      if (to >= from) mask.fill(value, y * w + from, y * w + to + 1);
    }
  }
  return mask;
}

/** A fresh mask of a polygon. */
export function polygonMask(size: Size, polygon: readonly Point[]): Uint8Array {
  return fillPolygon(new Uint8Array(size.height * size.width), size, polygon);
}

/** Convex hull (Andrew's monotone chain), counter-clockwise. */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}
