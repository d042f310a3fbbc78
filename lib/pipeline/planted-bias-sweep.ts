// Experiment 2 of the bias audit — can the explainers find a bias we planted?
// For each strength p, a synthetic set whose hair clip (or background tint)
// shows the colour of the expression's class with probability p
// (lib/data/synthetic/planted-bias.ts), the paper's network trained on it,
// its validation images explained and audited as in experiment 1. The
// explainers find the bias when the feature's region (hair or background)
// gets a larger share of the attribution as p grows.
//
// Accuracy is measured twice on the same held-out subjects (each seed's
// subject-disjoint validation split): on their photographs as drawn with
// strength p (the bias present, as in training), and on the same
// photographs drawn again with strength 0 — identical faces, poses and
// expressions, only the planted colour re-drawn independently of the label
// (the correlation broken). Same generator seed and subjects, so the
// p = 0 set is both the p = 0 training set and every p's broken validation
// set; the subject split is the same for every p. A network that learnt the
// colour scores well on the first and falls on the second; `followsPlant`
// is how often its prediction on the broken set is the class the colour
// stands for.
//
// A sweep folder (SweepFolder) holds a run folder per strength (train,
// explain, audit, broken validation) and the sweep's result; the data sets
// go under data/planted-bias/. Every stage resumes.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { AggregateRow, findRow, toCsv } from '../audit/aggregate';
import { AUDIT_DEFAULTS } from '../config/audit';
import { BiasSweepConfig, checkSweepConfig } from '../config/bias-sweep';
import type { ExperimentConfig } from '../config/experiment';
import { EXPLAIN_DEFAULTS } from '../config/explain';
import { loadDataset } from '../data/dataset';
import { modelInputs } from '../data/normalisation';
import { generateSyntheticCfd, readManifest, resolveOptions } from '../data/synthetic/generate';
import { loadModel } from '../model/model-files';
import { EXPRESSIONS } from '../data/expressions';
import { methodLabel } from '../explain/registry';
import { progressCallback } from '../progress/reporter';
import type { MetricsFile } from '../run/files';
import { dataRoot, displayPath } from '../run/locations';
import { RunFolder, SweepFolder } from '../run/run-folder';
import { splitIndices } from '../train/experiment-data';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/atomic-write';
import { Interval, intervalMethodText, summariseCounts, summariseNested } from '../util/interval';
import { explainRun } from './explain-run';
import { auditRun } from './audit-run';
import { trainRun } from './train-run';
import { StageContext, stageContext } from './stage-context';
import { metered } from '../util/compute-meter';

/** A readable id of the settings, so the same sweep resumes in the same folder. */
export function biasSweepId(c: BiasSweepConfig): string {
  const e = c.experiment;
  return `${c.feature}-${c.synthetic.subjects}subjects-${e.size}px-${e.epochs}ep-${e.seeds.length}seeds`;
}

export function plantedDataFolder(c: BiasSweepConfig, strength: number): string {
  const s = c.synthetic;
  // Per feature: at strength 0 the feature is still drawn (in a random colour), so hair and background sets differ.
  return path.join(dataRoot(), 'planted-bias', `${c.feature}-p${strength.toFixed(2)}-${s.subjects}s-${s.expressiveSubjects ?? 'default'}e-${s.width}w-seed${s.seed}`);
}

/** Generates the planted set of a strength unless a complete one with the same options is there. */
export async function ensurePlantedData(c: BiasSweepConfig, strength: number): Promise<string> {
  const folder = plantedDataFolder(c, strength);
  const wanted = resolveOptions({ ...c.synthetic, bias: { feature: c.feature, strength } });
  const found = readManifest(folder);
  if (found && JSON.stringify(found.options) === JSON.stringify(wanted)) return folder;
  await generateSyntheticCfd(folder, wanted, progressCallback(`generating the ${c.feature} p = ${strength} set`));
  return folder;
}

export interface BrokenValidation {
  seed: number;
  /** Accuracy on the held-out subjects' photographs with the correlation broken (strength 0). */
  accuracy: number;
  /** Share of those predictions that name the class the planted colour stands for. */
  followsPlant: number;
  images: number;
}

