// Experiment 1 of the bias audit — where does the network look? For every
// seed, method and explained image of a run (the maps `smile-lens explain`
// wrote), the region shares and the face metrics (lib/pipeline/audit-image.ts)
// and the faithfulness check, the deletion and insertion games of every map of
// a photo under each fill (lib/pipeline/audit-faithfulness.ts), then
// aggregated per expression and overall:
// mean and 95% interval over seeds (bootstrap for shares and face metrics, t for
// deletion scores; none below three seeds), averaging within a seed first
// (lib/audit/aggregate.ts). One records file per seed (resume: a finished
// seed is kept), then every record and the aggregates, in the run folder's
// audit tables (RunFolder.audit). Seeds run as 'audit-seed' jobs, like explain.
import * as tf from '@tensorflow/tfjs';
import { aggregate, aggregateTable, AuditRecord } from '../audit/aggregate';
import { deletionInsertion, ScoreFunction } from '../audit/deletion-insertion';
import { fillImages } from '../audit/fills';
import type { AuditConfig } from '../config/audit';
import type { ExperimentConfig } from '../config/experiment';
import { Dataset, loadDataset } from '../data/dataset';
import { modelInputs } from '../data/normalisation';
import type { Target } from '../explain/explainer';
import { checkTarget, targetOutput } from '../explain/gradients';
import { loadModel } from '../model/model-files';
import { EXPRESSIONS } from '../data/expressions';
import type { AuditRegions, AuditSummaryFile, ExplanationSidecar, SeedAuditFile } from '../run/files';
import { ExplanationFolder, RunFolder, runFolder } from '../run/run-folder';
import type { JobKind } from '../worker/job';
import { finishedSeeds, runSeedJobs } from './seed-workers';
import { liveLine } from '../progress/live-line';
import { auditMetricKind, regionRecords } from './audit-image';
import { faithfulnessRecords, withVerdicts } from './audit-faithfulness';
import { mapAtInputSize, withExplainedMethods } from './explanation-maps';
import { RegionSource, regionSource, writeRegionPictures } from './audit-region-labels';
import { StageContext, stageContext } from './stage-context';
import { metered } from '../util/compute-meter';

/** Bump when the same inputs would give other records. */
const AUDIT_VERSION = 2;

export interface AuditResult {
  records: AuditRecord[];
  summary: AuditSummaryFile;
}

/** The data set with region label maps (when it has them), as the run saw it. */
export async function auditDataset(cfg: ExperimentConfig, onProgress?: (done: number, total: number) => void): Promise<Dataset> {
  return loadDataset(cfg.data, { size: cfg.size, crop: cfg.crop, table: false, onProgress });
}

/** What a seed's audit depends on: the options and the explanations it reads (their options and images). */
function requestKey(run: RunFolder, seed: number, options: AuditConfig & { methods: string[] }): string {
  const explanations = options.methods.map((m) => {
    const folder = run.explanations(m, seed);
    const sidecars = folder.readIndex();
    if (!sidecars) throw new Error(`${folder.dir}: no finished ${m} explanations for seed ${seed} (run \`smile-lens explain --run ${run.dir}\` first)`);
    return [m, sidecars.map((s) => [s.image, s.request])];
  });
  return JSON.stringify({ version: AUDIT_VERSION, options, explanations });
}

/** Records read back from JSON, where NaN (an undefined share, a constant map) was written as null. */
export function reviveRecords(records: AuditRecord[]): AuditRecord[] {
  return records.map((r) => (r.value === null ? { ...r, value: NaN } : r));
}

function finishedSeed(run: RunFolder, seed: number, request: string): SeedAuditFile | undefined {
  const done = run.audit.readSeed(seed);
  return done?.request === request ? { ...done, records: reviveRecords(done.records) } : undefined;
}

export interface AuditProgress {
  seed: number;
  method: string;
  done: number;
  total: number;
}

/** The explained target (a class's logit or log-probability, as the explanation explained it) for a batch, in inference mode. */
export function targetScoreFunction(model: tf.LayersModel, size: number, classIndex: number, target: Target = 'logit'): ScoreFunction {
  return async (images, count) => {
    const scores = metered('forward pass', count, () =>
      tf.tidy(() => {
        const out = targetOutput(model.predict(tf.tensor4d(images, [count, size, size, 3])) as tf.Tensor2D, target);
        return out.slice([0, classIndex], [count, 1]).reshape([count]);
      }),
    );
    const values = await scores.data();
    scores.dispose();
    return values;
  };
}

interface Explained {
  method: string;
  folder: ExplanationFolder;
  sidecar: ExplanationSidecar;
}

