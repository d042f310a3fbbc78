// A data set ready for the network: the catalogue of a CFD-layout folder,
// every image decoded to size×size RGB bytes (and, when the set has
// ground-truth regions, the label maps at the same size), cached on disk.
//
// Pixels stay 8-bit here (0..255, a quarter of the memory of floats and
// exactly what the cache holds); normalise() turns a split into floats.
import * as fs from 'fs';
import * as path from 'path';
import type { DataFrame } from 'danfojs-node';
import { CatalogOptions, CfdCatalog, CfdImage, loadCatalog, SkippedFile } from './catalog';
import { Crop, describeCrop } from './crop';
import { decodeImage, forEachLimited } from './decode';
import { cacheKey, CacheEntryMeta, defaultCacheDir, pruneCache, readCacheEntry, writeCacheEntry } from './cache';
import { loadRegionMap, regionMapPath, RegionLegend, UNLABELLED } from './regions';
import { catalogTable } from './table';
import type { ProgressCallback } from '../progress/callback';

export interface LoadDatasetOptions {
  /** Side of the square input, default 128 (the paper's). */
  size?: number;
  /** 'none' (default, the paper's plain resize), 'face' or a fractional box. */
  crop?: Crop;
  /** Where decoded pixels are cached; false disables the cache. Default data/.cache (or $SMILE_LENS_CACHE_DIR). */
  cacheDir?: string | false;
  /** Load the region label maps; default: whenever the set has regions.json. */
  masks?: boolean;
  /** Keep only some images (e.g. the main set); applied before decoding. */
  select?: (item: CfdImage) => boolean;
  /** Images decoded at once (sharp also uses threads of its own). Default 2. */
  concurrency?: number;
  /** Build the DataFrame (default true). */
  table?: boolean;
  normingCsv?: string;
  onProgress?: ProgressCallback;
}

export interface Dataset {
  root: string;
  catalog: CfdCatalog;
  size: number;
  crop: Crop;
  /** The images decoded, in this order everywhere below. */
  items: CfdImage[];
  /** items[i].label as a typed array. */
  labels: Int32Array;
  /** N×size×size×3 RGB bytes, 0..255, row-major. */
  pixels: Uint8Array;
  /** N×size×size region ids (see legend), 255 where an image had no label map. */
  masks?: Uint8Array;
  legend?: RegionLegend;
  /** One row per item (file, path, model, race, gender, expression, label, set, norming…). */
  table?: DataFrame;
  /** The catalogue's skipped files plus images that failed to decode. */
  skipped: SkippedFile[];
  warnings: string[];
  cache: { hit: boolean; key: string; file?: string };
  seconds: number;
}

interface DatasetCacheMeta extends CacheEntryMeta {
  files: string[];
  failed: SkippedFile[];
  missingMasks: string[];
}

const NO_REGION = UNLABELLED;

