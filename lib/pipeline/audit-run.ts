// Experiment 1 of the bias audit — where does the network look? For every
// seed, method and explained image of a run (the maps `smile-lens explain`
// wrote), the region shares, the face metrics and the deletion check
// (lib/pipeline/audit-image.ts), then aggregated per expression and overall:
// mean ± 95% interval over seeds, averaging within a seed first
// (lib/audit/aggregate.ts). Layout:
//   <run>/audit/seed-<s>.json   one seed's records (resume: a finished seed is kept)
//   <run>/audit/records.csv|json  every record of every seed
//   <run>/audit/summary.csv|json  the aggregates
// Seeds run in worker processes (`smile-lens audit-seed`), like explain.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { aggregate, AggregateRow, AuditRecord } from '../audit/aggregate';
import { DEFAULT_DELETION_FRACTIONS, ScoreFunction } from '../audit/deletion';
import { Dataset, loadDataset } from '../data/dataset';
import { modelInputs } from '../data/normalisation';
import { gaussianBlur } from '../explain/gaussian-blur';
import { loadModel } from '../model/model-files';
import { EXPRESSIONS } from '../data/expressions';
import { readRunConfig, type ExperimentConfig } from '../train/experiment';
import type { SeedSplit } from '../train/experiment-data';
import { readSeedResult, seedFolder } from '../train/train-seed';
import { finishedSeeds, runSeedWorkers, writeRecordTables } from './seed-workers';
import { readJson, writeJsonAtomic } from '../util/atomic-write';
import { liveLine } from '../progress/live-line';
import { explanationFolder, METHODS, Method, readExplanations } from './explain-run';
import { deletionRecords, regionRecords } from './audit-image';
import { mapAtInputSize } from './explanation-maps';
import { RegionSource, regionSource } from './audit-region-labels';

/** Bump when the same inputs would give other records. */
const AUDIT_VERSION = 1;

export interface AuditOptions {
  methods: Method[];
  /** Run the deletion check (the slow part: 1 + (1 + randomDraws) × fractions forward passes per map). */
  deletion: boolean;
  fractions: number[];
  randomDraws: number;
  /** σ of the blurred replacement as a fraction of the image side (1/16: 8 px at 128 px, as GradientSHAP's blur baseline). */
  blurSigmaFraction: number;
  seed: number;
}

export const AUDIT_DEFAULTS: AuditOptions = {
  methods: [...METHODS],
  deletion: true,
  fractions: DEFAULT_DELETION_FRACTIONS,
  randomDraws: 3,
  blurSigmaFraction: 1 / 16,
  seed: 0,
};

export function auditFolder(runDir: string): string {
  return path.join(runDir, 'audit');
}

interface SeedAuditFile {
  request: string;
  seed: number;
  regions: { kind: RegionSource['kind']; names: string[]; warnings: string[] };
  seconds: number;
  records: AuditRecord[];
}

export interface AuditSummaryFile {
  run: string;
  methods: Method[];
  seeds: number[];
  regions: { kind: RegionSource['kind']; names: string[] };
  options: AuditOptions;
  rows: AggregateRow[];
  seconds: number;
}

export interface AuditResult {
  records: AuditRecord[];
  summary: AuditSummaryFile;
}

/** The data set with region label maps (when it has them), as the run saw it. */
export async function auditDataset(cfg: ExperimentConfig, onProgress?: (done: number, total: number) => void): Promise<Dataset> {
  return loadDataset(cfg.data, { size: cfg.size, crop: cfg.crop, table: false, onProgress });
}

/** What a seed's audit depends on: the options and the explanations it reads (their options and images). */
function requestKey(runDir: string, seed: number, options: AuditOptions): string {
  const explanations = options.methods.map((m) => {
    const sidecars = readExplanations(runDir, m, seed);
    if (!sidecars) throw new Error(`${explanationFolder(runDir, m, seed)}: no finished ${m} explanations for seed ${seed} (run \`smile-lens explain --run ${runDir}\` first)`);
    return [m, sidecars.map((s) => [s.image, s.request])];
  });
  return JSON.stringify({ version: AUDIT_VERSION, options, explanations });
}

/** Records read back from JSON, where NaN (an undefined share, a constant map) was written as null. */
export function reviveRecords(records: AuditRecord[]): AuditRecord[] {
  return records.map((r) => (r.value === null ? { ...r, value: NaN } : r));
}

function seedFile(runDir: string, seed: number): string {
  return path.join(auditFolder(runDir), `seed-${seed}.json`);
}

function finishedSeed(runDir: string, seed: number, request: string): SeedAuditFile | undefined {
  const file = seedFile(runDir, seed);
  if (!fs.existsSync(file)) return undefined;
  const done = readJson<SeedAuditFile>(file, "a seed's audit records");
  return done.request === request ? { ...done, records: reviveRecords(done.records) } : undefined;
}

export interface AuditProgress {
  seed: number;
  method: Method;
  done: number;
  total: number;
}

/** The explained class's score (pre-softmax, what the explainers explain) for a batch, in inference mode. */
export function classScoreFunction(model: tf.LayersModel, size: number, classIndex: number): ScoreFunction {
  return async (images, count) => {
    const scores = tf.tidy(() => {
      const out = model.predict(tf.tensor4d(images, [count, size, size, 3])) as tf.Tensor2D;
      return out.slice([0, classIndex], [count, 1]).reshape([count]);
    });
    const values = await scores.data();
    scores.dispose();
    return values;
  };
}