/** Every explained photo of a seed with its maps, in the order the methods first explained them; checked against the data. */
function explainedPhotos(run: RunFolder, seed: number, methods: readonly string[], byFile: Map<string, number>, cfg: ExperimentConfig, size: number): Map<string, Explained[]> {
  const photos = new Map<string, Explained[]>();
  for (const method of methods) {
    const folder = run.explanations(method, seed);
    for (const sidecar of folder.readIndex()!) {
      if (!byFile.has(sidecar.image)) throw new Error(`${folder.file(sidecar.npy)}: explains ${sidecar.image}, which is not in ${cfg.data} (the data changed since the run was explained)`);
      // Grad-CAM's raw map is at the layer's resolution: compared at the input's, as the overlays show it.
      if (sidecar.inputSize !== size) throw new Error(`${folder.file(sidecar.npy)}: explains a ${sidecar.inputSize}-pixel input, the run's data are ${size} pixels`);
      photos.set(sidecar.image, [...(photos.get(sidecar.image) ?? []), { method, folder, sidecar }]);
    }
  }
  return photos;
}

/** Audits one seed of a run in this process; returns its records (or the finished ones). */
export async function auditSeed(dir: string | RunFolder, seed: number, given: AuditConfig, onProgress?: (p: AuditProgress) => void): Promise<AuditRecord[]> {
  const started = Date.now();
  const run = runFolder(dir);
  const options = withExplainedMethods(run, given, [seed], 'audit');
  const { experiment: cfg } = run.readConfig();
  const request = requestKey(run, seed, options);
  const finished = finishedSeed(run, seed, request);
  if (finished) return finished.records;
  const seedDir = run.seed(seed);
  if (!seedDir.isTrained()) throw new Error(`${seedDir.dir}: seed ${seed} has no finished model to audit (train it first)`);
  const split = seedDir.readSplit();
  const dataset = await auditDataset(cfg);
  const byFile = new Map(dataset.items.map((item, i) => [item.file, i]));
  // The parent computed (and cached) the masks before the workers started: read here.
  const source = await regionSource(dataset, options.regions ?? 'auto', { indices: explainedImages(run, [seed], options.methods, byFile) });
  const size = dataset.size;
  const photos = explainedPhotos(run, seed, options.methods, byFile, cfg, size);
  const model = await loadModel(seedDir.modelDir);
  const records: AuditRecord[] = [];
  let done = 0;
  try {
    for (const [image, explained] of photos) {
      const i = byFile.get(image)!;
      const maps = explained.map((e) => mapAtInputSize(e.folder, e.sidecar));
      explained.forEach((e, k) => {
        const key = { image, class: e.sidecar.expression, method: e.method, seed };
        // An image whose face the masker did not find has no region records (listed in the audit files), never guessed ones.
        const labels = source.labels(i);
        if (labels) records.push(...regionRecords(key, maps[k], labels, source.legend, source.regions, size));
      });
      if (options.deletion) {
        const input = modelInputs(dataset, [i], split.normalisation, EXPRESSIONS.length).images;
        const fills = fillImages(options.fills, input, size, split.normalisation, options.blurSigmaFraction);
        // Maps of one score share the random control: grouped by the class and target they explain.
        const groups = new Map<string, number[]>();
        explained.forEach((e, k) => {
          const g = JSON.stringify([e.sidecar.classIndex, e.sidecar.target ?? 'logit']);
          groups.set(g, [...(groups.get(g) ?? []), k]);
        });
        for (const members of groups.values()) {
          const { sidecar } = explained[members[0]];
          const score = targetScoreFunction(model, size, sidecar.classIndex, checkTarget(sidecar.target, sidecar.image));
          const games = await deletionInsertion(score, input, members.map((k) => maps[k]), fills, { height: size, width: size, channels: 3 }, {
            fractions: options.fractions,
            randomDraws: options.randomDraws,
            seed: options.seed,
          });
          records.push(...faithfulnessRecords({ image, class: sidecar.expression, seed }, members.map((k) => explained[k].method), games));
        }
      }
      onProgress?.({ seed, method: options.methods.join('+'), done: ++done, total: photos.size });
    }
  } finally {
    model.dispose();
  }
  const file: SeedAuditFile = {
    request,
    seed,
    regions: regionsRecord(source),
    seconds: (Date.now() - started) / 1000,
    records,
  };
  run.audit.writeSeed(seed, file);
  return records;
}

/** What the audit files say about the masks: which masker and why, its regions, faces not found, warnings counted. */
function regionsRecord(source: RegionSource): AuditRegions {
  return { kind: source.kind, reason: source.reason, names: source.regions, notFound: source.notFound, warnings: source.warnings };
}

/** Data set indices of the images explained for these seeds and methods. */
function explainedImages(run: RunFolder, seeds: number[], methods: string[], byFile: Map<string, number>): number[] {
  const images = new Set<number>();
  for (const seed of seeds) {
    for (const m of methods) {
      for (const s of run.explanations(m, seed).readIndex() ?? []) {
        const i = byFile.get(s.image);
        if (i !== undefined) images.add(i);
      }
    }
  }
  return [...images].sort((a, b) => a - b);
}

