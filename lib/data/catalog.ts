// Reads a folder holding the Chicago Face Database as a user unzipped it (or
// the synthetic set, which has the same layout and names) into a catalogue of
// images, without decoding any pixels. Every file that is not used is
// accounted for: skipped with a reason, or listed as a companion file.
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { DataFrame } from 'danfojs-node';
import { EXPRESSIONS, Expression } from './expressions';
import { CfdName, CfdSet, compareRanks, Gender, IMAGE_EXTENSIONS, parseCfdName, photoKey, preferenceRank, Race } from './cfd-names';
import { EXPECTED_LAYOUTS } from './cfd-facts';
import { findNormingFiles, NormingData, readNormingCsv } from './norming';
import { readRegionLegend, RegionLegend, REGIONS_FILE } from './regions';
import { readHead, sniffImage } from './image-sniff';
import { catalogTable } from './table';
import type { ProgressCallback } from '../progress/callback';

export interface CfdImage {
  /** Absolute path. */
  path: string;
  /** Path relative to the data set root. */
  file: string;
  /** Subject id, e.g. "AF-200". */
  model: string;
  race: Race;
  gender: Gender;
  expression: Expression;
  /** Index of the expression in EXPRESSIONS (the class the network predicts). */
  label: number;
  set: CfdSet;
  /** The photo number n2 (and replicate), which tell photos of one expression apart. */
  photo: string;
  bytes: number;
  mtimeMs: number;
}

export type SkipKind = 'misnamed' | 'not an image' | 'empty' | 'corrupt' | 'duplicate' | 'ignored';

export interface SkippedFile {
  file: string;
  /** The kind, for grouping in summaries. */
  kind: SkipKind;
  reason: string;
}

export type Layout = 'CFD 2.0.3' | 'CFD 3.0' | 'flat' | 'nested';

export interface CfdCatalog {
  root: string;
  layout: Layout;
  items: CfdImage[];
  /** Files that look like they were meant as images but cannot be used. */
  skipped: SkippedFile[];
  /** Other files (documents, the codebook, system files): not images, not an error. */
  ignored: SkippedFile[];
  warnings: string[];
  norming?: NormingData;
  /** The xlsx codebook, when present (read only through a CSV export). */
  codebook?: string;
  regions?: RegionLegend;
  /** danfojs DataFrame: file, path, model, race, gender, expression, label, set, then norming columns. */
  table?: DataFrame;
}

export interface CatalogOptions {
  /** Build the DataFrame (loads danfojs, ~1.5 s). Default true. */
  table?: boolean;
  /** Norming CSV to use instead of searching the folder for one. */
  normingCsv?: string;
  /** Read each image's header with sharp (catches garbage behind a valid first byte). Default true. */
  checkHeaders?: boolean;
  onProgress?: ProgressCallback;
}

const SYSTEM_FILES = /^(\.DS_Store|Thumbs\.db|desktop\.ini|\.localized)$/i;
const SKIPPED_FOLDERS = new Set(['__MACOSX', '.cache', '.git', 'node_modules', '.ipynb_checkpoints']);

function walk(root: string, skipFolders: Set<string>, out: string[], ignored: SkippedFile[], dir = root): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = path.relative(root, full);
    if (entry.isDirectory()) {
      if (SKIPPED_FOLDERS.has(entry.name) || skipFolders.has(path.resolve(full))) {
        if (entry.name === '__MACOSX') ignored.push({ file: rel + '/', kind: 'ignored', reason: 'macOS archive metadata folder' });
        continue;
      }
      walk(root, skipFolders, out, ignored, full);
    } else if (entry.isFile()) out.push(full);
  }
}

function layoutOf(files: string[]): Layout {
  if (files.some((f) => /CFD 2\.0\.3 Images/i.test(f))) return 'CFD 2.0.3';
  if (files.some((f) => /(^|[\\/])Images[\\/]CFD(-MR|-INDIA)?([\\/]|$)/i.test(f))) return 'CFD 3.0';
  if (files.every((f) => !f.includes(path.sep))) return 'flat';
  return 'nested';
}

/** Error for a folder with nothing to read, showing what smile-lens expects. */
export function layoutHelp(): string {
  return `expected one of these layouts:\n${EXPECTED_LAYOUTS.map((l) => `  ${l}`).join('\n')}\n(see data/README.md for how to obtain the CFD)`;
}

