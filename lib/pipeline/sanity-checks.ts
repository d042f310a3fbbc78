// Experiment 3 of the bias audit — are the explanations about the network at
// all? The sanity checks of Adebayo et al. (2018, "Sanity checks for saliency
// maps"):
//   - model parameter randomisation, cascading (section 3.1): the layers are
//     re-initialised from the top (lib/pipeline/sanity-randomisation.ts) and
//     the maps recomputed after each step;
//   - data randomisation (section 3.2): the same network trained on the same
//     images with their labels permuted, so it can only memorise.
// Each map of the trained model is compared with the same image's map under
// the randomised model: Spearman rank correlation (signed and of |a|) and
// SSIM (signed and absolute normalisation), lib/audit/similarity.ts. The
// class explained stays the trained model's prediction throughout, and
// GradientSHAP draws the same noise, baselines and path points, so a change
// comes from the weights alone. A method passes when the similarity drops.
//
// Layout: <run>/sanity/seed-<s>.json (resume), records.csv|json, summary.csv|json,
// and the random-label models in <run>/sanity/random-labels/seed-<s>/.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { aggregate, AggregateRow, AuditRecord } from '../audit/aggregate';
import { mapSimilarity } from '../audit/similarity';
import { modelInputs } from '../data/normalisation';
import { gradCam } from '../explain/grad-cam';
import { gradientShap } from '../explain/gradient-shap';
import { loadModel } from '../model/model-files';
import { buildPaperNet } from '../model/paper-net';
import { EXPRESSIONS } from '../data/expressions';
import { readRunConfig } from '../train/experiment';
import { experimentDataset, loadSeedTrainingData, SeedSplit, splitIndices } from '../train/experiment-data';
import { readSeedResult, seedFolder, SeedProgress, trainSeed } from '../train/train-seed';
import { readJson, writeJsonAtomic } from '../util/atomic-write';
import { createRandom, mixSeed } from '../util/random';
import { balancedPick, METHODS, Method } from './explain-run';
import { cascadeStages, reinitialiseLayers } from './sanity-randomisation';
import { methodLabel } from './audit-tables';
import { reviveRecords } from './audit-run';
import { finishedSeeds, runSeedWorkers, writeRecordTables } from './seed-workers';

const SANITY_VERSION = 1;
export const SIMILARITY_METRICS = ['spearman', 'spearmanAbs', 'ssim', 'ssimAbs'] as const;
/** The stage names besides the cascade's layer groups. */
export const TRAINED_STAGE = 'trained';
export const RANDOM_LABELS_STAGE = 'random labels';

export interface SanityOptions {
  methods: Method[];
  /** Validation images per seed, balanced over the expressions. */
  images: number;
  /** GradientSHAP samples (black baseline, as `explain`'s default). */
  samples: number;
  /** Train and compare the random-label model. */
  randomLabels: boolean;
  /** Its epochs (default: the run's). */
  randomLabelEpochs?: number;
  seed: number;
}

export const SANITY_DEFAULTS: SanityOptions = {
  methods: [...METHODS],
  images: 8,
  samples: 32,
  randomLabels: true,
  seed: 0,
};

/**
 * Seeds the main job and notebook 06 check: each needs a random-label model
 * trained like a seed, and two keep the full main job under ~45 min on two
 * cores (all five took 11 min of it). `smile-lens sanity` checks every seed.
 */
export const SANITY_SEEDS = 2;

export function sanityFolder(runDir: string): string {
  return path.join(runDir, 'sanity');
}

export interface RandomLabelModel {
  epochs: number;
  /** Accuracy on the permuted training labels after the last epoch: how far it memorised. */
  trainAccuracy: number;
  /** Accuracy on the true validation labels (chance, if the labels were really destroyed). */
  validationAccuracy: number;
}

interface SeedSanityFile {
  request: string;
  seed: number;
  stages: string[];
  randomLabelModel?: RandomLabelModel;
  seconds: number;
  records: AuditRecord[];
}

export interface SanitySummaryFile {
  run: string;
  seeds: number[];
  methods: Method[];
  /** In the order randomised: 'trained', then the cascade from the top, then 'random labels'. */
  stages: string[];
  randomLabelModels: ({ seed: number } & RandomLabelModel)[];
  options: SanityOptions;
  rows: AggregateRow[];
  seconds: number;
}

export interface SanityProgress {
  seed: number;
  stage: string;
  step: number;
  steps: number;
}

type MapSet = Record<Method, Float32Array[]>;

/** The maps of both methods for the images, explaining the given classes. */
function explainAll(model: tf.LayersModel, x: tf.Tensor4D, classes: number[], keys: number[], options: SanityOptions, normalisation: SeedSplit['normalisation']): MapSet {
  const out = {} as MapSet;
  for (const m of options.methods) {
    if (m === 'gradcam') out[m] = gradCam(model, x, { classIndex: classes }).map((r) => r.upsampled);
    else {
      out[m] = gradientShap(model, x, {
        baseline: { kind: 'black', mean: normalisation.mean, std: normalisation.std },
        samples: options.samples,
        seed: options.seed,
        imageKeys: keys,
        classIndex: classes,
      }).map((r) => r.map);
    }
  }
  return out;
}