/** The masker's warnings and the faces it did not find, counted in one CSV cell ('none' when there were none). */
export function regionWarningCell(regions: AuditRegions, images: number): string {
  const parts = regions.warnings.map((w) => `${w.kind}: ${w.images}/${images}`);
  if (regions.notFound.length) parts.push(`face not found (left out): ${regions.notFound.length}/${images}`);
  return parts.length ? parts.join('; ') : 'none';
}

/** The masker's warnings and the faces it did not find, in lines for the end of the audit. */
export function regionWarningLines(regions: AuditRegions, images: number): string[] {
  const lines = regions.warnings.map((w) => `  ${w.kind}: ${w.images}/${images} image(s), e.g. ${w.examples.map((e) => e.image).join(', ')}`);
  if (regions.notFound.length) lines.push(`  face not found, left out of the shares: ${regions.notFound.length} image(s): ${regions.notFound.slice(0, 5).join(', ')}${regions.notFound.length > 5 ? ', …' : ''}`);
  return lines.length ? [`region masks (${regions.kind}): ${lines.length} kind(s) of warning; see \`smile-lens masks --data <data> --regions ${regions.kind}\` for the pictures`, ...lines] : [];
}

/** A worker's job: audit one seed. */
export const auditSeedJob: JobKind<{ run: string; seed: number; options: AuditConfig }, AuditProgress> = {
  describe: (p) => `auditing seed ${p.seed} of ${p.run}`,
  run: (p, job) => auditSeed(p.run, p.seed, p.options, (q) => job.progress(q)),
};

/**
 * Audits a run's seeds (default: its finished ones) on the executor,
 * skipping finished ones, and writes the records and the aggregates. The
 * methods are those asked for, else every method the run explained.
 */
export async function auditRun(dir: string | RunFolder, asked: AuditConfig, given: Partial<StageContext> & { seeds?: number[] } = {}): Promise<AuditResult> {
  const run = runFolder(dir);
  const config = run.readConfig();
  const cfg = config.experiment;
  const seeds = finishedSeeds(run, config, given.seeds, 'audit');
  const options = withExplainedMethods(run, asked, seeds, 'audit');
  const pending = seeds.filter((s) => !finishedSeed(run, s, requestKey(run, s, options)));
  const ctx = stageContext(given);
  // Decode (and cache) the images with their label maps, and compute (and cache) the masks, once, before the workers read them.
  const decoding = liveLine();
  const dataset = await auditDataset(cfg, (done, total) => decoding.update(`audit: decoding images and region maps ${done}/${total}`));
  const byFile = new Map(dataset.items.map((item, i) => [item.file, i]));
  const explained = explainedImages(run, seeds, options.methods, byFile);
  let source: RegionSource;
  try {
    source = await regionSource(dataset, options.regions ?? 'auto', { indices: explained, onProgress: (done, total) => decoding.update(`audit: region masks ${done}/${total}`) });
    await writeRegionPictures(run.masksDir, dataset, source, explained);
  } finally {
    decoding.done();
  }
  ctx.log(`regions: ${source.reason}`);
  await runSeedJobs<AuditProgress>('audit-seed', pending, (seed) => ({ run: run.dir, seed, options }), ctx, {
    label: 'auditing',
    describe: (q) => `seed ${q.seed} ${q.method} ${q.done}/${q.total}`,
    failure: (seed) => `audit of seed ${seed}`,
  });
  const files = seeds.map((s) => run.audit.readSeed(s)!);
  const records = reviveRecords(files.flatMap((f) => f.records));
  const summary: AuditSummaryFile = {
    run: run.dir,
    methods: options.methods,
    seeds,
    regions: regionsRecord(source),
    targets: [...new Set(seeds.flatMap((s) => options.methods.flatMap((m) => (run.explanations(m, s).readIndex() ?? []).map((x) => x.target ?? 'logit'))))],
    options,
    rows: aggregate(records, auditMetricKind),
    seconds: files.reduce((s, f) => s + f.seconds, 0),
  };
  // Every summary line names the masks it stands on.
  const warnings = regionWarningCell(summary.regions, explained.length);
  const table = withVerdicts(aggregateTable(summary.rows), summary.rows).map((row) => ({ ...row, regions: source.kind, region_warnings: warnings }));
  run.audit.writeTables(records, ['seed', 'method', 'image', 'class', 'metric', 'region', 'fill', 'fraction', 'value'], summary, table);
  for (const line of regionWarningLines(summary.regions, explained.length)) ctx.log(line);
  return { records, summary };
}

/** The aggregates of a finished audit, or undefined when the run has none. */
export function readAuditSummary(dir: string | RunFolder): AuditSummaryFile | undefined {
  return runFolder(dir).audit.readSummary();
}
