// The baseline study (issue 13): which reference should a method that
// measures against one (an explainer with a `baseline` option, e.g.
// GradientSHAP) use by default? Every baseline the option names is measured
// on the same images of the same models:
//   deletion    the deletion game's gap against random pixels under each of the
//               audit's fills (lib/audit/deletion-insertion.ts; RISE's
//               definition, the score the map explains), and the insertion gap;
//               the ranking figure is the deletion gap's mean over the fills,
//               so no one fill (black favours the black baseline) decides;
//   planted     on the planted-bias sweep's runs (the run folder's bias-sweep/,
//               lowest and highest strength): the share of |attribution| inside
//               the planted region, beside the region's area;
//   completeness |mean δ| = |Σφ − (y(x̃) − y(b))|, for methods that claim it,
//               beside |y(x̃) − y(b)|;
//   time        seconds per image.
// Seeds run as 'baseline-study-seed' jobs; each writes its measurements to the
// run's baseline-study folder (resume: a finished seed with the same request is
// kept); the study is the mean over seeds with a t interval (none below three
// seeds) and, per method, the baseline with the largest mean deletion gap.
import * as tf from '@tensorflow/tfjs';
import { attributionShare } from '../audit/attribution-share';
import { deletionInsertion } from '../audit/deletion-insertion';
import { auditMasks } from '../audit/region-masks';
import { fillImages, FillKind } from '../audit/fills';
import type { AuditConfig } from '../config/audit';
import { BaselineStudyConfig, studiedBaselines } from '../config/baseline-study';
import { ExplainConfig, methodOptions } from '../config/explain';
import { EXPRESSIONS } from '../data/expressions';
import { modelInputs } from '../data/normalisation';
import type { Explainer, Target } from '../explain/explainer';
import { explainer, methodLabel } from '../explain/registry';
import { loadModel } from '../model/model-files';
import type { BaselineStudyFile, BaselineStudySeedFile } from '../run/files';
import { RunFolder, runFolder } from '../run/run-folder';
import { splitIndices } from '../train/experiment-data';
import { formatNumber, formatPercent, summarise, summariseNested } from '../util/interval';
import type { JobKind } from '../worker/job';
import { auditDataset, targetScoreFunction } from './audit-run';
import { regionSource } from './audit-region-labels';
import { balancedPick, seedExplainContext } from './explain-run';
import { finishedSeeds, runSeedJobs } from './seed-workers';
import { StageContext, stageContext } from './stage-context';

/** Bump when the same inputs would give other measurements. */
const STUDY_VERSION = 1;

/** What one seed of the study measures. */
export interface StudySeedRequest {
  run: string;
  seed: number;
  /** Set for a planted-bias run: the strength (its shares go into the study's planted columns). */
  strength?: number;
  /** The region whose share is measured (planted-bias runs); no games are played then. */
  region?: string;
  images: number;
  methods: { method: string; baselines: string[] }[];
  explain: Pick<ExplainConfig, 'target' | 'options'>;
  audit: Pick<AuditConfig, 'fills' | 'fractions' | 'randomDraws' | 'blurSigmaFraction' | 'seed' | 'regions'>;
  /** Where the seed's file goes (the studied run's baseline-study folder). */
  out: string;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : NaN);