function requestKey(split: SeedSplit, options: SanityOptions, epochs: number): string {
  return JSON.stringify({ version: SANITY_VERSION, options: { ...options, randomLabelEpochs: options.randomLabelEpochs ?? epochs }, validation: split.validation.length });
}

function seedFile(runDir: string, seed: number): string {
  return path.join(sanityFolder(runDir), `seed-${seed}.json`);
}

/** The finished checks of a seed made with these options, if any. */
function finishedSeed(runDir: string, seed: number, options: SanityOptions, epochs: number): SeedSanityFile | undefined {
  const file = seedFile(runDir, seed);
  if (!fs.existsSync(file)) return undefined;
  const split = readJson<SeedSplit>(path.join(seedFolder(runDir, seed), 'split.json'), 'a seed split');
  const done = readJson<SeedSanityFile>(file, "a seed's sanity checks");
  return done.request === requestKey(split, options, epochs) ? { ...done, records: reviveRecords(done.records) } : undefined;
}

export function randomLabelFolder(runDir: string, seed: number): string {
  return path.join(sanityFolder(runDir), 'random-labels', `seed-${seed}`);
}

/**
 * Trains (or resumes) the random-label model of a seed: the seed's training
 * images with their labels permuted (a seeded shuffle, so the class counts
 * stay), the run's settings otherwise.
 */
export async function trainRandomLabelModel(runDir: string, seed: number, epochs: number, onProgress?: (p: SeedProgress) => void): Promise<{ dir: string; model: RandomLabelModel }> {
  const { experiment: cfg } = readRunConfig(runDir);
  const split = readJson<SeedSplit>(path.join(seedFolder(runDir, seed), 'split.json'), 'a seed split');
  const { data, train, validation } = await loadSeedTrainingData(cfg, split);
  const permuted = createRandom(mixSeed(seed, 0x1abe1)).shuffle(train.map((k) => data.labels[k]));
  const labels = Int32Array.from(data.labels);
  train.forEach((k, j) => (labels[k] = permuted[j]));
  const dir = randomLabelFolder(runDir, seed);
  // A model finished for another number of epochs answers another request:
  // train it again rather than reuse it.
  const earlier = readSeedResult(dir);
  if (earlier && earlier.epochs !== epochs) fs.rmSync(dir, { recursive: true, force: true });
  const result = await trainSeed(dir, { ...data, labels }, train, validation, { seed, epochs, batchSize: cfg.batchSize, learningRate: cfg.learningRate, model: cfg.model, maxLoss: 1e4 }, onProgress);
  if (result.status !== 'done') throw new Error(`${dir}: the random-label model diverged (${result.message})`);
  const last = result.history[result.history.length - 1];
  return { dir, model: { epochs: result.epochs, trainAccuracy: last?.trainAccuracy ?? NaN, validationAccuracy: result.validation?.accuracy ?? NaN } };
}