/** Audits one seed of a run in this process; returns its records (or the finished ones). */
export async function auditSeed(runDir: string, seed: number, options: AuditOptions, onProgress?: (p: AuditProgress) => void): Promise<AuditRecord[]> {
  const started = Date.now();
  const { experiment: cfg } = readRunConfig(runDir);
  const request = requestKey(runDir, seed, options);
  const finished = finishedSeed(runDir, seed, request);
  if (finished) return finished.records;
  const seedDir = seedFolder(runDir, seed);
  const result = readSeedResult(seedDir);
  if (!result || result.status !== 'done') throw new Error(`${seedDir}: seed ${seed} has no finished model to audit (train it first)`);
  const split = readJson<SeedSplit>(path.join(seedDir, 'split.json'), 'a seed split');
  const dataset = await auditDataset(cfg);
  const byFile = new Map(dataset.items.map((item, i) => [item.file, i]));
  const source = regionSource(dataset);
  const size = dataset.size;
  const model = await loadModel(seedDir);
  const blurred = new Map<number, Float32Array>();
  const records: AuditRecord[] = [];
  try {
    for (const method of options.methods) {
      const folder = explanationFolder(runDir, method, seed);
      const sidecars = readExplanations(runDir, method, seed)!;
      for (let k = 0; k < sidecars.length; k++) {
        const s = sidecars[k];
        const i = byFile.get(s.image);
        if (i === undefined) throw new Error(`${path.join(folder, s.npy)}: explains ${s.image}, which is not in ${cfg.data} (the data changed since the run was explained)`);
        // Grad-CAM's raw map is at the layer's resolution: compared at the input's, as the overlays show it.
        if (s.inputSize !== size) throw new Error(`${path.join(folder, s.npy)}: explains a ${s.inputSize}-pixel input, the run's data are ${size} pixels`);
        const map = mapAtInputSize(folder, s);
        const key = { image: s.image, class: s.expression, method, seed };
        records.push(...regionRecords(key, map, source.labels(i), source.legend, source.regions, size));
        if (options.deletion) {
          const input = modelInputs(dataset, [i], split.normalisation, EXPRESSIONS.length).images;
          let replacement = blurred.get(i);
          if (!replacement) {
            // Blur commutes with the per-channel normalisation, so blurring the model's input is blurring the photo.
            const t = tf.tidy(() => gaussianBlur(tf.tensor4d(input, [1, size, size, 3]), options.blurSigmaFraction * size));
            replacement = t.dataSync() as Float32Array;
            t.dispose();
            blurred.set(i, replacement);
          }
          records.push(
            ...(await deletionRecords(key, classScoreFunction(model, size, s.classIndex), input, map, replacement, size, {
              fractions: options.fractions,
              randomDraws: options.randomDraws,
              seed: options.seed,
            })),
          );
        }
        onProgress?.({ seed, method, done: k + 1, total: sidecars.length });
      }
    }
  } finally {
    model.dispose();
  }
  const file: SeedAuditFile = {
    request,
    seed,
    regions: { kind: source.kind, names: source.regions, warnings: source.warnings },
    seconds: (Date.now() - started) / 1000,
    records,
  };
  writeJsonAtomic(seedFile(runDir, seed), file);
  return records;
}

export interface AuditRunOptions {
  backend: string;
  jobs?: number;
  /** Which seeds (default: the run's finished ones). */
  seeds?: number[];
}

/** Audits a run's seeds in worker processes (skipping finished ones) and writes the records and the aggregates. */
export async function auditRun(runDir: string, options: AuditOptions, run: AuditRunOptions): Promise<AuditResult> {
  const config = readRunConfig(runDir);
  const cfg = config.experiment;
  const seeds = finishedSeeds(runDir, config, run.seeds, 'audit');
  const pending = seeds.filter((s) => !finishedSeed(runDir, s, requestKey(runDir, s, options)));
  if (pending.length) {
    // Decode (and cache) the images with their label maps once, before the workers read them.
    const decoding = liveLine();
    await auditDataset(cfg, (done, total) => decoding.update(`audit: decoding images and region maps ${done}/${total}`));
    decoding.done();
  }
  await runSeedWorkers<AuditProgress>('audit-seed', runDir, pending, options, run, {
    label: 'auditing',
    describe: (q) => `seed ${q.seed} ${q.method} ${q.done}/${q.total}`,
    failure: (seed) => `audit of seed ${seed}`,
  });
  const files = seeds.map((s) => readJson<SeedAuditFile>(seedFile(runDir, s), "a seed's audit records"));
  const records = reviveRecords(files.flatMap((f) => f.records));
  const summary: AuditSummaryFile = {
    run: runDir,
    methods: options.methods,
    seeds,
    regions: { kind: files[0].regions.kind, names: files[0].regions.names },
    options,
    rows: aggregate(records),
    seconds: files.reduce((s, f) => s + f.seconds, 0),
  };
  writeRecordTables(auditFolder(runDir), records, ['seed', 'method', 'image', 'class', 'metric', 'region', 'fraction', 'value'], summary);
  return { records, summary };
}

/** The aggregates of a finished audit, or undefined when the run has none. */
export function readAuditSummary(runDir: string): AuditSummaryFile | undefined {
  const file = path.join(auditFolder(runDir), 'summary.json');
  return fs.existsSync(file) ? readJson<AuditSummaryFile>(file, 'an audit summary') : undefined;
}