/** Measures every method × baseline on one seed's validation images (balanced over expressions). */
export async function studySeed(p: StudySeedRequest, onProgress?: (done: number, total: number) => void): Promise<BaselineStudySeedFile> {
  const done = finishedStudySeed(p);
  if (done) return done;
  const request = studyRequestKey(p);
  const folder = new RunFolder(p.out).baselineStudy;
  const run = runFolder(p.run);
  const { experiment: cfg } = run.readConfig();
  const seedDir = run.seed(p.seed);
  const split = seedDir.readSplit();
  const dataset = await auditDataset(cfg);
  const size = dataset.size;
  const chosen = balancedPick(splitIndices(dataset, split.validation, 'validation'), (i) => dataset.labels[i], p.images);
  const inputs = modelInputs(dataset, chosen, split.normalisation, EXPRESSIONS.length).images;
  const pixels = size * size * 3;
  const source = p.region ? await regionSource(dataset, p.audit.regions ?? 'auto', { indices: chosen }) : undefined;
  const model = await loadModel(seedDir.modelDir);
  const context = seedExplainContext(dataset, split);
  const target: Target = p.explain.target;
  const measures: BaselineStudySeedFile['measures'] = [];
  const steps = p.methods.reduce((s, m) => s + m.baselines.length, 0) + (p.region ? 0 : p.methods.length * chosen.length);
  let step = 0;
  try {
    const images = tf.tensor4d(inputs, [chosen.length, size, size, 3]);
    const predicted = tf.tidy(() => Array.from((model.predict(images) as tf.Tensor2D).argMax(1).dataSync()));
    for (const { method, baselines } of p.methods) {
      const e: Explainer<object> = explainer(method);
      // Per baseline: every image's map at the input's size, and its figures.
      const maps: Float32Array[][] = [];
      for (const baseline of baselines) {
        const options = { ...methodOptions(p.explain, method), baseline };
        const started = process.hrtime.bigint();
        const out = e.attribute({ model, images, classIndex: predicted, imageKeys: chosen, target, context }, options);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        maps.push(out.map((a) => e.atInputSize(a.map, a.shape, a.parameters, size)));
        const completeness = e.completeness ? out.map((a) => Math.abs(a.diagnostics.delta ?? NaN)) : [];
        const change = e.completeness ? out.map((a) => Math.abs(a.diagnostics.scoreChange ?? NaN)) : [];
        const measure: BaselineStudySeedFile['measures'][number] = {
          method,
          baseline,
          images: chosen.length,
          deletion: {},
          insertion: {},
          completenessError: mean(completeness),
          scoreChange: mean(change),
          secondsPerImage: seconds / chosen.length,
        };
        if (p.region && source) {
          // A face the masker did not find has no regions: left out, never guessed.
          const shares = chosen.map((i, k) => {
            const labels = source.labels(i);
            const mask = labels ? auditMasks(labels, source.legend, source.regions)[p.region!] : undefined;
            return mask ? attributionShare(maps[maps.length - 1][k], mask) : undefined;
          });
          measure.regionShares = shares.map((s) => s?.absoluteShare ?? NaN);
          measure.regionAreas = shares.map((s) => s?.area ?? NaN);
        }
        measures.push(measure);
        onProgress?.(++step, steps);
      }
      if (p.region) continue;
      // The games: every baseline's map of a photo shares the random control.
      const gaps = baselines.map(() => ({ deletion: new Map<string, number[]>(), insertion: new Map<string, number[]>() }));
      for (let k = 0; k < chosen.length; k++) {
        const input = inputs.subarray(k * pixels, (k + 1) * pixels);
        const fills = fillImages(p.audit.fills as FillKind[], input, size, split.normalisation, p.audit.blurSigmaFraction);
        const games = await deletionInsertion(targetScoreFunction(model, size, predicted[k], target), input, maps.map((m) => m[k]), fills, { height: size, width: size, channels: 3 }, {
          fractions: p.audit.fractions,
          randomDraws: p.audit.randomDraws,
          seed: p.audit.seed,
        });
        games.maps.forEach((perFill, b) => {
          for (const g of perFill) {
            gaps[b].deletion.set(g.fill, [...(gaps[b].deletion.get(g.fill) ?? []), g.deletion.gap]);
            gaps[b].insertion.set(g.fill, [...(gaps[b].insertion.get(g.fill) ?? []), g.insertion.gap]);
          }
        });
        onProgress?.(++step, steps);
      }
      baselines.forEach((baseline, b) => {
        const m = measures.find((x) => x.method === method && x.baseline === baseline)!;
        for (const [fill, xs] of gaps[b].deletion) m.deletion[fill] = mean(xs);
        for (const [fill, xs] of gaps[b].insertion) m.insertion[fill] = mean(xs);
      });
    }
    images.dispose();
  } finally {
    model.dispose();
    context.dispose();
  }
  const file: BaselineStudySeedFile = { request, seed: p.seed, ...(p.strength === undefined ? {} : { strength: p.strength }), measures };
  folder.writeSeed(file);
  return file;
}

/** What a seed's measurements depend on. */
function studyRequestKey(p: StudySeedRequest): string {
  return JSON.stringify({ version: STUDY_VERSION, ...p, out: undefined });
}

