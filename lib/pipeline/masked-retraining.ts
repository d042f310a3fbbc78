// Experiment 4 of the bias audit — does the right transformation fix it?
// The run is repeated on a copy of its data in which the regions that carry
// no expression (by default background and hair) are painted over with one
// constant colour, the data set's mean colour: after the normalisation that
// is ≈ 0 in every channel, so the painted area gives the first convolution
// (which has no bias) next to nothing to respond to. Same settings, same
// seeds, same subject-disjoint splits, same explanation and audit settings,
// so accuracy and region shares can be read side by side with the original.
//
// The masked copy is written at the run's input size (already cropped as
// the run crops), as lossless PNG in the CFD layout, with its label maps, so
// that every later step reads it like any data set:
//   <run>/retrain-masked/data/   masked images, regions/, regions.json, masked.json (written last)
//   <run>/retrain-masked/run/    a complete run folder (train, explain, audit)
//   <run>/retrain-masked/comparison.json
// Real CFD photos have no label maps: the automatic masks
// (lib/audit/cfd-regions.ts) decide what is hair and background.
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { auditMasks } from '../audit/region-masks';
import { imagePixels } from '../data/dataset';
import { REGIONS_FILE } from '../data/regions';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/atomic-write';
import type { Interval } from '../util/interval';
import { forEachLimited } from '../data/decode';
import type { ProgressCallback } from '../progress/callback';
import { progressCallback } from '../progress/reporter';
import { readRunConfig, type ExperimentConfig, type MetricsFile } from '../train/experiment';
import type { SeedSplit } from '../train/experiment-data';
import { seedFolder } from '../train/train-seed';
import { trainRun } from './train-run';
import { EXPLAIN_DEFAULTS, ExplainOptions, explainRun, METHODS, Method, readExplanations } from './explain-run';
import { AUDIT_DEFAULTS, AuditOptions, auditDataset, auditRun, readAuditSummary } from './audit-run';
import { regionSource } from './audit-region-labels';
import { findRow, formatPercent, methodLabel } from './audit-tables';

export interface MaskingOptions {
  /** Regions (or groups) painted over. */
  regions: string[];
}

export const MASKING_DEFAULTS: MaskingOptions = { regions: ['background', 'hair'] };
export const MASKED_MANIFEST = 'masked.json';

export interface MaskedManifest {
  source: string;
  size: number;
  crop: ExperimentConfig['crop'];
  regions: string[];
  /** RGB 0..255 painted over the masked regions. */
  fill: [number, number, number];
  regionSource: 'ground truth' | 'automatic';
  images: number;
  /** Mean share of each picture painted over. */
  maskedShare: number;
}

export function maskedFolder(runDir: string): string {
  return path.join(runDir, 'retrain-masked');
}

/** Per-channel mean colour of all pixels of all images, rounded. */
export function meanColour(pixels: Uint8Array): [number, number, number] {
  const sum = [0, 0, 0];
  for (let p = 0; p < pixels.length; p += 3) {
    sum[0] += pixels[p];
    sum[1] += pixels[p + 1];
    sum[2] += pixels[p + 2];
  }
  const n = pixels.length / 3;
  return sum.map((s) => Math.round(s / n)) as [number, number, number];
}

/** Paints `fill` wherever `mask` is set; returns a new image. */
export function paintMasked(rgb: Uint8Array, mask: Uint8Array, fill: readonly number[]): Uint8Array {
  if (rgb.length !== mask.length * 3) throw new Error(`paintMasked: ${rgb.length / 3} pixels but a mask of ${mask.length}`);
  const out = Uint8Array.from(rgb);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    out[3 * i] = fill[0];
    out[3 * i + 1] = fill[1];
    out[3 * i + 2] = fill[2];
  }
  return out;
}

