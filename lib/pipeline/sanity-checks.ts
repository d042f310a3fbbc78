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
// One records file per seed (resume), then every record and the aggregates,
// and a random-label model per seed, in the run folder's sanity tables
// (RunFolder.sanity).
import * as tf from '@tensorflow/tfjs';
import { aggregate, aggregateTable, AuditRecord } from '../audit/aggregate';
import { mapSimilarity } from '../audit/similarity';
import { DEFAULT_METHODS } from '../config/explain';
import type { SanityConfig } from '../config/sanity';
import { modelInputs } from '../data/normalisation';
import { explainer, methodLabel } from '../explain/registry';
import { resolveOptions } from '../explain/explainer';
import { loadModel } from '../model/model-files';
import { buildPaperNet } from '../model/paper-net';
import { EXPRESSIONS } from '../data/expressions';
import type { RandomLabelModel, SanitySummaryFile, SeedSanityFile, SeedSplit } from '../run/files';
import { RunFolder, runFolder } from '../run/run-folder';
import { experimentDataset, loadSeedTrainingData, splitIndices } from '../train/experiment-data';
import { SeedProgress, trainSeed } from '../train/train-seed';
import { createRandom, mixSeed } from '../util/random';
import type { JobKind } from '../worker/job';
import { balancedPick, seedExplainContext } from './explain-run';
import { cascadeStages, reinitialiseLayers } from './sanity-randomisation';
import { reviveRecords } from './audit-run';
import { withExplainedMethods } from './explanation-maps';
import { finishedSeeds, runSeedJobs } from './seed-workers';
import { StageContext, stageContext } from './stage-context';
import { metered } from '../util/compute-meter';

const SANITY_VERSION = 1;
export const SIMILARITY_METRICS = ['spearman', 'spearmanAbs', 'ssim', 'ssimAbs'] as const;
/** The stage names besides the cascade's layer groups. */
export const TRAINED_STAGE = 'trained';
export const RANDOM_LABELS_STAGE = 'random labels';

export interface SanityProgress {
  seed: number;
  stage: string;
  step: number;
  steps: number;
}

type MapSet = Record<string, Float32Array[]>;
/** The options with the methods spelled out (see withExplainedMethods). */
type Checked = SanityConfig & { methods: string[] };

/**
 * Every method's maps at the input size, explaining the given classes; the
 * context's draws (noise, baselines, path points) are seeded per image, so a
 * change between two calls comes from the weights alone.
 */
function explainAll(model: tf.LayersModel, x: tf.Tensor4D, classes: number[], keys: number[], options: Checked, context: ReturnType<typeof seedExplainContext>): MapSet {
  const out: MapSet = {};
  const size = x.shape[1];
  for (const m of options.methods) {
    const e = explainer(m);
    out[m] = metered('attribution', keys.length, () => e.attribute({ model, images: x, classIndex: classes, imageKeys: keys, target: 'logit', context }, resolveOptions(e, options.options[m]))).map((a) =>
      e.atInputSize(a.map, a.shape, a.parameters, size),
    );
  }
  return out;
}

function requestKey(split: SeedSplit, options: SanityConfig, epochs: number): string {
  return JSON.stringify({ version: SANITY_VERSION, options: { ...options, randomLabelEpochs: options.randomLabelEpochs ?? epochs }, validation: split.validation.length });
}

/** The finished checks of a seed made with these options, if any. */
function finishedSeed(run: RunFolder, seed: number, options: SanityConfig, epochs: number): SeedSanityFile | undefined {
  const done = run.sanity.readSeed(seed);
  if (!done) return undefined;
  return done.request === requestKey(run.seed(seed).readSplit(), options, epochs) ? { ...done, records: reviveRecords(done.records) } : undefined;
}

/**
 * Trains (or resumes) the random-label model of a seed: the seed's training
 * images with their labels permuted (a seeded shuffle, so the class counts
 * stay), the run's settings otherwise.
 */
export async function trainRandomLabelModel(dir: string | RunFolder, seed: number, epochs: number, onProgress?: (p: SeedProgress) => void): Promise<{ dir: string; model: RandomLabelModel }> {
  const run = runFolder(dir);
  const { experiment: cfg } = run.readConfig();
  const split = run.seed(seed).readSplit();
  const { data, train, validation } = await loadSeedTrainingData(cfg, split);
  const permuted = createRandom(mixSeed(seed, 0x1abe1)).shuffle(train.map((k) => data.labels[k]));
  const labels = Int32Array.from(data.labels);
  train.forEach((k, j) => (labels[k] = permuted[j]));
  const folder = run.sanity.randomLabels(seed);
  // A model finished for another number of epochs answers another request:
  // train it again rather than reuse it.
  const earlier = folder.readResult();
  if (earlier && earlier.epochs !== epochs) folder.clear();
  const result = await trainSeed(folder, { ...data, labels }, train, validation, { seed, epochs, batchSize: cfg.batchSize, learningRate: cfg.learningRate, model: cfg.model, maxLoss: 1e4 }, onProgress);
  if (result.status !== 'done') throw new Error(`${folder.dir}: the random-label model diverged (${result.message})`);
  const last = result.history[result.history.length - 1];
  return { dir: folder.modelDir, model: { epochs: result.epochs, trainAccuracy: last?.trainAccuracy ?? NaN, validationAccuracy: result.validation?.accuracy ?? NaN } };
}

