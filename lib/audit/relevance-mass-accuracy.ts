// Relevance mass accuracy (Arras, Osman & Samek 2022, "CLEVR-XAI", eq. 2):
// how much of the positive relevance lies inside the ground-truth region,
//   RMA = Σ_{p ∈ GT} max(R_p, 0) / Σ_p max(R_p, 0).
// 1 = all positive evidence inside the region; a map spread uniformly scores
// the region's area share.
//
// Arras et al. count positive relevance only; so does this function, for
// signed maps too. Quantus (RelevanceMassAccuracy) divides the sums of the
// attributions as given (after its optional normalise/abs), without clipping
// negatives: for non-negative maps (Grad-CAM) both agree; for a signed map
// Quantus's value can leave [0, 1]. Quantus returns NaN for an empty mask;
// here an empty mask is an error (the question has no region to ask about).
// A map without positive relevance has no RMA: NaN.
import { AttributionMap, Mask, checkMap, checkNonEmptyMask } from './checks';

export function relevanceMassAccuracy(map: AttributionMap, mask: Mask): number {
  checkMap(map, map.length, 'relevance map');
  checkNonEmptyMask(mask, map.length, 'ground-truth mask');
  let inside = 0;
  let total = 0;
  for (let i = 0; i < map.length; i++) {
    const r = map[i];
    if (r <= 0) continue;
    total += r;
    if (mask[i]) inside += r;
  }
  return total > 0 ? inside / total : NaN;
}