export async function loadCatalog(folder: string, options: CatalogOptions = {}): Promise<CfdCatalog> {
  const root = path.resolve(folder);
  if (!fs.existsSync(root)) throw new Error(`${root}: folder does not exist; ${layoutHelp()}`);
  if (!fs.statSync(root).isDirectory()) throw new Error(`${root}: is a file, not a folder; ${layoutHelp()}`);
  const regions = readRegionLegend(root);
  const skipFolders = new Set<string>();
  if (regions) skipFolders.add(path.resolve(root, regions.folder));
  const files: string[] = [];
  const ignored: SkippedFile[] = [];
  walk(root, skipFolders, files, ignored);
  if (files.length === 0) throw new Error(`${root}: folder is empty; ${layoutHelp()}`);

  const skipped: SkippedFile[] = [];
  const warnings: string[] = [];
  const candidates: { full: string; rel: string; name: CfdName; bytes: number; mtimeMs: number }[] = [];
  const others: string[] = [];
  const total = files.length;
  let done = 0;
  for (const full of files.sort()) {
    const rel = path.relative(root, full);
    const base = path.basename(full);
    const ext = path.extname(base).toLowerCase();
    done++;
    if (done % 50 === 0) options.onProgress?.(done, total);
    if (SYSTEM_FILES.test(base)) {
      ignored.push({ file: rel, kind: 'ignored', reason: 'system file' });
      continue;
    }
    if (base.startsWith('._')) {
      ignored.push({ file: rel, kind: 'ignored', reason: 'macOS resource fork (AppleDouble), not an image' });
      continue;
    }
    if (rel === REGIONS_FILE && regions) {
      ignored.push({ file: rel, kind: 'ignored', reason: 'region legend (read)' });
      continue;
    }
    const looksCfd = /^CFD-/i.test(base);
    if (!looksCfd && !IMAGE_EXTENSIONS.includes(ext)) {
      others.push(full);
      ignored.push({ file: rel, kind: 'ignored', reason: `not an image (${ext || 'no extension'})` });
      continue;
    }
    const parsed = parseCfdName(base);
    // `'reason' in` narrows without strictNullChecks too (tslab compiles non-strict).
    if ('reason' in parsed) {
      skipped.push({ file: rel, kind: 'misnamed', reason: parsed.reason });
      continue;
    }
    if (!IMAGE_EXTENSIONS.includes(ext)) {
      skipped.push({ file: rel, kind: 'not an image', reason: `extension "${ext || '(none)'}" (expected ${IMAGE_EXTENSIONS.join(', ')})` });
      continue;
    }
    const stat = fs.statSync(full);
    if (stat.size === 0) {
      skipped.push({ file: rel, kind: 'empty', reason: 'empty file (0 bytes)' });
      continue;
    }
    const format = sniffImage(readHead(full));
    if (!format) {
      skipped.push({ file: rel, kind: 'not an image', reason: `content is not JPEG, PNG, TIFF, WebP or BMP despite "${ext}"` });
      continue;
    }
    if (options.checkHeaders !== false) {
      try {
        const meta = await sharp(full).metadata();
        if (!meta.width || !meta.height) throw new Error('no image size in header');
      } catch (e) {
        skipped.push({ file: rel, kind: 'corrupt', reason: `${format} header unreadable: ${(e as Error).message}` });
        continue;
      }
    }
    // A model folder named for another model is likely a misfiled copy: the name wins, but say so.
    const folderName = path.basename(path.dirname(full));
    if (/^[A-Z]{2}-\d+$/i.test(folderName) && folderName.toUpperCase() !== parsed.name.model) {
      warnings.push(`${rel}: in folder ${folderName} but named for model ${parsed.name.model}; using the name`);
    }
    candidates.push({ full, rel, name: parsed.name, bytes: stat.size, mtimeMs: stat.mtimeMs });
  }
  options.onProgress?.(total, total);

  // One file per photograph: the original over the copies kept beside it.
  const byPhoto = new Map<string, typeof candidates>();
  for (const c of candidates) {
    const key = photoKey(c.name);
    byPhoto.set(key, [...(byPhoto.get(key) ?? []), c]);
  }
  const items: CfdImage[] = [];
  for (const group of byPhoto.values()) {
    group.sort((a, b) => compareRanks(preferenceRank(path.basename(a.full), a.name), preferenceRank(path.basename(b.full), b.name)) || a.rel.localeCompare(b.rel));
    const [best, ...rest] = group;
    for (const r of rest) skipped.push({ file: r.rel, kind: 'duplicate', reason: `copy of ${best.rel}` });
    const n = best.name;
    items.push({
      path: best.full,
      file: best.rel,
      model: n.model,
      race: n.race,
      gender: n.gender,
      expression: n.expression,
      label: EXPRESSIONS.indexOf(n.expression),
      set: n.set,
      photo: n.replicate ? `${n.n2}-${n.replicate}` : n.n2,
      bytes: best.bytes,
      mtimeMs: best.mtimeMs,
    });
  }
  items.sort((a, b) => a.model.localeCompare(b.model) || a.label - b.label || a.photo.localeCompare(b.photo));

  const found = findNormingFiles(others);
  let norming: NormingData | undefined;
  const normingFile = options.normingCsv ?? found.csv;
  if (normingFile) {
    norming = readNormingCsv(normingFile);
    const unknown = [...new Set(items.map((i) => i.model))].filter((m) => !norming!.byModel.has(m));
    if (unknown.length) warnings.push(`${path.basename(normingFile)}: no norming row for ${unknown.length} model(s), e.g. ${unknown.slice(0, 3).join(', ')}`);
    const used = ignored.find((i) => path.resolve(root, i.file) === path.resolve(normingFile));
    if (used) used.reason = 'norming data (read)';
  }

  const catalog: CfdCatalog = {
    root,
    layout: layoutOf(items.map((i) => i.file)),
    items,
    skipped,
    ignored,
    warnings,
    norming,
    codebook: found.xlsx,
    regions,
  };
  if (options.table !== false) catalog.table = catalogTable(items, norming);
  return catalog;
}