/** Runs the sanity checks of one seed in this process; returns its records (or the finished ones). */
export async function sanitySeed(runDir: string, seed: number, options: SanityOptions, onProgress?: (p: SanityProgress) => void): Promise<AuditRecord[]> {
  const started = Date.now();
  const { experiment: cfg } = readRunConfig(runDir);
  const seedDir = seedFolder(runDir, seed);
  const result = readSeedResult(seedDir);
  if (!result || result.status !== 'done') throw new Error(`${seedDir}: seed ${seed} has no finished model to check (train it first)`);
  const split = readJson<SeedSplit>(path.join(seedDir, 'split.json'), 'a seed split');
  const request = requestKey(split, options, cfg.epochs);
  const finished = finishedSeed(runDir, seed, options, cfg.epochs);
  if (finished) return finished.records;
  const dataset = await experimentDataset(cfg);
  const chosen = balancedPick(splitIndices(dataset, split.validation, 'validation'), (i) => dataset.labels[i], options.images);
  const size = dataset.size;
  const inputs = modelInputs(dataset, chosen, split.normalisation, EXPRESSIONS.length);
  const x = tf.tensor4d(inputs.images, [chosen.length, size, size, 3]);
  const trained = await loadModel(seedDir);
  const working = await loadModel(seedDir);
  // A twin that training never saw: its initial weights are the "random" ones.
  const fresh = buildPaperNet({ ...cfg.model, size, classes: EXPRESSIONS.length, seed: 100_000 + seed });
  const records: AuditRecord[] = [];
  const stages: string[] = [TRAINED_STAGE];
  let randomLabelModel: RandomLabelModel | undefined;
  try {
    const classes = tf.tidy(() => Array.from((trained.predict(x) as tf.Tensor2D).argMax(1).dataSync()));
    const reference = explainAll(trained, x, classes, chosen, options, split.normalisation);
    const cascade = cascadeStages(working);
    const steps = cascade.length + 1 + (options.randomLabels ? 1 : 0);
    const compare = (stage: string, stageIndex: number, maps: MapSet) => {
      for (const m of options.methods) {
        chosen.forEach((i, k) => {
          const key = { image: dataset.items[i].file, class: dataset.items[i].expression, method: m, seed, stage, stageIndex };
          const s = mapSimilarity(reference[m][k], maps[m][k], { height: size, width: size });
          for (const metric of SIMILARITY_METRICS) records.push({ ...key, metric: `${metric}@${stage}`, value: s[metric] });
          // A constant map has no ranks to correlate: its Spearman is undefined, counted here.
          records.push({ ...key, metric: `allZero@${stage}`, value: maps[m][k].every((v) => v === 0) ? 1 : 0 });
        });
      }
      onProgress?.({ seed, stage, step: stageIndex + 1, steps });
    };
    compare(TRAINED_STAGE, 0, reference);
    cascade.forEach((stage, s) => {
      reinitialiseLayers(working, fresh, stage.layers);
      stages.push(stage.name);
      compare(stage.name, s + 1, explainAll(working, x, classes, chosen, options, split.normalisation));
    });
    if (options.randomLabels) {
      const epochs = options.randomLabelEpochs ?? cfg.epochs;
      const trainedRandom = await trainRandomLabelModel(runDir, seed, epochs, (p) => onProgress?.({ seed, stage: `${RANDOM_LABELS_STAGE}: training epoch ${p.epoch}/${p.epochs}`, step: cascade.length + 1, steps }));
      randomLabelModel = trainedRandom.model;
      const model = await loadModel(trainedRandom.dir);
      try {
        stages.push(RANDOM_LABELS_STAGE);
        compare(RANDOM_LABELS_STAGE, cascade.length + 1, explainAll(model, x, classes, chosen, options, split.normalisation));
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([x]);
    trained.dispose();
    working.dispose();
    fresh.dispose();
  }
  const out: SeedSanityFile = { request, seed, stages, randomLabelModel, seconds: (Date.now() - started) / 1000, records };
  writeJsonAtomic(seedFile(runDir, seed), out);
  return records;
}

export interface SanityRunOptions {
  backend: string;
  jobs?: number;
  /** Which seeds (default: the run's finished ones). */
  seeds?: number[];
}

/** Runs the sanity checks for a run's seeds in worker processes and writes the records and aggregates. */
export async function sanityRun(runDir: string, options: SanityOptions, run: SanityRunOptions): Promise<{ records: AuditRecord[]; summary: SanitySummaryFile }> {
  const config = readRunConfig(runDir);
  const cfg = config.experiment;
  const seeds = finishedSeeds(runDir, config, run.seeds, 'check');
  await runSeedWorkers<SanityProgress>('sanity-seed', runDir, seeds.filter((s) => !finishedSeed(runDir, s, options, cfg.epochs)), options, run, {
    label: 'sanity checks',
    describe: (q) => `seed ${q.seed} ${q.step}/${q.steps} (${q.stage})`,
    failure: (seed) => `sanity checks of seed ${seed}`,
  });
  const files = seeds.map((s) => readJson<SeedSanityFile>(seedFile(runDir, s), "a seed's sanity checks"));
  const records = reviveRecords(files.flatMap((f) => f.records));
  const summary: SanitySummaryFile = {
    run: runDir,
    seeds,
    methods: options.methods,
    stages: files[0].stages,
    randomLabelModels: files.filter((f) => f.randomLabelModel).map((f) => ({ seed: f.seed, ...f.randomLabelModel! })),
    options,
    rows: aggregate(records),
    seconds: files.reduce((s, f) => s + f.seconds, 0),
  };
  writeRecordTables(sanityFolder(runDir), records, ['seed', 'method', 'image', 'class', 'stage', 'stageIndex', 'metric', 'value'], summary);
  return { records, summary };
}

export function readSanitySummary(runDir: string): SanitySummaryFile | undefined {
  const file = path.join(sanityFolder(runDir), 'summary.json');
  return fs.existsSync(file) ? readJson<SanitySummaryFile>(file, 'a sanity-check summary') : undefined;
}

/** Mean similarity per method, metric and stage (over seeds), in stage order: the table behind the figure. */
export function sanityTable(summary: SanitySummaryFile): Record<string, string | number>[] {
  const out: Record<string, string | number>[] = [];
  for (const m of summary.methods) {
    for (const stage of summary.stages) {
      const line: Record<string, string | number> = { method: methodLabel(m), 'randomised up to': stage };
      for (const metric of SIMILARITY_METRICS) {
        const row = summary.rows.find((r) => r.method === m && r.metric === `${metric}@${stage}` && r.class === 'all');
        const v = row?.summary.mean;
        line[metric] = typeof v === 'number' && Number.isFinite(v) ? Number(v.toFixed(3)) : 'n/a';
      }
      const zero = summary.rows.find((r) => r.method === m && r.metric === `allZero@${stage}` && r.class === 'all')?.summary.mean;
      line['all-zero maps'] = typeof zero === 'number' ? `${(100 * zero).toFixed(0)}%` : 'n/a';
      out.push(line);
    }
  }
  return out;
}