/** Writes (or finds) the masked copy of a run's data; returns its folder and manifest. */
export async function writeMaskedDataset(cfg: ExperimentConfig, out: string, options: MaskingOptions, onProgress?: ProgressCallback): Promise<MaskedManifest> {
  const dataset = await auditDataset(cfg);
  const source = regionSource(dataset);
  const size = dataset.size;
  const fill = meanColour(dataset.pixels);
  const wanted = { source: dataset.root, size, crop: cfg.crop, regions: options.regions, fill, regionSource: source.kind, images: dataset.items.length };
  const manifestFile = path.join(out, MASKED_MANIFEST);
  if (fs.existsSync(manifestFile)) {
    const found = readJson<MaskedManifest>(manifestFile, 'a masked data set manifest');
    const { maskedShare: _share, ...same } = found;
    if (JSON.stringify(same) === JSON.stringify(wanted)) return found;
    fs.rmSync(out, { recursive: true, force: true });
  }
  const legend = { ...source.legend, folder: 'regions' };
  let masked = 0;
  await forEachLimited(dataset.items.length, 2, async (i) => {
    const labels = source.labels(i);
    const masks = auditMasks(labels, source.legend, options.regions);
    const union = new Uint8Array(labels.length);
    for (const m of Object.values(masks)) for (let p = 0; p < m.length; p++) union[p] |= m[p];
    masked += union.reduce((s, v) => s + v, 0) / union.length;
    const rel = dataset.items[i].file.replace(/\.[^./\\]+$/, '.png');
    const rgb = paintMasked(imagePixels(dataset, i), union, fill);
    // PNG, not JPEG: lossless, so the painted area is exactly one colour.
    writeFileAtomic(path.join(out, rel), await sharp(Buffer.from(rgb), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
    writeFileAtomic(path.join(out, legend.folder, rel), await sharp(Buffer.from(labels), { raw: { width: size, height: size, channels: 1 } }).png().toBuffer());
    onProgress?.(i + 1, dataset.items.length);
  });
  writeJsonAtomic(path.join(out, REGIONS_FILE), legend);
  const manifest: MaskedManifest = { ...wanted, maskedShare: masked / dataset.items.length };
  writeJsonAtomic(manifestFile, manifest);
  return manifest;
}

/**
 * The explanation settings a run was explained with (read back from its
 * sidecars), so the masked run is explained the same way: the same methods,
 * options and number of images per seed.
 */
export function explainOptionsOf(runDir: string, seed: number): ExplainOptions {
  const methods = METHODS.filter((m) => readExplanations(runDir, m, seed));
  if (methods.length === 0) throw new Error(`${runDir}: seed ${seed} has no explanations (run \`smile-lens explain --run ${runDir}\` first)`);
  const options: ExplainOptions = { ...EXPLAIN_DEFAULTS, methods: [...methods] };
  for (const m of methods) {
    const sidecars = readExplanations(runDir, m, seed)!;
    options.limit = Math.max(options.limit, sidecars.length);
    const request = JSON.parse(sidecars[0]?.request ?? '{}') as Partial<ExplainOptions> & { layer?: string | null; classIndex?: number | null };
    if (m === 'gradcam' && request.layer) options.layer = request.layer;
    if (request.classIndex !== null && request.classIndex !== undefined) options.classIndex = request.classIndex;
    if (m === 'gradientshap') {
      for (const k of ['samples', 'stdev', 'baseline', 'seed'] as const) if (request[k] !== undefined) (options as unknown as Record<string, unknown>)[k] = request[k];
      if (typeof request.blurSigma === 'number') options.blurSigma = request.blurSigma;
      if (typeof request.baselineImages === 'number') options.baselineImages = request.baselineImages;
    }
  }
  return options;
}

/** One model's side of the comparison. */
export interface RunFigures {
  accuracy: Interval;
  /** method → region → absolute and positive share (mean over seeds, 95% CI). */
  shares: Record<string, Record<string, { absolute?: Interval; positive?: Interval; area?: Interval }>>;
}

export interface MaskedComparison {
  masking: MaskedManifest;
  original: RunFigures;
  masked: RunFigures;
  seconds: number;
}

const COMPARED_REGIONS = ['face', 'hair', 'background', 'shirt', 'neck and ears'];

function runFigures(runDir: string, methods: readonly Method[]): RunFigures {
  const metrics = readJson<MetricsFile>(path.join(runDir, 'metrics.json'), 'run metrics');
  const audit = readAuditSummary(runDir);
  if (!audit) throw new Error(`${runDir}: no audit (run \`smile-lens audit --run ${runDir}\` first)`);
  const shares: RunFigures['shares'] = {};
  for (const m of methods) {
    shares[m] = {};
    for (const r of COMPARED_REGIONS) {
      shares[m][r] = {
        absolute: findRow(audit.rows, m, `absoluteShare/${r}`)?.summary,
        positive: findRow(audit.rows, m, `positiveShare/${r}`)?.summary,
        area: findRow(audit.rows, m, `area/${r}`)?.summary,
      };
    }
  }
  return { accuracy: metrics.summary.accuracy, shares };
}

export interface MaskedRetrainingOptions {
  backend: string;
  jobs?: number;
  masking?: MaskingOptions;
  /** Audit settings; default: those of the original run's audit. */
  audit?: AuditOptions;
  log?: (text: string) => void;
}

/** Trains, explains and audits the run again on the masked data; writes and returns the comparison. */
export async function maskedRetraining(runDir: string, options: MaskedRetrainingOptions): Promise<MaskedComparison> {
  const started = Date.now();
  const log = options.log ?? ((t: string) => console.log(t));
  const { experiment: cfg } = readRunConfig(runDir);
  const folder = maskedFolder(runDir);
  const masking = options.masking ?? MASKING_DEFAULTS;
  const manifest = await writeMaskedDataset(cfg, path.join(folder, 'data'), masking, progressCallback(`masking ${masking.regions.join(' and ')}`));
  log(`masked data: ${path.join(folder, 'data')} (${masking.regions.join(', ')} painted rgb(${manifest.fill.join(', ')}), ${(100 * manifest.maskedShare).toFixed(1)}% of each picture on average)`);
  const maskedCfg: ExperimentConfig = { ...cfg, data: path.join(folder, 'data'), crop: 'none' };
  const maskedRun = path.join(folder, 'run');
  await trainRun(maskedCfg, maskedRun, { backend: options.backend, jobs: options.jobs, log });
  // Same subjects held out as in the original run, or the comparison means little.
  const modelOf = (f: string) => path.basename(f).split('-').slice(1, 3).join('-');
  for (const s of cfg.seeds) {
    const a = readJson<SeedSplit>(path.join(seedFolder(runDir, s), 'split.json'), 'a seed split').validation.map(modelOf).sort();
    const b = readJson<SeedSplit>(path.join(seedFolder(maskedRun, s), 'split.json'), 'a seed split').validation.map(modelOf).sort();
    if (JSON.stringify(a) !== JSON.stringify(b)) log(`warning: seed ${s} holds out other subjects in the masked run than in the original`);
  }
  const explain = explainOptionsOf(runDir, cfg.seeds[0]);
  await explainRun(maskedRun, explain, { backend: options.backend, jobs: options.jobs });
  const auditOptions = options.audit ?? readAuditSummary(runDir)?.options ?? { ...AUDIT_DEFAULTS, methods: explain.methods };
  await auditRun(maskedRun, auditOptions, { backend: options.backend, jobs: options.jobs });
  const comparison: MaskedComparison = {
    masking: manifest,
    original: runFigures(runDir, auditOptions.methods),
    masked: runFigures(maskedRun, auditOptions.methods),
    seconds: (Date.now() - started) / 1000,
  };
  writeJsonAtomic(path.join(folder, 'comparison.json'), comparison);
  return comparison;
}

export function readMaskedComparison(runDir: string): MaskedComparison | undefined {
  const file = path.join(maskedFolder(runDir), 'comparison.json');
  return fs.existsSync(file) ? readJson<MaskedComparison>(file, 'a masked-retraining comparison') : undefined;
}

/** Original against masked, one line per measure: accuracy, then each method's absolute share per region. */
export function maskedComparisonTable(c: MaskedComparison): Record<string, string>[] {
  const rows: Record<string, string>[] = [{ measure: 'validation accuracy', original: formatPercent(c.original.accuracy), masked: formatPercent(c.masked.accuracy), 'area share': '' }];
  for (const [m, regions] of Object.entries(c.original.shares)) {
    for (const [r, s] of Object.entries(regions)) {
      rows.push({ measure: `${methodLabel(m)}: absolute share on ${r}`, original: formatPercent(s.absolute), masked: formatPercent(c.masked.shares[m]?.[r]?.absolute), 'area share': formatPercent(s.area) });
    }
  }
  return rows;
}
