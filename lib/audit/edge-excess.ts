// Edge excess of an attribution map: the share of the absolute attribution
// that falls in a band of `band` rows or columns along each border, divided
// by the band's share of the picture. A map that spreads its mass evenly
// scores 1 on every side; a stripe along the right and bottom edges (what
// TF 'same' padding at stride 2 produced, see lib/model/paper-net.ts) shows
// as right/bottom ≫ 1 while left/top stay near 1.
import { checkMap, Size } from './checks';

export interface EdgeExcess {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export const EDGE_BAND = 4;

/** Edge excess per side of an H×W map (row-major); NaN for a map that is zero everywhere. */
export function edgeExcess(map: ArrayLike<number>, size: Size, band = EDGE_BAND): EdgeExcess {
  checkMap(map, size, 'edge excess: map');
  const { height: h, width: w } = size;
  if (!Number.isInteger(band) || band < 1 || 2 * band > Math.min(h, w)) throw new Error(`edge excess: band must be an integer in 1…${Math.floor(Math.min(h, w) / 2)}, got ${band}`);
  let total = 0;
  const sums = { top: 0, bottom: 0, left: 0, right: 0 };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = Math.abs(map[y * w + x]);
      total += v;
      if (y < band) sums.top += v;
      if (y >= h - band) sums.bottom += v;
      if (x < band) sums.left += v;
      if (x >= w - band) sums.right += v;
    }
  }
  const ratio = (s: number, bandArea: number) => (total > 0 ? s / total / (bandArea / (h * w)) : NaN);
  return { top: ratio(sums.top, band * w), bottom: ratio(sums.bottom, band * w), left: ratio(sums.left, band * h), right: ratio(sums.right, band * h) };
}
