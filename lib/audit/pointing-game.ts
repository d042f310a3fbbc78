// Pointing game (Zhang et al. 2018, "Top-down neural attention by excitation
// backprop", IJCV): does the map's maximum point into the region? A hit when
// the arg-max lies inside the ground truth, or within `tolerance` pixels of
// it (Zhang et al. allow 15 pixels at their input resolution, to forgive a
// maximum that sits just on an object's edge; here Euclidean distance, 0 by
// default).
//
// Ties. When several pixels share the maximum (an upsampled Grad-CAM block,
// a saturated map), the score is the fraction of them that hit: the
// probability that a uniformly random pick among the maxima hits. A unique
// maximum scores exactly 1 or 0; a constant map scores the region's (dilated)
// area share, i.e. chance. Quantus (PointingGame) counts a hit if ANY tied
// maximum hits, which gives a constant map a hit for every region; it also
// has no tolerance but offers a 'weighted' score, not reproduced here.
import { AttributionMap, Mask, Size, checkMap, checkNonEmptyMask, checkSize } from './checks';

export interface PointingGameOptions {
  /** Hit radius in pixels around the region (Euclidean); 0 = the maximum must lie inside. */
  tolerance?: number;
}

export interface PointingGameResult {
  /** 1 = hit, 0 = miss; in between only when the maximum is tied (fraction of tied maxima that hit). */
  score: number;
  /** Number of pixels sharing the maximum value. */
  maxima: number;
  /** The first maximum in row-major order (for drawing). */
  point: { y: number; x: number };
}

/** Is (y, x) inside the mask or within `radius` of a pixel inside it? */
function nearMask(mask: Mask, size: Size, y: number, x: number, radius: number): boolean {
  const r = Math.floor(radius);
  const r2 = radius * radius;
  for (let dy = -r; dy <= r; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= size.height) continue;
    for (let dx = -r; dx <= r; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= size.width || dy * dy + dx * dx > r2) continue;
      if (mask[yy * size.width + xx]) return true;
    }
  }
  return false;
}

export function pointingGame(map: AttributionMap, mask: Mask, size: Size, options: PointingGameOptions = {}): PointingGameResult {
  checkSize(size, 'pointing game size');
  checkMap(map, size, 'attribution map');
  checkNonEmptyMask(mask, size, 'ground-truth mask');
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new Error(`pointing game: expected a tolerance ≥ 0 pixels, got ${tolerance}`);
  }
  let max = -Infinity;
  for (let i = 0; i < map.length; i++) if (map[i] > max) max = map[i];
  let maxima = 0;
  let hits = 0;
  let first = -1;
  for (let i = 0; i < map.length; i++) {
    if (map[i] !== max) continue;
    if (first < 0) first = i;
    maxima++;
    const y = Math.floor(i / size.width);
    const x = i % size.width;
    if (mask[i] || (tolerance > 0 && nearMask(mask, size, y, x, tolerance))) hits++;
  }
  return { score: hits / maxima, maxima, point: { y: Math.floor(first / size.width), x: first % size.width } };
}