/** Accuracy of each seed's model on its validation subjects drawn with strength 0. */
export async function evaluateBroken(run: RunFolder, cfg: ExperimentConfig, brokenFolder: string): Promise<BrokenValidation[]> {
  const file = run.brokenValidationFile;
  if (fs.existsSync(file)) {
    const done = readJson<{ data: string; seeds: BrokenValidation[] }>(file, 'broken-validation results');
    if (done.data === brokenFolder && done.seeds.length === cfg.seeds.length) return done.seeds;
  }
  const dataset = await loadDataset(brokenFolder, { size: cfg.size, crop: cfg.crop, table: false, masks: false });
  const planted = new Map((readManifest(brokenFolder)?.images ?? []).map((r) => [r.file, r.planted]));
  const out: BrokenValidation[] = [];
  for (const seed of cfg.seeds) {
    const folder = run.seed(seed);
    const split = folder.readSplit();
    const indices = splitIndices(dataset, split.validation, 'validation (in the strength-0 set)');
    const inputs = modelInputs(dataset, indices, split.normalisation, EXPRESSIONS.length);
    const model = await loadModel(folder.modelDir);
    const predicted = metered('forward pass', indices.length, () =>
      tf.tidy(() => Array.from((model.predict(tf.tensor4d(inputs.images, [indices.length, cfg.size, cfg.size, 3])) as tf.Tensor2D).argMax(1).dataSync())),
    );
    model.dispose();
    let correct = 0;
    let follows = 0;
    indices.forEach((i, k) => {
      if (predicted[k] === dataset.labels[i]) correct++;
      if (predicted[k] === planted.get(dataset.items[i].file)) follows++;
    });
    out.push({ seed, accuracy: correct / indices.length, followsPlant: follows / indices.length, images: indices.length });
  }
  writeJsonAtomic(file, { data: brokenFolder, seeds: out });
  return out;
}

export interface SweepPoint {
  strength: number;
  run: string;
  accuracy: { biased: Interval; broken: Interval };
  followsPlant: Interval;
  /** The feature region's share of the picture. */
  area: Interval;
  /** method → the feature region's share of the attribution (mean over seeds). */
  shares: Record<string, { absolute: Interval; positive: Interval }>;
}

export interface SweepVerdict {
  method: string;
  kind: 'absolute' | 'positive';
  low: { strength: number; share: number };
  high: { strength: number; share: number };
  /**
   * 'clearly': the share at the highest strength exceeds the lowest's by at
   * least 2 points and a quarter of its value; 'slightly': by less; 'no': not at all.
   */
  rose: 'clearly' | 'slightly' | 'no';
  /** It never fell from one strength to the next. */
  monotonic: boolean;
}

export interface BiasSweepResult {
  config: BiasSweepConfig;
  region: string;
  points: SweepPoint[];
  verdicts: SweepVerdict[];
  seconds: number;
}

function interval(rows: readonly AggregateRow[], method: string, metric: string): Interval {
  return findRow(rows, method, metric)?.summary ?? summariseNested([]);
}

export function sweepVerdicts(points: readonly SweepPoint[], methods: readonly string[]): SweepVerdict[] {
  const out: SweepVerdict[] = [];
  for (const method of methods) {
    for (const kind of ['absolute', 'positive'] as const) {
      const shares = points.map((p) => p.shares[method]?.[kind]?.mean ?? NaN);
      const lo = shares[0];
      const hi = shares[shares.length - 1];
      const gain = hi - lo;
      out.push({
        method,
        kind,
        low: { strength: points[0].strength, share: lo },
        high: { strength: points[points.length - 1].strength, share: hi },
        rose: gain >= Math.max(0.02, 0.25 * lo) ? 'clearly' : gain > 0 ? 'slightly' : 'no',
        monotonic: shares.every((v, k) => k === 0 || v >= shares[k - 1]),
      });
    }
  }
  return out;
}

