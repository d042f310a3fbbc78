// Explains a trained run: for every seed, every chosen image and each method
// of the explainer registry, the raw map as float32 .npy (numpy reads it), a
// JSON sidecar (method, parameters, class, score, the method's diagnostics)
// and a PNG overlay. The sidecar is written last, so its presence means the
// image is done: an interrupted explanation resumes where it stopped. Where
// the files go is the run folder's business (ExplanationFolder).
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '../model/model-files';
import { EXPRESSIONS } from '../data/expressions';
import { writeNpy } from '../util/npy';
import { experimentDataset, splitIndices } from '../train/experiment-data';
import { modelInputs } from '../data/normalisation';
import { imagePixels, Dataset } from '../data/dataset';
import type { ExplainConfig } from '../config/explain';
import { methodOptions } from '../config/explain';
import { ExplainContext, Explainer, Target, traitsOf } from '../explain/explainer';
import { explainer } from '../explain/registry';
import { mapOverlay, toPng } from '../explain/overlay';
import type { ExplanationSidecar, SeedSplit } from '../run/files';
import { RunFolder, runFolder } from '../run/run-folder';
import type { JobKind } from '../worker/job';
import { runSeedJobs } from './seed-workers';
import { completenessTable, runCompleteness } from './completeness';
import { writeCsv } from '../audit/aggregate';
import { StageContext, stageContext } from './stage-context';
import { metered } from '../util/compute-meter';

/** The options that change a method's output, as a comparable string. */
export function requestKey(method: string, config: Pick<ExplainConfig, 'classIndex' | 'target' | 'options'>): string {
  return JSON.stringify({ method, classIndex: config.classIndex ?? null, target: config.target, options: methodOptions(config, method) });
}

/** What a sidecar's request key says (the inverse of requestKey; older keys may lack parts). */
export function parseRequestKey(key: string | undefined): { classIndex?: number; target?: Target; options: Record<string, unknown> } {
  const r = JSON.parse(key ?? '{}') as { classIndex?: number | null; target?: Target; options?: Record<string, unknown> };
  return { classIndex: typeof r.classIndex === 'number' ? r.classIndex : undefined, target: r.target, options: r.options ?? {} };
}

// CFD base names are unique within a set (the catalogue skips duplicates).
export const imageStem = (file: string) => path.basename(file).replace(/\.[^.]+$/, '');

/** Round-robin over expressions so a limited selection still covers every class. */
export function balancedPick(indices: number[], labelOf: (i: number) => number, limit: number): number[] {
  if (!limit || indices.length <= limit) return indices;
  const byClass = new Map<number, number[]>();
  for (const i of indices) byClass.set(labelOf(i), [...(byClass.get(labelOf(i)) ?? []), i]);
  const lists = [...byClass.keys()].sort((a, b) => a - b).map((k) => byClass.get(k)!);
  const out: number[] = [];
  for (let round = 0; out.length < limit; round++) {
    let added = false;
    for (const list of lists) {
      if (round < list.length && out.length < limit) {
        out.push(list[round]);
        added = true;
      }
    }
    if (!added) break;
  }
  return out.sort((a, b) => a - b);
}

function selectImages(dataset: Dataset, split: SeedSplit, config: ExplainConfig): number[] {
  if (config.images?.length) {
    const byName = new Map<string, number>();
    dataset.items.forEach((item, i) => {
      byName.set(item.file, i);
      byName.set(path.basename(item.file), i);
    });
    return config.images.map((name) => {
      const i = byName.get(name);
      if (i === undefined) throw new Error(`${dataset.root}: no image "${name}" in the data set (give a file relative to the data folder or its base name)`);
      return i;
    });
  }
  return balancedPick(splitIndices(dataset, split.validation, 'validation'), (i) => dataset.labels[i], config.limit);
}

/** What a method may ask of a seed: its normalisation and (lazily, once per count) its training images in input space. */
export function seedExplainContext(dataset: Dataset, split: SeedSplit): ExplainContext & { dispose(): void } {
  const made = new Map<number, tf.Tensor4D>();
  return {
    normalisation: split.normalisation,
    trainingImages(k) {
      let t = made.get(k);
      if (!t) {
        // Expected-gradients style: a fixed, class-balanced handful of training images.
        const pick = balancedPick(splitIndices(dataset, split.train, 'training'), (i) => dataset.labels[i], k);
        const inputs = modelInputs(dataset, pick, split.normalisation, EXPRESSIONS.length);
        t = tf.tensor4d(inputs.images, [pick.length, dataset.size, dataset.size, 3]);
        made.set(k, t);
      }
      return t;
    },
    dispose: () => made.forEach((t) => t.dispose()),
  };
}

export interface ExplainProgress {
  seed: number;
  method: string;
  done: number;
  total: number;
}

