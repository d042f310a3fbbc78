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
import { displayPath } from '../run/locations';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { auditMasks } from '../audit/region-masks';
import { findRow } from '../audit/aggregate';
import type { AuditConfig } from '../config/audit';
import type { ExperimentConfig } from '../config/experiment';
import { EXPLAIN_DEFAULTS, ExplainConfig } from '../config/explain';
import { MASKING_DEFAULTS, MaskingConfig } from '../config/masking';
import { imagePixels } from '../data/dataset';
import { REGIONS_FILE, UNLABELLED } from '../data/regions';
import type { MaskerChoice } from '../regions/masker-names';
import { forEachLimited } from '../data/decode';
import { methodLabel } from '../explain/registry';
import type { ProgressCallback } from '../progress/callback';
import { progressCallback } from '../progress/reporter';
import { RunFolder, runFolder } from '../run/run-folder';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/atomic-write';
import { formatPercent, Interval } from '../util/interval';
import { trainRun } from './train-run';
import { explainRun, parseRequestKey } from './explain-run';
import { auditDataset, auditRun, readAuditSummary } from './audit-run';
import { explainedMethods } from './explanation-maps';
import { regionSource } from './audit-region-labels';
import { StageContext, stageContext } from './stage-context';

export interface MaskedManifest {
  source: string;
  size: number;
  crop: ExperimentConfig['crop'];
  regions: string[];
  /** RGB 0..255 painted over the masked regions. */
  fill: [number, number, number];
  /** The masker the regions come from (the audit's choice) and why. */
  regionSource: string;
  regionReason: string;
  images: number;
  /** Images whose face the masker did not find: copied unpainted, their label map all unlabelled. */
  notFound: string[];
  /** Mean share of each picture painted over. */
  maskedShare: number;
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
export async function writeMaskedDataset(cfg: ExperimentConfig, out: string, manifestFile: string, options: MaskingConfig, regions: MaskerChoice = 'auto', onProgress?: ProgressCallback): Promise<MaskedManifest> {
  const dataset = await auditDataset(cfg);
  // The audit's masker (cached: the audit and this share the computed masks).
  const source = await regionSource(dataset, regions, { onProgress: (done, total) => onProgress?.(done, 2 * total) });
  const size = dataset.size;
  const fill = meanColour(dataset.pixels);
  const wanted = { source: dataset.root, size, crop: cfg.crop, regions: options.regions, fill, regionSource: source.kind, regionReason: source.reason, images: dataset.items.length, notFound: source.notFound };
  if (fs.existsSync(manifestFile)) {
    const found = readJson<MaskedManifest>(manifestFile, 'a masked data set manifest');
    const { maskedShare: _share, ...same } = found;
    if (JSON.stringify(same) === JSON.stringify(wanted)) return found;
    fs.rmSync(out, { recursive: true, force: true });
  }
  const legend = { ...source.legend, folder: 'regions' };
  let masked = 0;
  await forEachLimited(dataset.items.length, 2, async (i) => {
    const labels = source.labels(i) ?? new Uint8Array(size * size).fill(UNLABELLED);
    const masks = auditMasks(labels, source.legend, options.regions);
    const union = new Uint8Array(labels.length);
    for (const m of Object.values(masks)) for (let p = 0; p < m.length; p++) union[p] |= m[p];
    masked += union.reduce((s, v) => s + v, 0) / union.length;
    const rel = dataset.items[i].file.replace(/\.[^./\\]+$/, '.png');
    const rgb = paintMasked(imagePixels(dataset, i), union, fill);
    // PNG, not JPEG: lossless, so the painted area is exactly one colour.
    writeFileAtomic(path.join(out, rel), await sharp(Buffer.from(rgb), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
    writeFileAtomic(path.join(out, legend.folder, rel), await sharp(Buffer.from(labels), { raw: { width: size, height: size, channels: 1 } }).png().toBuffer());
    onProgress?.(dataset.items.length + i + 1, 2 * dataset.items.length);
  });
  writeJsonAtomic(path.join(out, REGIONS_FILE), legend);
  const manifest: MaskedManifest = { ...wanted, maskedShare: masked / dataset.items.length };
  writeJsonAtomic(manifestFile, manifest);
  return manifest;
}

/**
 * The explanation settings a run was explained with (read back from its
 * sidecars), so the masked run is explained the same way: the same methods,
 * options, class, target and number of images per seed.
 */
export function explainConfigOf(dir: string | RunFolder, seed: number): ExplainConfig {
  const run = runFolder(dir);
  const methods = explainedMethods(run, [seed]);
  if (methods.length === 0) throw new Error(`${run.dir}: seed ${seed} has no explanations (run \`smile-lens explain --run ${run.dir}\` first)`);
  const config: ExplainConfig = { ...EXPLAIN_DEFAULTS, methods, options: {} };
  for (const m of methods) {
    const sidecars = run.explanations(m, seed).readIndex()!;
    config.limit = Math.max(config.limit, sidecars.length);
    const request = parseRequestKey(sidecars[0]?.request);
    if (request.classIndex !== undefined) config.classIndex = request.classIndex;
    if (request.target) config.target = request.target;
    config.options[m] = request.options;
  }
  return config;
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

function runFigures(run: RunFolder, methods: readonly string[]): RunFigures {
  const metrics = run.readMetrics();
  const audit = readAuditSummary(run);
  if (!audit) throw new Error(`${run.dir}: no audit (run \`smile-lens audit --run ${run.dir}\` first)`);
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
  masking?: MaskingConfig;
  /** Where the regions come from: the audit's choice (default auto). */
  regions?: MaskerChoice;
  /** Audit settings; default: those of the original run's audit. */
  audit?: AuditConfig;
}

/**
 * The first half of the experiment: the masked copy of the data and the run
 * trained on it. It needs only the original run's settings, not its models,
 * so the main job starts it beside the original training.
 */
export async function maskedTraining(dir: string | RunFolder, options: Pick<MaskedRetrainingOptions, 'masking' | 'regions'> = {}, given: Partial<StageContext> = {}): Promise<{ manifest: MaskedManifest; run: RunFolder }> {
  const ctx = stageContext(given);
  const run = runFolder(dir);
  const { experiment: cfg } = run.readConfig();
  const folder = run.masked;
  const masking = options.masking ?? MASKING_DEFAULTS;
  const manifest = await writeMaskedDataset(cfg, folder.data, folder.manifestFile, masking, options.regions, progressCallback(`masking ${masking.regions.join(' and ')}`));
  ctx.log(`masked data: ${displayPath(folder.data)} (${masking.regions.join(', ')} painted rgb(${manifest.fill.join(', ')}), ${(100 * manifest.maskedShare).toFixed(1)}% of each picture on average)`);
  const maskedCfg: ExperimentConfig = { ...cfg, data: folder.data, crop: 'none' };
  await trainRun(maskedCfg, folder.run, ctx);
  return { manifest, run: folder.run };
}

/** Trains, explains and audits the run again on the masked data; writes and returns the comparison. */
export async function maskedRetraining(dir: string | RunFolder, options: MaskedRetrainingOptions = {}, given: Partial<StageContext> = {}): Promise<MaskedComparison> {
  const started = Date.now();
  const ctx = stageContext(given);
  const run = runFolder(dir);
  const { experiment: cfg } = run.readConfig();
  const folder = run.masked;
  const { manifest, run: maskedRun } = await maskedTraining(run, options, ctx);
  // Same subjects held out as in the original run, or the comparison means little.
  const modelOf = (f: string) => path.basename(f).split('-').slice(1, 3).join('-');
  for (const s of cfg.seeds) {
    const a = run.seed(s).readSplit().validation.map(modelOf).sort();
    const b = maskedRun.seed(s).readSplit().validation.map(modelOf).sort();
    if (JSON.stringify(a) !== JSON.stringify(b)) ctx.log(`warning: seed ${s} holds out other subjects in the masked run than in the original`);
  }
  const explain = explainConfigOf(run, cfg.seeds[0]);
  await explainRun(maskedRun, explain, ctx);
  const auditOptions = options.audit ?? readAuditSummary(run)?.options;
  if (!auditOptions) throw new Error(`${run.dir}: no audit to compare with (run \`smile-lens audit --run ${run.dir}\` first)`);
  // The masked copy carries the original masker's label maps: its audit reads them as its ground truth.
  const { methods } = (await auditRun(maskedRun, { ...auditOptions, regions: 'ground-truth' }, ctx)).summary;
  const comparison: MaskedComparison = {
    masking: manifest,
    original: runFigures(run, methods),
    masked: runFigures(maskedRun, methods),
    seconds: (Date.now() - started) / 1000,
  };
  writeJsonAtomic(folder.comparisonFile, comparison);
  return comparison;
}

export function readMaskedComparison(dir: string | RunFolder): MaskedComparison | undefined {
  return runFolder(dir).masked.readComparison<MaskedComparison>();
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