/** The result in plain words: did the explainers find the planted bias? */
export function sweepInWords(r: BiasSweepResult): string {
  const pct = (v: number) => (typeof v === 'number' && Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');
  const lines: string[] = [];
  for (const m of r.config.methods) {
    const abs = r.verdicts.find((v) => v.method === m && v.kind === 'absolute')!;
    const pos = r.verdicts.find((v) => v.method === m && v.kind === 'positive')!;
    const said =
      abs.rose === 'clearly'
        ? `it **rose clearly**${abs.monotonic ? '' : ' (though not at every step)'}: the explainer found the planted ${r.config.feature} bias`
        : abs.rose === 'slightly'
          ? `it rose **only slightly**: the explainer barely shows the planted ${r.config.feature} bias`
          : `it **did not rise**: the explainer did NOT find the planted ${r.config.feature} bias`;
    lines.push(
      `**${methodLabel(m)}**: the ${r.region} share of the absolute attribution went from **${pct(abs.low.share)}** at p = ${abs.low.strength} to **${pct(abs.high.share)}** at p = ${abs.high.strength} ` +
        `(positive attribution: ${pct(pos.low.share)} → ${pct(pos.high.share)}); ${said}.`,
    );
  }
  const lo = r.points[0];
  const hi = r.points[r.points.length - 1];
  lines.push(
    `Accuracy on the held-out subjects: ${pct(lo.accuracy.biased.mean)} → ${pct(hi.accuracy.biased.mean)} with the bias present (p = ${lo.strength} → ${hi.strength}), ` +
      `${pct(lo.accuracy.broken.mean)} → ${pct(hi.accuracy.broken.mean)} with the correlation broken; at p = ${hi.strength} the network named the planted colour's class for ${pct(hi.followsPlant.mean)} of the broken images ` +
      `(chance: about 20%).`,
  );
  return lines.join('\n\n');
}

/** One line per strength: accuracies and the feature region's share for each method. */
export function sweepTable(r: BiasSweepResult): Record<string, string | number>[] {
  const pct = (s: Interval) => (typeof s.mean === 'number' && Number.isFinite(s.mean) ? `${(100 * s.mean).toFixed(1)}%` : 'n/a');
  return r.points.map((p) => {
    const line: Record<string, string | number> = {
      p: p.strength,
      'accuracy, bias present': pct(p.accuracy.biased),
      'accuracy, correlation broken': pct(p.accuracy.broken),
      'follows the planted colour': pct(p.followsPlant),
      [`${r.region} area`]: pct(p.area),
    };
    for (const m of r.config.methods) {
      line[`${methodLabel(m)} ${r.region} share (abs)`] = pct(p.shares[m].absolute);
      line[`${methodLabel(m)} ${r.region} share (pos)`] = pct(p.shares[m].positive);
    }
    return line;
  });
}

/** The sweep as numbers for the CSV: one line per strength and measure, mean and 95% interval over seeds (bootstrap over seeds and images; none below three seeds). */
export function sweepRecords(r: BiasSweepResult): Record<string, string | number>[] {
  const out: Record<string, string | number>[] = [];
  const add = (strength: number, measure: string, s: Interval) => out.push({ strength, measure, seeds: s.n, mean: s.mean, ci95_low: s.ci95[0], ci95_high: s.ci95[1], interval: intervalMethodText(s) });
  for (const p of r.points) {
    add(p.strength, 'accuracy/bias present', p.accuracy.biased);
    add(p.strength, 'accuracy/correlation broken', p.accuracy.broken);
    add(p.strength, 'follows planted colour', p.followsPlant);
    add(p.strength, `area/${r.region}`, p.area);
    for (const m of r.config.methods) {
      add(p.strength, `${m}/absoluteShare/${r.region}`, p.shares[m].absolute);
      add(p.strength, `${m}/positiveShare/${r.region}`, p.shares[m].positive);
    }
  }
  return out;
}

/** One strength: its data set, a run trained on it, explained and audited, and the accuracy with the correlation broken. */
async function sweepPoint(c: BiasSweepConfig, strength: number, run: RunFolder, broken: string, ctx: StageContext): Promise<SweepPoint> {
  const region = c.feature;
  const data = await ensurePlantedData(c, strength);
  ctx.log(`planted ${c.feature} bias, p = ${strength}: ${displayPath(run.dir)}`);
  const cfg: ExperimentConfig = { ...c.experiment, data };
  const metrics: MetricsFile = await trainRun(cfg, run, ctx);
  await explainRun(run, { ...EXPLAIN_DEFAULTS, methods: c.methods, limit: c.explainImages, options: c.options }, ctx);
  // The deletion check is experiment 1's question; the sweep needs only the shares.
  const audit = await auditRun(run, { ...AUDIT_DEFAULTS, methods: c.methods, deletion: false }, ctx);
  const brokenAcc = await evaluateBroken(run, cfg, broken);
  const shares: SweepPoint['shares'] = {};
  for (const m of c.methods) shares[m] = { absolute: interval(audit.summary.rows, m, `absoluteShare/${region}`), positive: interval(audit.summary.rows, m, `positiveShare/${region}`) };
  return {
    strength,
    run: run.dir,
    accuracy: { biased: metrics.summary.accuracy, broken: summariseCounts(brokenAcc.map((b) => ({ hits: Math.round(b.accuracy * b.images), n: b.images }))) },
    followsPlant: summariseCounts(brokenAcc.map((b) => ({ hits: Math.round(b.followsPlant * b.images), n: b.images }))),
    area: interval(audit.summary.rows, c.methods[0], `area/${region}`),
    shares,
  };
}

/** Runs the sweep (resuming finished stages) and writes its result into the sweep folder. */
export async function biasSweep(config: BiasSweepConfig, out: string | SweepFolder, given: Partial<StageContext> = {}): Promise<BiasSweepResult> {
  const started = Date.now();
  const ctx = stageContext(given);
  const sweep = typeof out === 'string' ? new SweepFolder(out) : out;
  const c = checkSweepConfig(config);
  const broken = await ensurePlantedData(c, 0);
  // The strengths are independent: all at once, so that their units share the executor's lanes.
  const points = await Promise.all(c.strengths.map((p) => sweepPoint(c, p, sweep.strength(p), broken, ctx)));
  const result: BiasSweepResult = { config: c, region: c.feature, points, verdicts: sweepVerdicts(points, c.methods), seconds: (Date.now() - started) / 1000 };
  writeJsonAtomic(sweep.resultFile, result);
  writeFileAtomic(sweep.csvFile, toCsv(sweepRecords(result)));
  return result;
}

export function readBiasSweep(out: string | SweepFolder): BiasSweepResult | undefined {
  return (typeof out === 'string' ? new SweepFolder(out) : out).readResult<BiasSweepResult>();
}