export async function loadDataset(folder: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const started = Date.now();
  const size = options.size ?? 128;
  const crop = options.crop ?? 'none';
  if (!Number.isInteger(size) || size < 8 || size > 1024) throw new Error(`loadDataset: size must be an integer in 8..1024, got ${size}`);
  const catalogOptions: CatalogOptions = { table: false, normingCsv: options.normingCsv };
  const catalog = await loadCatalog(folder, catalogOptions);
  const candidates = options.select ? catalog.items.filter(options.select) : catalog.items;
  const legend = options.masks === false ? undefined : catalog.regions;
  if (options.masks === true && !legend) throw new Error(`${catalog.root}: masks requested but the data set has no regions.json`);
  const maskFiles = legend ? candidates.map((i) => regionMapPath(catalog.root, legend, i.path)) : [];

  const fingerprint = (file: string) => {
    try {
      const st = fs.statSync(file);
      return [path.relative(catalog.root, file), st.size, st.mtimeMs];
    } catch {
      return [path.relative(catalog.root, file), -1, -1];
    }
  };
  const key = cacheKey({
    root: catalog.root,
    size,
    crop: describeCrop(crop),
    images: candidates.map((i) => [i.file, i.bytes, i.mtimeMs]),
    masks: legend ? { legend: legend.regions, files: maskFiles.map(fingerprint) } : null,
  });
  const cacheDir = options.cacheDir === false ? undefined : options.cacheDir ?? defaultCacheDir();
  const cached = cacheDir ? readCacheEntry<DatasetCacheMeta>(cacheDir, key) : undefined;

  let meta: Pick<DatasetCacheMeta, 'files' | 'failed' | 'missingMasks'>;
  let pixels: Uint8Array;
  let masks: Uint8Array | undefined;
  if (cached) {
    meta = cached.meta;
    pixels = cached.sections.pixels;
    masks = cached.sections.masks;
    options.onProgress?.(candidates.length, candidates.length);
  } else {
    const pixelsPerImage = size * size * 3;
    const all = new Uint8Array(candidates.length * pixelsPerImage);
    const allMasks = legend ? new Uint8Array(candidates.length * size * size) : undefined;
    const ok = new Uint8Array(candidates.length);
    const failed: SkippedFile[] = [];
    const missingMasks: string[] = [];
    let done = 0;
    await forEachLimited(candidates.length, options.concurrency ?? 2, async (i) => {
      const item = candidates[i];
      try {
        all.set(await decodeImage(item.path, { size, crop }), i * pixelsPerImage);
        ok[i] = 1;
      } catch (e) {
        failed.push({ file: item.file, kind: 'corrupt', reason: `cannot decode: ${(e as Error).message}` });
      }
      if (allMasks && ok[i]) {
        if (fs.existsSync(maskFiles[i])) allMasks.set(await loadRegionMap(maskFiles[i], { size, crop }), i * size * size);
        else {
          allMasks.fill(NO_REGION, i * size * size, (i + 1) * size * size);
          missingMasks.push(item.file);
        }
      }
      options.onProgress?.(++done, candidates.length);
    });
    // Keep only the images that decoded, compacted in catalogue order.
    const keep = [...ok.keys()].filter((i) => ok[i]);
    pixels = new Uint8Array(keep.length * pixelsPerImage);
    masks = allMasks ? new Uint8Array(keep.length * size * size) : undefined;
    keep.forEach((from, to) => {
      pixels.set(all.subarray(from * pixelsPerImage, (from + 1) * pixelsPerImage), to * pixelsPerImage);
      masks?.set(allMasks!.subarray(from * size * size, (from + 1) * size * size), to * size * size);
    });
    failed.sort((a, b) => a.file.localeCompare(b.file));
    meta = { files: keep.map((i) => candidates[i].file), failed, missingMasks };
    if (cacheDir) {
      const sections: Record<string, Uint8Array> = { pixels };
      if (masks) sections.masks = masks;
      const setting = { root: catalog.root, size, crop: describeCrop(crop), masks: !!masks, selected: !!options.select };
      writeCacheEntry(cacheDir, key, sections, { ...meta, ...setting, created: new Date().toISOString() });
      // The same folder and setting with older files: that entry can never be read again.
      pruneCache(cacheDir, key, (m) => Object.entries(setting).every(([k, v]) => m[k] === v));
    }
  }

  const byFile = new Map(candidates.map((i) => [i.file, i]));
  const items = meta.files.map((f) => byFile.get(f)!);
  const warnings = [...catalog.warnings];
  if (meta.missingMasks.length) {
    warnings.push(`${meta.missingMasks.length} image(s) have no region label map (filled with ${NO_REGION}), e.g. ${meta.missingMasks.slice(0, 3).join(', ')}`);
  }
  return {
    root: catalog.root,
    catalog,
    size,
    crop,
    items,
    labels: Int32Array.from(items, (i) => i.label),
    pixels,
    masks,
    legend,
    table: options.table === false ? undefined : catalogTable(items, catalog.norming),
    skipped: [...catalog.skipped, ...meta.failed],
    warnings,
    cache: { hit: !!cached, key, file: cacheDir ? path.join(cacheDir, `${key}.bin`) : undefined },
    seconds: (Date.now() - started) / 1000,
  };
}

/** The RGB bytes of image i (a view, not a copy). */
export function imagePixels(dataset: Pick<Dataset, 'pixels' | 'size'>, i: number): Uint8Array {
  const n = dataset.size * dataset.size * 3;
  return dataset.pixels.subarray(i * n, (i + 1) * n);
}

/** The region ids of image i (a view), or undefined without masks. */
export function imageRegions(dataset: Pick<Dataset, 'masks' | 'size'>, i: number): Uint8Array | undefined {
  const n = dataset.size * dataset.size;
  return dataset.masks?.subarray(i * n, (i + 1) * n);
}