/** The seed's measurements when they were made with the same request. */
function finishedStudySeed(p: StudySeedRequest): BaselineStudySeedFile | undefined {
  const done = new RunFolder(p.out).baselineStudy.readSeed(p.seed, p.strength);
  return done?.request === studyRequestKey(p) ? done : undefined;
}

/** Runs the seeds not yet measured with this request as jobs; returns every seed's file. */
async function measureSeeds(requests: StudySeedRequest[], ctx: StageContext, what: string): Promise<BaselineStudySeedFile[]> {
  const pending = requests.filter((p) => !finishedStudySeed(p));
  await runSeedJobs('baseline-study-seed', pending.map((p) => p.seed), (seed) => pending.find((p) => p.seed === seed), ctx, {
    label: `baseline study (${what})`,
    describe: (q: { seed: number; done: number; total: number }) => `seed ${q.seed} ${q.done}/${q.total}`,
    failure: (seed) => `baseline study (${what}) of seed ${seed}`,
  });
  return requests.map((p) => finishedStudySeed(p)!);
}

/** A worker's job: the study's measurements on one seed. */
export const baselineStudySeedJob: JobKind<StudySeedRequest, { seed: number; strength?: number; done: number; total: number }> = {
  describe: (p) => `measuring baselines on seed ${p.seed} of ${p.run}`,
  run: (p, job) => studySeed(p, (done, total) => job.progress({ seed: p.seed, strength: p.strength, done, total })),
};

/** The study's settings a run's configuration gives (RunConfig's sections). */
export interface BaselineStudySettings {
  baselineStudy: BaselineStudyConfig;
  explain: Pick<ExplainConfig, 'target' | 'options'>;
  audit: AuditConfig;
}

/** Runs the study on a run (its finished seeds) and on its planted-bias sweep (when there is one and `sweepImages` > 0). */
export async function baselineStudy(dir: string | RunFolder, settings: BaselineStudySettings, given: Partial<StageContext> & { seeds?: number[] } = {}): Promise<BaselineStudyFile> {
  const started = Date.now();
  const run = runFolder(dir);
  const ctx = stageContext(given);
  const study = settings.baselineStudy;
  const methods = studiedBaselines(study);
  const seeds = finishedSeeds(run, run.readConfig(), given.seeds, 'study');
  const { fills, fractions, randomDraws, blurSigmaFraction, seed: gameSeed, regions } = settings.audit;
  const base = { images: study.images, methods, explain: { target: settings.explain.target, options: settings.explain.options }, audit: { fills, fractions, randomDraws, blurSigmaFraction, seed: gameSeed, regions }, out: run.dir };
  const own = await measureSeeds(seeds.map((seed) => ({ ...base, run: run.dir, seed })), ctx, 'the run');

  // The planted-bias runs: the lowest and highest strength of the sweep.
  const sweep = run.biasSweep.readResult<{ region: string; points: { strength: number }[] }>();
  const planted: { strength: number; files: BaselineStudySeedFile[] }[] = [];
  if (sweep && study.sweepImages > 0 && sweep.points.length) {
    const ends = [...new Set([sweep.points[0].strength, sweep.points[sweep.points.length - 1].strength])];
    for (const strength of ends) {
      const strengthRun = run.biasSweep.strength(strength);
      const sweepSeeds = finishedSeeds(strengthRun, strengthRun.readConfig(), undefined, 'study');
      const requests = sweepSeeds.map((seed) => ({ ...base, run: strengthRun.dir, seed, strength, region: sweep.region, images: study.sweepImages }));
      planted.push({ strength, files: await measureSeeds(requests, ctx, `planted ${sweep.region}, p = ${strength}`) });
    }
  } else if (study.sweepImages > 0) {
    ctx.log(`baseline study: ${run.dir} has no planted-bias sweep (smile-lens bias-sweep); the planted-bias localisation is left out`);
  }

  const measures: BaselineStudyFile['measures'] = [];
  for (const { method, baselines } of methods) {
    for (const baseline of baselines) {
      const pick = (files: BaselineStudySeedFile[]) => files.map((f) => f.measures.find((m) => m.method === method && m.baseline === baseline)!);
      const ours = pick(own);
      measures.push({
        method,
        baseline,
        deletion: Object.fromEntries(fills.map((f) => [f, summarise(ours.map((m) => m.deletion[f]))])),
        deletionMean: summarise(ours.map((m) => mean(fills.map((f) => m.deletion[f])))),
        insertionMean: summarise(ours.map((m) => mean(fills.map((f) => m.insertion[f])))),
        completenessError: summarise(ours.map((m) => m.completenessError)),
        scoreChange: summarise(ours.map((m) => m.scoreChange)),
        secondsPerImage: summarise(ours.map((m) => m.secondsPerImage)),
        // Shares lie in [0, 1]: a percentile bootstrap over seeds and images.
        planted: planted.map(({ strength, files }) => ({ strength, share: summariseNested(pick(files).map((m) => m.regionShares ?? [])), area: summariseNested(pick(files).map((m) => m.regionAreas ?? [])) })),
      });
    }
  }
  const result: BaselineStudyFile = {
    run: run.dir,
    target: settings.explain.target,
    fills: [...settings.audit.fills],
    seeds,
    images: study.images,
    ...(sweep && planted.length ? { planted: { region: sweep.region, strengths: planted.map((p) => p.strength), images: study.sweepImages } } : {}),
    measures,
    best: bestBaselines(measures),
    seconds: (Date.now() - started) / 1000,
  };
  run.baselineStudy.writeStudy(result, studyTable(result));
  return result;
}