/** Explains one seed of a run in this process; returns the sidecars written (or found). */
export async function explainSeed(dir: string | RunFolder, seed: number, config: ExplainConfig, onProgress?: (p: ExplainProgress) => void): Promise<ExplanationSidecar[]> {
  const run = runFolder(dir);
  const { experiment: cfg } = run.readConfig();
  const seedDir = run.seed(seed);
  if (!seedDir.isTrained()) throw new Error(`${seedDir.dir}: seed ${seed} has no finished model to explain (train it first)`);
  const split = seedDir.readSplit();
  const dataset = await experimentDataset(cfg);
  const chosen = selectImages(dataset, split, config);
  const inputs = modelInputs(dataset, chosen, split.normalisation, EXPRESSIONS.length);
  const size = dataset.size;
  const model = await loadModel(seedDir.modelDir);
  const context = seedExplainContext(dataset, split);
  const all: ExplanationSidecar[] = [];
  try {
    const predicted = metered('forward pass', chosen.length, () =>
      tf.tidy(() => {
        const x = tf.tensor4d(inputs.images, [chosen.length, size, size, 3]);
        return Array.from((model.predict(x) as tf.Tensor2D).argMax(1).dataSync());
      }),
    );
    for (const method of config.methods) {
      const e: Explainer<object> = explainer(method);
      const options = methodOptions(config, method);
      const folder = run.explanations(e.name, seed);
      const request = requestKey(e.name, config);
      const sidecars: ExplanationSidecar[] = [];
      for (let k = 0; k < chosen.length; k++) {
        const i = chosen[k];
        const item = dataset.items[i];
        const stem = imageStem(item.file);
        const existing = folder.readSidecar(stem);
        if (existing?.request === request) {
          sidecars.push(existing);
          onProgress?.({ seed, method: e.name, done: k + 1, total: chosen.length });
          continue;
        }
        const x = tf.tensor4d(inputs.images.subarray(k * size * size * 3, (k + 1) * size * size * 3), [1, size, size, 3]);
        const classIndex = config.classIndex ?? predicted[k];
        let a;
        try {
          [a] = metered('attribution', 1, () => e.attribute({ model, images: x, classIndex: [classIndex], imageKeys: [i], target: config.target, context }, options));
        } finally {
          x.dispose();
        }
        const files = folder.files(stem);
        writeNpy(folder.file(files.npy), a.map, a.shape);
        const rgb = { width: size, height: size, data: imagePixels(dataset, i) };
        const overlay = mapOverlay(traitsOf(e, options).display.scale, rgb, e.atInputSize(a.map, a.shape, a.parameters, size));
        folder.writeFile(files.png, await toPng(overlay.image));
        const sidecar: ExplanationSidecar = {
          method: e.name,
          seed,
          image: item.file,
          expression: item.expression,
          label: item.label,
          classIndex: a.classIndex,
          className: EXPRESSIONS[a.classIndex],
          predicted: predicted[k],
          score: a.score,
          target: config.target,
          npy: files.npy,
          png: files.png,
          shape: a.shape,
          inputSize: size,
          allZero: a.map.every((v) => v === 0),
          parameters: { ...a.parameters, ...overlay.parameters },
          diagnostics: a.diagnostics,
          request,
        };
        folder.writeSidecar(stem, sidecar);
        sidecars.push(sidecar);
        onProgress?.({ seed, method: e.name, done: k + 1, total: chosen.length });
      }
      folder.writeIndex(sidecars);
      all.push(...sidecars);
    }
  } finally {
    model.dispose();
    context.dispose();
  }
  return all;
}

/** A worker's job: explain one seed. */
export const explainSeedJob: JobKind<{ run: string; seed: number; config: ExplainConfig }, ExplainProgress> = {
  describe: (p) => `explaining seed ${p.seed} of ${p.run}`,
  run: (p, job) => explainSeed(p.run, p.seed, p.config, (q) => job.progress(q)),
};

/**
 * Whether every method's explanations of a seed are finished for these
 * options (its index lists as many images as the selection holds, each made
 * by the same request), so that no worker need be started for it.
 */
export function explainedSeed(run: RunFolder, seed: number, config: ExplainConfig): boolean {
  const validation = run.seed(seed).readSplit().validation.length;
  const count = config.images?.length ?? (config.limit ? Math.min(config.limit, validation) : validation);
  return config.methods.every((method) => {
    const index = run.explanations(explainer(method).name, seed).readIndex();
    if (!index || index.length !== count) return false;
    const request = requestKey(explainer(method).name, config);
    if (index.some((s) => s.request !== request)) return false;
    return !config.images || config.images.every((name) => index.some((s) => s.image === name || path.basename(s.image) === name));
  });
}

/** Explains a run's seeds (default: all of them) on the executor, one progress line updating in place; finished seeds are not started again. */
export async function explainRun(dir: string | RunFolder, config: ExplainConfig, given: Partial<StageContext> & { seeds?: number[] } = {}): Promise<{ seeds: number[]; seconds: number }> {
  const run = runFolder(dir);
  const seeds = given.seeds ?? run.readConfig().experiment.seeds;
  const started = Date.now();
  const pending = seeds.filter((s) => !run.seed(s).isTrained() || !explainedSeed(run, s, config));
  await runSeedJobs<ExplainProgress>('explain-seed', pending, (seed) => ({ run: run.dir, seed, config }), stageContext(given), {
    label: 'explaining',
    describe: (q) => `seed ${q.seed} ${q.method} ${q.done}/${q.total}`,
    failure: (seed) => `seed ${seed}`,
  });
  const completeness = runCompleteness(run, seeds.filter((s) => run.seed(s).isTrained()));
  if (completeness.length) writeCsv(run.completenessCsv, completenessTable(completeness));
  return { seeds, seconds: (Date.now() - started) / 1000 };
}