/** Runs the sanity checks of one seed in this process; returns its records (or the finished ones). */
export async function sanitySeed(dir: string | RunFolder, seed: number, given: SanityConfig, onProgress?: (p: SanityProgress) => void): Promise<AuditRecord[]> {
  const started = Date.now();
  const run = runFolder(dir);
  const options = withExplainedMethods(run, given, [seed], 'sanity checks', DEFAULT_METHODS);
  const { experiment: cfg } = run.readConfig();
  const seedDir = run.seed(seed);
  if (!seedDir.isTrained()) throw new Error(`${seedDir.dir}: seed ${seed} has no finished model to check (train it first)`);
  const split = seedDir.readSplit();
  const request = requestKey(split, options, cfg.epochs);
  const finished = finishedSeed(run, seed, options, cfg.epochs);
  if (finished) return finished.records;
  const dataset = await experimentDataset(cfg);
  const chosen = balancedPick(splitIndices(dataset, split.validation, 'validation'), (i) => dataset.labels[i], options.images);
  const size = dataset.size;
  const inputs = modelInputs(dataset, chosen, split.normalisation, EXPRESSIONS.length);
  const x = tf.tensor4d(inputs.images, [chosen.length, size, size, 3]);
  const trained = await loadModel(seedDir.modelDir);
  const working = await loadModel(seedDir.modelDir);
  const context = seedExplainContext(dataset, split);
  // A twin that training never saw: its initial weights are the "random" ones.
  const fresh = buildPaperNet({ ...cfg.model, size, classes: EXPRESSIONS.length, seed: 100_000 + seed });
  const records: AuditRecord[] = [];
  const stages: string[] = [TRAINED_STAGE];
  let randomLabelModel: RandomLabelModel | undefined;
  try {
    const classes = metered('forward pass', chosen.length, () => tf.tidy(() => Array.from((trained.predict(x) as tf.Tensor2D).argMax(1).dataSync())));
    const reference = explainAll(trained, x, classes, chosen, options, context);
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
      compare(stage.name, s + 1, explainAll(working, x, classes, chosen, options, context));
    });
    if (options.randomLabels) {
      const epochs = options.randomLabelEpochs ?? cfg.epochs;
      const trainedRandom = await trainRandomLabelModel(run, seed, epochs, (p) => onProgress?.({ seed, stage: `${RANDOM_LABELS_STAGE}: training epoch ${p.epoch}/${p.epochs}`, step: cascade.length + 1, steps }));
      randomLabelModel = trainedRandom.model;
      const model = await loadModel(trainedRandom.dir);
      try {
        stages.push(RANDOM_LABELS_STAGE);
        compare(RANDOM_LABELS_STAGE, cascade.length + 1, explainAll(model, x, classes, chosen, options, context));
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([x]);
    context.dispose();
    trained.dispose();
    working.dispose();
    fresh.dispose();
  }
  const out: SeedSanityFile = { request, seed, stages, randomLabelModel, seconds: (Date.now() - started) / 1000, records };
  run.sanity.writeSeed(seed, out);
  return records;
}

/** A worker's job: the sanity checks of one seed. */
export const sanitySeedJob: JobKind<{ run: string; seed: number; options: SanityConfig }, SanityProgress> = {
  describe: (p) => `sanity checks of seed ${p.seed} of ${p.run}`,
  run: (p, job) => sanitySeed(p.run, p.seed, p.options, (q) => job.progress(q)),
};

/**
 * Runs the sanity checks for a run's seeds (default: its finished ones) on the
 * executor, of the methods asked for, else those the run explained (the
 * paper's two when it has none: the checks make their own maps), and writes
 * the records and aggregates.
 */
export async function sanityRun(dir: string | RunFolder, asked: SanityConfig, given: Partial<StageContext> & { seeds?: number[] } = {}): Promise<{ records: AuditRecord[]; summary: SanitySummaryFile }> {
  const run = runFolder(dir);
  const config = run.readConfig();
  const cfg = config.experiment;
  const seeds = finishedSeeds(run, config, given.seeds, 'check');
  const options = withExplainedMethods(run, asked, seeds, 'sanity checks', DEFAULT_METHODS);
  const pending = seeds.filter((s) => !finishedSeed(run, s, options, cfg.epochs));
  await runSeedJobs<SanityProgress>('sanity-seed', pending, (seed) => ({ run: run.dir, seed, options }), stageContext(given), {
    label: 'sanity checks',
    describe: (q) => `seed ${q.seed} ${q.step}/${q.steps} (${q.stage})`,
    failure: (seed) => `sanity checks of seed ${seed}`,
  });
  const files = seeds.map((s) => run.sanity.readSeed(s)!);
  const records = reviveRecords(files.flatMap((f) => f.records));
  const summary: SanitySummaryFile = {
    run: run.dir,
    seeds,
    methods: options.methods,
    stages: files[0].stages,
    randomLabelModels: files.filter((f) => f.randomLabelModel).map((f) => ({ seed: f.seed, ...f.randomLabelModel! })),
    options,
    // Spearman and SSIM lie in [−1, 1], allZero in {0, 1}: all bounded.
    rows: aggregate(records, () => 'bounded'),
    seconds: files.reduce((s, f) => s + f.seconds, 0),
  };
  run.sanity.writeTables(records, ['seed', 'method', 'image', 'class', 'stage', 'stageIndex', 'metric', 'value'], summary, aggregateTable(summary.rows));
  return { records, summary };
}

export function readSanitySummary(dir: string | RunFolder): SanitySummaryFile | undefined {
  return runFolder(dir).sanity.readSummary();
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
