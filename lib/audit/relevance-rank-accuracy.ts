// Relevance rank accuracy (Arras, Osman & Samek 2022, "CLEVR-XAI", eq. 3):
// take the K most relevant pixels, K = the size of the ground-truth region,
// and count the fraction of them that fall inside it,
//   RRA = |top-K ∩ GT| / K.
// 1 = the K highest-ranked pixels are exactly the region; a random ranking
// scores the region's area share on average.
//
// Ties. Maps are full of them: Grad-CAM is zero wherever its ReLU cut, and
// an upsampled 16×16 map repeats each value over a block. Breaking ties by
// pixel index would sweep the image top-down and favour whatever sits at the
// top (hair). Instead, the pixels tied at the K-th value share the remaining
// places, each counted with the probability a uniformly random tie-break
// would pick it: hits = (inside, strictly above the K-th value)
// + (places left) × (inside among the tied) / (number tied). This is the
// expectation of Quantus's value over random tie orders; Quantus itself
// (RelevanceRankAccuracy) takes numpy's argsort order, which is arbitrary
// for ties. Like Arras et al. and Quantus, values are ranked as given
// (signed): negative relevance ranks below zero.
import { AttributionMap, Mask, checkMap, checkNonEmptyMask } from './checks';

export function relevanceRankAccuracy(map: AttributionMap, mask: Mask): number {
  checkMap(map, map.length, 'relevance map');
  const k = checkNonEmptyMask(mask, map.length, 'ground-truth mask');
  // The K-th largest value.
  const sorted = Float64Array.from(map).sort();
  const kth = sorted[sorted.length - k];
  let above = 0;
  let insideAbove = 0;
  let tied = 0;
  let insideTied = 0;
  for (let i = 0; i < map.length; i++) {
    const r = map[i];
    if (r > kth) {
      above++;
      if (mask[i]) insideAbove++;
    } else if (r === kth) {
      tied++;
      if (mask[i]) insideTied++;
    }
  }
  const hits = insideAbove + ((k - above) * insideTied) / tied;
  return hits / k;
}
