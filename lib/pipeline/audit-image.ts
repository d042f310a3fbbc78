// The audit of one attribution map on one image, as flat records: where the
// mass goes by region (positive and absolute share, next to the region's
// area) and whether the face gets it (relevance mass and rank accuracy, the
// pointing game). Whether the map is faithful to the model at all is
// audit-faithfulness.ts's (the deletion and insertion games).
//
// Record names (the `metric` field; `region` and `fraction` repeat what the
// name says, for filtering the CSV):
//   area/<region>  positiveShare/<region>  absoluteShare/<region>
//   rma/face  rra/face  pointingGame/face
// Shares and face metrics lie in [0, 1] (bootstrap intervals); the
// faithfulness figures are scores in logits, unbounded (t intervals).
import type { AuditRecord, MetricKind } from '../audit/aggregate';
import { attributionShares } from '../audit/attribution-share';
import { auditMasks } from '../audit/region-masks';
import { relevanceMassAccuracy } from '../audit/relevance-mass-accuracy';
import { relevanceRankAccuracy } from '../audit/relevance-rank-accuracy';
import { pointingGame } from '../audit/pointing-game';
import { RegionLegend, UNLABELLED_NAME } from '../data/regions';
import { isFaithfulnessMetric } from './audit-faithfulness';

/** The kind of interval an audit metric gets: the faithfulness scores are unbounded logits, everything else a share in [0, 1]. */
export function auditMetricKind(metric: string): MetricKind {
  return isFaithfulnessMetric(metric) ? 'unbounded' : 'bounded';
}

/** Which image, map and model a record belongs to (AuditRecord's identifying fields). */
export type RecordKey = Pick<AuditRecord, 'image' | 'class' | 'method' | 'seed'>;

/** Region shares, RMA, RRA and the pointing game of a map (size×size, input resolution). */
export function regionRecords(key: RecordKey, map: ArrayLike<number>, labels: Uint8Array, legend: RegionLegend, regions: readonly string[], size: number): AuditRecord[] {
  const masks = auditMasks(labels, legend, regions);
  const shares = attributionShares(map, masks);
  const out: AuditRecord[] = [];
  const push = (metric: string, value: number, extra: Partial<AuditRecord> = {}) => out.push({ ...key, metric, value, ...extra });
  for (const [region, s] of [...Object.entries(shares.regions), [UNLABELLED_NAME, shares.rest] as const]) {
    push(`area/${region}`, s.area, { region });
    push(`positiveShare/${region}`, s.positiveShare, { region });
    push(`absoluteShare/${region}`, s.absoluteShare, { region });
  }
  const face = masks.face;
  // An image without a face region (automatic masks that found no skin) has no face metrics.
  const hasFace = !!face && face.some((v) => v > 0);
  push('rma/face', hasFace ? relevanceMassAccuracy(map, face) : NaN, { region: 'face' });
  push('rra/face', hasFace ? relevanceRankAccuracy(map, face) : NaN, { region: 'face' });
  push('pointingGame/face', hasFace ? pointingGame(map, face, { height: size, width: size }).score : NaN, { region: 'face' });
  return out;
}
