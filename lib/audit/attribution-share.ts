// Where does the attribution go? For each region, the share of the map's mass
// that falls inside it, read against the share of the picture the region
// covers: a map that spread its mass uniformly would put exactly the area
// share in every region, so "40% on hair" means something only next to "hair
// is 12% of the picture" (ratio 3.3: hair gets 3.3 times its fair share).
//
// Two masses, because the methods differ in sign: Grad-CAM is non-negative
// after its ReLU; GradientSHAP is signed, and its negative evidence ("this
// pixel argues against the class") is attribution too.
//   positive share = Σ_region max(a, 0) / Σ_all max(a, 0)
//   absolute share = Σ_region |a| / Σ_all |a|
// A map without positive (or without any) mass has no shares: they are NaN
// and flagged, never a division by zero.
import { AttributionMap, Mask, checkMap, checkMask } from './checks';

export interface RegionShare {
  /** Pixels inside the region. */
  pixels: number;
  /** Fraction of the picture the region covers: a uniform map's share. */
  area: number;
  positiveShare: number;
  absoluteShare: number;
  /** positiveShare / area (1 = the region gets its fair share; NaN for an empty region). */
  positiveRatio: number;
  absoluteRatio: number;
}

export interface AttributionShares {
  regions: Record<string, RegionShare>;
  /** What no region claims (pixels outside every mask); all zeros when the masks cover the picture. */
  rest: RegionShare;
  positiveMass: number;
  absoluteMass: number;
  /** No positive value anywhere: positive shares are NaN. */
  noPositiveMass: boolean;
  /** All-zero map: every share is NaN. */
  allZero: boolean;
}

function share(map: AttributionMap, inside: (i: number) => boolean, positiveMass: number, absoluteMass: number): RegionShare {
  let pixels = 0;
  let positive = 0;
  let absolute = 0;
  for (let i = 0; i < map.length; i++) {
    if (!inside(i)) continue;
    pixels++;
    const a = map[i];
    if (a > 0) positive += a;
    absolute += Math.abs(a);
  }
  const area = pixels / map.length;
  const positiveShare = positiveMass > 0 ? positive / positiveMass : NaN;
  const absoluteShare = absoluteMass > 0 ? absolute / absoluteMass : NaN;
  return {
    pixels,
    area,
    positiveShare,
    absoluteShare,
    positiveRatio: area > 0 ? positiveShare / area : NaN,
    absoluteRatio: area > 0 ? absoluteShare / area : NaN,
  };
}

/**
 * Shares of the map's mass per region. Masks may overlap (e.g. 'face' and
 * 'skin'); `rest` is what lies outside all of them.
 */
export function attributionShares(map: AttributionMap, masks: Record<string, Mask>): AttributionShares {
  checkMap(map, map.length, 'attribution map');
  if (map.length === 0) throw new Error('attribution map: expected at least one value, got an empty map');
  const names = Object.keys(masks);
  for (const name of names) checkMask(masks[name], map.length, `mask '${name}'`);
  let positiveMass = 0;
  let absoluteMass = 0;
  for (let i = 0; i < map.length; i++) {
    if (map[i] > 0) positiveMass += map[i];
    absoluteMass += Math.abs(map[i]);
  }
  const regions: Record<string, RegionShare> = {};
  for (const name of names) regions[name] = share(map, (i) => !!masks[name][i], positiveMass, absoluteMass);
  const rest = share(map, (i) => !names.some((n) => masks[n][i]), positiveMass, absoluteMass);
  return { regions, rest, positiveMass, absoluteMass, noPositiveMass: positiveMass === 0, allZero: absoluteMass === 0 };
}

/** The share of a single region (see attributionShares). */
export function attributionShare(map: AttributionMap, mask: Mask): RegionShare {
  return attributionShares(map, { region: mask }).regions.region;
}
