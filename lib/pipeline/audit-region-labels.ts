// Where the regions of an explained image are, for the audit: the data set's
// own label maps when it has them (the synthetic set's ground truth), else
// masks computed from the pixels (lib/audit/cfd-regions.ts, for the real CFD
// photographs, which come without ground truth). Both at the input
// resolution, so they line up with the attribution maps.
import { Dataset, imagePixels, imageRegions } from '../data/dataset';
import { defaultLegend, RegionLegend } from '../data/regions';
import { cfdRegions } from '../audit/cfd-regions';

/**
 * The regions the audit reports. 'face' is the group face skin ∪ mouth ∪
 * eyes ∪ brows. The first five plus 'rest' (pixels in no region) partition
 * the picture, so their absolute shares sum to 1.
 */
export const PARTITION_REGIONS = ['background', 'hair', 'face', 'shirt', 'neck and ears'] as const;
export const FACE_PARTS = ['mouth', 'eyes', 'brows'] as const;
/** Name of the share that no region claims (unlabelled pixels). */
export const REST = 'rest';

export interface RegionSource {
  /** 'ground truth' (the data set's label maps) or 'automatic' (computed from the pixels). */
  kind: 'ground truth' | 'automatic';
  legend: RegionLegend;
  /** Regions this source can tell apart (automatic masks place no eyes, brows or mouth). */
  regions: string[];
  /** The label map of dataset image i, size×size, with the legend's ids (255 = none). */
  labels(i: number): Uint8Array;
  warnings: string[];
}

export function regionSource(dataset: Dataset): RegionSource {
  const size = dataset.size;
  if (dataset.masks && dataset.legend) {
    const legend = dataset.legend;
    return {
      kind: 'ground truth',
      legend,
      regions: [...PARTITION_REGIONS, ...FACE_PARTS],
      labels: (i) => imageRegions(dataset, i)!,
      warnings: [],
    };
  }
  // Real CFD: the automatic rules label background, hair, face skin and shirt.
  const warnings: string[] = [];
  const cache = new Map<number, Uint8Array>();
  return {
    kind: 'automatic',
    legend: defaultLegend(),
    regions: ['background', 'hair', 'face', 'shirt'],
    labels: (i) => {
      let labels = cache.get(i);
      if (!labels) {
        const r = cfdRegions(imagePixels(dataset, i), { height: size, width: size });
        for (const w of r.warnings) warnings.push(`${dataset.items[i].file}: ${w}`);
        labels = r.labels;
        cache.set(i, labels);
      }
      return labels;
    },
    warnings,
  };
}
