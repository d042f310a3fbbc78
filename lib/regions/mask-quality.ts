// How good is a masker? Per region, the intersection over union of its masks
// with the ground truth (a data set's own label maps: the synthetic set's, or
// label images drawn by hand), pooled over images (Σ intersection / Σ union,
// so big and small regions of every image count by their pixels) and as the
// mean of per-image IoUs. Images whose face the masker did not find are
// counted apart, never scored as empty masks.
import { auditMasks } from '../audit/region-masks';
import type { Dataset } from '../data/dataset';
import { RegionLegend } from '../data/regions';
import { Masker, groundTruthMasker, maskDataset } from './maskers';
import type { WarningCount } from './mask-warnings';

export interface RegionIoU {
  region: string;
  /** Σ intersection / Σ union over the scored images (NaN when the region is nowhere). */
  pooled: number;
  /** Mean over images where truth or prediction has the region. */
  mean: number;
  /** Images where truth or prediction has the region. */
  images: number;
}

export interface MaskQuality {
  masker: string;
  rows: RegionIoU[];
  scored: number;
  notFound: string[];
  warnings: WarningCount[];
  secondsPerImage: number;
}

/** Intersection and union per region of a predicted and a true label map. */
export function regionOverlap(predicted: Uint8Array, predictedLegend: RegionLegend, truth: Uint8Array, truthLegend: RegionLegend, regions: readonly string[]): Record<string, { intersection: number; union: number }> {
  if (predicted.length !== truth.length) throw new Error(`regionOverlap: the maps differ in size (${predicted.length} and ${truth.length} pixels)`);
  const p = auditMasks(predicted, predictedLegend, regions);
  const t = auditMasks(truth, truthLegend, regions);
  const out: Record<string, { intersection: number; union: number }> = {};
  for (const r of regions) {
    let intersection = 0;
    let union = 0;
    for (let i = 0; i < truth.length; i++) {
      if (p[r][i] && t[r][i]) intersection++;
      if (p[r][i] || t[r][i]) union++;
    }
    out[r] = { intersection, union };
  }
  return out;
}

export const QUALITY_REGIONS = ['background', 'hair', 'face', 'face skin', 'mouth', 'eyes', 'brows', 'shirt', 'neck and ears'] as const;

/** Per-region IoU of a masker against the data set's ground truth. */
export async function maskQuality(dataset: Dataset, m: Masker, options: { regions?: readonly string[]; indices?: number[]; onProgress?: (done: number, total: number) => void } = {}): Promise<MaskQuality> {
  const why = groundTruthMasker.unavailable(dataset);
  if (why) throw new Error(`mask quality needs ground truth: ${why}`);
  const regions = options.regions ?? QUALITY_REGIONS;
  const indices = options.indices ?? dataset.items.map((_, i) => i);
  const predicted = await maskDataset(dataset, m, { indices, onProgress: options.onProgress });
  const truthLegend = groundTruthMasker.legend(dataset);
  const sums = Object.fromEntries(regions.map((r) => [r, { intersection: 0, union: 0, iouSum: 0, images: 0 }]));
  let scored = 0;
  for (let k = 0; k < indices.length; k++) {
    const labels = predicted.labels[k];
    if (!labels) continue;
    scored++;
    const truth = (await groundTruthMasker.mask(dataset, indices[k])).labels!;
    const overlap = regionOverlap(labels, predicted.legend, truth, truthLegend, regions);
    for (const r of regions) {
      const o = overlap[r];
      sums[r].intersection += o.intersection;
      sums[r].union += o.union;
      if (o.union > 0) {
        sums[r].iouSum += o.intersection / o.union;
        sums[r].images++;
      }
    }
  }
  return {
    masker: m.name,
    rows: regions.map((r) => ({
      region: r,
      pooled: sums[r].union > 0 ? sums[r].intersection / sums[r].union : NaN,
      mean: sums[r].images > 0 ? sums[r].iouSum / sums[r].images : NaN,
      images: sums[r].images,
    })),
    scored,
    notFound: predicted.notFound,
    warnings: predicted.warnings.counts(),
    secondsPerImage: predicted.seconds / Math.max(1, indices.length),
  };
}

/** Maskers side by side, one row per region: IoU pooled over images / mean per image, then each masker's counts. */
export function formatQualityTable(results: MaskQuality[]): string[] {
  const pct = (v: number) => (Number.isNaN(v) ? '   –  ' : (100 * v).toFixed(1).padStart(6));
  const lines = [`IoU (%) against the ground truth: pooled over images / mean per image`, `${'region'.padEnd(14)}${results.map((r) => r.masker.padStart(17)).join('')}`];
  for (let k = 0; k < results[0].rows.length; k++) {
    lines.push(`${results[0].rows[k].region.padEnd(14)}${results.map((r) => `${pct(r.rows[k].pooled)} / ${pct(r.rows[k].mean)}`.padStart(17)).join('')}`);
  }
  for (const r of results) {
    lines.push(`${r.masker}: scored ${r.scored}, face not found ${r.notFound.length}, ${(1000 * r.secondsPerImage).toFixed(0)} ms per image`);
    for (const w of r.warnings) lines.push(`  warning ${w.kind}: ${w.images} image(s), e.g. ${w.examples[0].image}`);
  }
  return lines;
}
