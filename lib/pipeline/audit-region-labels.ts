// Where the regions of an explained image are, for the audit and the masked
// retraining: one masker of the registry (lib/regions/maskers.ts) chosen by
// --regions (auto: the data set's own label maps when it has them, the
// face-mesh landmarks otherwise), at the input resolution, so they line up
// with the attribution maps. Computed masks are cached on disk per data set ×
// size × crop × masker (data/.cache, like the decoded pixels): the parent
// computes them once before the workers start, and a second audit reads them.
import { describeCrop } from '../data/crop';
import { Dataset, imagePixels, imageRegions } from '../data/dataset';
import { cacheKey, CacheEntryMeta, defaultCacheDir, pruneCache, readCacheEntry, writeCacheEntry } from '../data/cache';
import { RegionLegend, UNLABELLED } from '../data/regions';
import type { ProgressCallback } from '../progress/callback';
import type { MaskerChoice, MaskerName } from '../regions/masker-names';
import { chooseMasker, Masker } from '../regions/maskers';
import { MaskWarning, WarningCount, WarningTally } from '../regions/mask-warnings';
import { maskStem } from '../regions/mask-folder';
import { writeMaskPictures } from '../regions/mask-picture';

/**
 * The regions the audit reports. 'face' is the group face skin ∪ mouth ∪
 * eyes ∪ brows. The first five plus UNLABELLED_NAME (pixels in no region)
 * partition the picture, so an image's absolute shares sum to 1.
 */
export const PARTITION_REGIONS = ['background', 'hair', 'face', 'shirt', 'neck and ears'] as const;
export const FACE_PARTS = ['mouth', 'eyes', 'brows'] as const;

export interface RegionSource {
  /** The masker used. */
  kind: MaskerName;
  /** Which masker and why (asked for, or the automatic choice), to print and record. */
  reason: string;
  legend: RegionLegend;
  /** Regions this source tells apart (the colour rules place no eyes, brows or mouth). */
  regions: string[];
  /** The label map of dataset image i (size×size, legend ids, 255 = none), or undefined when its face was not found. */
  labels(i: number): Uint8Array | undefined;
  /** Images (data set files) whose face the masker could not find: left out of the shares. */
  notFound: string[];
  /** The masker's warnings over the images asked for, counted per kind. */
  warnings: WarningCount[];
}

export interface RegionSourceOptions {
  /** Data set images the labels are needed for (default: all). */
  indices?: number[];
  onProgress?: ProgressCallback;
  /** Where computed label maps are cached; false: not cached. Default data/.cache (or $SMILE_LENS_CACHE_DIR). */
  cacheDir?: string | false;
}

interface LabelCacheMeta extends CacheEntryMeta {
  files: string[];
  found: boolean[];
  warnings: MaskWarning[][];
}

/** The masker `choice` picks for the data set (an error naming why when it cannot run), with its labels for `indices`. */
export async function regionSource(dataset: Dataset, choice: MaskerChoice, options: RegionSourceOptions = {}): Promise<RegionSource> {
  const { masker, reason } = chooseMasker(dataset, choice);
  const indices = options.indices ?? dataset.items.map((_, i) => i);
  const regions = [...PARTITION_REGIONS, ...FACE_PARTS].filter((r) => masker.regions.includes(r));
  const legend = masker.legend(dataset);
  if (masker.name === 'ground-truth') {
    return { kind: masker.name, reason, legend, regions, labels: (i) => imageRegions(dataset, i), notFound: [], warnings: [] };
  }
  const computed = await cachedLabels(dataset, masker, indices, options);
  const tally = new WarningTally();
  const notFound: string[] = [];
  for (const i of indices) {
    const r = computed.get(i)!;
    tally.add(dataset.items[i].file, r.warnings);
    if (!r.labels) notFound.push(dataset.items[i].file);
  }
  return { kind: masker.name, reason, legend, regions, labels: (i) => computed.get(i)?.labels, notFound, warnings: tally.counts() };
}

/** The masker's labels and warnings for `indices`, read from the cache where they are and computed (then cached) where not. */
async function cachedLabels(dataset: Dataset, masker: Masker, indices: number[], options: RegionSourceOptions): Promise<Map<number, { labels?: Uint8Array; warnings: MaskWarning[] }>> {
  const dir = options.cacheDir === false ? undefined : options.cacheDir ?? defaultCacheDir();
  // The data set's key covers its files (paths, sizes, modification times), the size and the crop.
  const setting = { labelsOf: dataset.cache.key, masker: masker.name, version: masker.version };
  const key = cacheKey(setting);
  const n = dataset.size * dataset.size;
  const out = new Map<number, { labels?: Uint8Array; warnings: MaskWarning[] }>();
  const entry = dir ? readCacheEntry<LabelCacheMeta>(dir, key) : undefined;
  const files = entry ? [...entry.meta.files] : [];
  const found = entry ? [...entry.meta.found] : [];
  const warnings = entry ? [...entry.meta.warnings] : [];
  const stored: Uint8Array[] = entry ? [Uint8Array.from(entry.sections.labels)] : [];
  const at = new Map(files.map((f, k) => [f, k]));
  const missing = indices.filter((i) => !at.has(dataset.items[i].file));
  let done = indices.length - missing.length;
  for (const i of missing) {
    const r = await masker.mask(dataset, i);
    at.set(dataset.items[i].file, files.length);
    files.push(dataset.items[i].file);
    found.push(r.found);
    warnings.push(r.warnings);
    stored.push(r.found && r.labels ? r.labels : new Uint8Array(n).fill(UNLABELLED));
    options.onProgress?.(++done, indices.length);
  }
  const all = stored.length === 1 ? stored[0] : new Uint8Array(Buffer.concat(stored));
  for (const i of indices) {
    const k = at.get(dataset.items[i].file)!;
    out.set(i, { labels: found[k] ? all.subarray(k * n, (k + 1) * n) : undefined, warnings: warnings[k] });
  }
  if (dir && missing.length) {
    const where = { root: dataset.root, size: dataset.size, crop: describeCrop(dataset.crop), masker: masker.name };
    writeCacheEntry(dir, key, { labels: all }, { ...where, labelsOf: dataset.cache.key, files, found, warnings });
    // One entry per data set, size, crop and masker: an older masker version's or older files' entry goes.
    pruneCache(dir, key, (m) => m.labelsOf !== undefined && Object.entries(where).every(([k, v]) => m[k] === v));
  }
  return out;
}

/**
 * The pictures of the regions of some images (label image and overlay per
 * image, lib/regions/mask-picture.ts) in a folder: a run's masks folder, for
 * the mask grid beside the attribution maps in the report and notebook 06.
 * Images whose face was not found get none.
 */
export async function writeRegionPictures(dir: string, dataset: Dataset, source: RegionSource, indices: number[]): Promise<number> {
  const size = { height: dataset.size, width: dataset.size };
  let written = 0;
  for (const i of indices) {
    const labels = source.labels(i);
    if (!labels) continue;
    await writeMaskPictures(dir, maskStem(dataset.items[i].file), imagePixels(dataset, i), labels, size, source.legend);
    written++;
  }
  return written;
}