/**
 * Per method, the baseline with the largest mean deletion gap over the fills
 * (the faithfulness the audit checks, with no fill deciding alone), and why.
 */
export function bestBaselines(measures: BaselineStudyFile['measures']): BaselineStudyFile['best'] {
  const out: BaselineStudyFile['best'] = {};
  for (const method of [...new Set(measures.map((m) => m.method))]) {
    const ranked = measures.filter((m) => m.method === method && Number.isFinite(m.deletionMean.mean)).sort((a, b) => b.deletionMean.mean - a.deletionMean.mean);
    if (!ranked.length) continue;
    const [top, next] = ranked;
    const worse = next ? `; next ${next.baseline} at ${formatNumber(next.deletionMean, 3)}` : '';
    const beats = top.deletionMean.mean > 0 ? 'beats random pixels' : 'does NOT beat random pixels (no baseline does)';
    out[method] = { baseline: top.baseline, why: `the largest mean deletion gap over the fills, ${formatNumber(top.deletionMean, 3)} (${beats})${worse}` };
  }
  return out;
}

/** One line per method and baseline: the figures of the study (for the console, the CSV, the report). */
export function studyTable(r: BaselineStudyFile): Record<string, string | number>[] {
  return r.measures.map((m) => {
    const line: Record<string, string | number> = { method: methodLabel(m.method), baseline: m.baseline };
    for (const f of r.fills) line[`deletion gap (${f})`] = formatNumber(m.deletion[f], 3);
    line['deletion gap (mean over fills)'] = formatNumber(m.deletionMean, 3);
    line['insertion gap (mean over fills)'] = formatNumber(m.insertionMean, 3);
    for (const p of m.planted) {
      line[`${r.planted?.region} share at p = ${p.strength}`] = formatPercent(p.share);
      line[`${r.planted?.region} area at p = ${p.strength}`] = formatPercent(p.area);
    }
    line['|completeness error|'] = formatNumber(m.completenessError, 3);
    line['|y(x) − y(b)|'] = formatNumber(m.scoreChange, 3);
    line['s / image'] = formatNumber(m.secondsPerImage, 3);
    return line;
  });
}

/** The study in words: per method, the best baseline and why. */
export function studyInWords(r: BaselineStudyFile): string {
  const lines = Object.entries(r.best).map(([method, b]) => `${methodLabel(method)}: best-measured baseline **${b.baseline}**: ${b.why}.`);
  lines.push(
    `Deletion gap: AUC(random pixels) − AUC(map) of the ${r.target} under the fills ${r.fills.join(', ')} (> 0 beats random), mean over ${r.seeds.length} seed(s) × ${r.images} validation images; ` +
      (r.planted ? `planted ${r.planted.region}: its share of |attribution| at p = ${r.planted.strengths.join(' and ')} beside its area.` : 'no planted-bias sweep measured.'),
  );
  return lines.join('\n');
}

export function readBaselineStudy(dir: string | RunFolder): BaselineStudyFile | undefined {
  return runFolder(dir).baselineStudy.readStudy();
}
