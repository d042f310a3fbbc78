// A data set's region maps written where people can look at them: per image
// the label image and a colour overlay (lib/regions/mask-picture.ts), and a
// summary (which masker and why, region areas, warnings counted, faces not
// found) printed and kept beside the pictures as MASK_SUMMARY_FILE.
import * as path from 'path';
import { describeCrop } from '../data/crop';
import type { Dataset } from '../data/dataset';
import { imagePixels } from '../data/dataset';
import { UNLABELLED_NAME, regionAreas } from '../data/regions';
import type { ProgressCallback } from '../progress/callback';
import { writeJsonAtomic } from '../util/atomic-write';
import { Masker, maskDataset } from './maskers';
import { writeMaskPictures } from './mask-picture';
import type { WarningCount } from './mask-warnings';

export const MASK_SUMMARY_FILE = 'masks.json';

/** Below this share of the picture a region counts as missing (the "< 3% hair"). */
export const MISSING_SHARE = 0.03;

export interface RegionAreaSummary {
  region: string;
  /** Mean, least and largest share of the picture over the masked images. */
  mean: number;
  min: number;
  max: number;
  /** Masked images where the region covers less than MISSING_SHARE. */
  missing: number;
}

export interface MaskFolderSummary {
  data: string;
  masker: string;
  reason: string;
  size: number;
  crop: string;
  images: number;
  masked: number;
  /** Images whose face the masker could not find: no map written, left out of every share. */
  notFound: string[];
  areas: RegionAreaSummary[];
  warnings: WarningCount[];
  secondsPerImage: number;
  /** Per masked image: its data set file and the two pictures, relative to the folder. */
  files: { image: string; labels: string; overlay: string }[];
}

/** A picture's file stem: the image's name without its folder and extension (CFD names are unique). */
export function maskStem(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}

/** Masks `indices` of the data set with `m`, writes their pictures and the summary into `out`. */
export async function writeMaskFolder(dataset: Dataset, m: Masker, reason: string, out: string, options: { indices?: number[]; onProgress?: ProgressCallback } = {}): Promise<MaskFolderSummary> {
  const indices = options.indices ?? dataset.items.map((_, i) => i);
  const masks = await maskDataset(dataset, m, { indices, onProgress: options.onProgress });
  const size = { height: dataset.size, width: dataset.size };
  const files: MaskFolderSummary['files'] = [];
  const areas: Record<string, number>[] = [];
  const stems = new Set<string>();
  for (let k = 0; k < indices.length; k++) {
    const labels = masks.labels[k];
    if (!labels) continue;
    const item = dataset.items[indices[k]];
    let stem = maskStem(item.file);
    // Two images of the same name in different folders: the later one is numbered.
    for (let k = 2; stems.has(stem); k++) stem = `${maskStem(item.file)}-${k}`;
    stems.add(stem);
    const written = await writeMaskPictures(out, stem, imagePixels(dataset, indices[k]), labels, size, masks.legend);
    files.push({ image: item.file, labels: path.relative(out, written.labels), overlay: path.relative(out, written.overlay) });
    areas.push(regionAreas(labels, masks.legend));
  }
  const regions = [...masks.legend.regions.map((r) => r.name), UNLABELLED_NAME];
  const summary: MaskFolderSummary = {
    data: dataset.root,
    masker: m.name,
    reason,
    size: dataset.size,
    crop: describeCrop(dataset.crop),
    images: indices.length,
    masked: files.length,
    notFound: masks.notFound,
    areas: regions.map((region) => {
      const v = areas.map((a) => a[region] ?? 0);
      return {
        region,
        mean: v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN,
        min: v.length ? Math.min(...v) : NaN,
        max: v.length ? Math.max(...v) : NaN,
        missing: v.filter((x) => x < MISSING_SHARE).length,
      };
    }),
    warnings: masks.warnings.counts(),
    secondsPerImage: masks.seconds / Math.max(1, indices.length),
    files,
  };
  writeJsonAtomic(path.join(out, MASK_SUMMARY_FILE), summary);
  return summary;
}

/** The summary in lines for the terminal: areas per region, warnings counted with where to look, faces not found. */
export function formatMaskSummary(s: MaskFolderSummary, where: string): string[] {
  const pct = (v: number) => (Number.isNaN(v) ? '–' : `${(100 * v).toFixed(1)}%`);
  const lines = [`masker: ${s.reason}`, `${s.masked} of ${s.images} images masked at ${s.size}×${s.size} (crop ${s.crop}), ${(1000 * s.secondsPerImage).toFixed(0)} ms per image`, ''];
  lines.push(`${'region'.padEnd(15)}${'mean'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}   images < ${pct(MISSING_SHARE)}`);
  for (const a of s.areas) lines.push(`${a.region.padEnd(15)}${pct(a.mean).padStart(8)}${pct(a.min).padStart(8)}${pct(a.max).padStart(8)}   ${a.missing}`);
  if (s.notFound.length) lines.push('', `face not found on ${s.notFound.length} image(s), left out (no map): ${s.notFound.slice(0, 5).join(', ')}${s.notFound.length > 5 ? ', …' : ''}`);
  if (s.warnings.length) {
    lines.push('', `warnings (look at the overlays in ${where}):`);
    for (const w of s.warnings) lines.push(`  ${w.kind}: ${w.images}/${s.images} image(s), e.g. ${w.examples.map((e) => maskStem(e.image)).join(', ')}`);
  } else lines.push('', 'no warnings');
  return lines;
}
