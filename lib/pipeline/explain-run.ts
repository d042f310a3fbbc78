// Explains a trained run: for every seed, every chosen image and each method,
// the raw map as float32 .npy (numpy reads it), a JSON sidecar (method,
// parameters, class, score, delta) and a PNG overlay. The sidecar is written
// last, so its presence means the image is done: an interrupted explanation
// resumes where it stopped. Layout:
//   <run>/explanations/<method>/seed-<s>/<image stem>.{npy,json,png}
//   <run>/explanations/<method>/seed-<s>/index.json   (all sidecars, at the end)
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '../model/model-files';
import { EXPRESSIONS } from '../data/expressions';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/atomic-write';
import { writeNpy } from '../util/npy';
import { readRunConfig } from '../train/experiment';
import { experimentDataset, SeedSplit, splitIndices } from '../train/experiment-data';
import { readSeedResult, seedFolder } from '../train/train-seed';
import { modelInputs } from '../data/normalisation';
import { imagePixels, Dataset } from '../data/dataset';
import { gradCam } from '../explain/grad-cam';
import { gradientShap } from '../explain/gradient-shap';
import { ShapBaseline } from '../explain/baselines';
import { gradCamOverlay, shapOverlay, toPng } from '../explain/overlay';
import { runSeedWorkers } from './seed-workers';

export const METHODS = ['gradcam', 'gradientshap'] as const;
export type Method = (typeof METHODS)[number];
export type BaselineKind = 'black' | 'blur' | 'training';

export interface ExplainOptions {
  methods: Method[];
  /** Grad-CAM layer (default: the last block's output). */
  layer?: string;
  /** Class to explain, index or expression code; default the predicted class. */
  classIndex?: number;
  /** Images to explain (files relative to the data root, or base names); default the seed's validation split. */
  images?: string[];
  /** At most this many images per seed, balanced over expressions (0 = all). */
  limit: number;
  samples: number;
  stdev: number;
  baseline: BaselineKind;
  /** σ in pixels of the blur baseline. */
  blurSigma: number;
  /** Training images drawn as baselines for 'training'. */
  baselineImages: number;
  seed: number;
}

export const EXPLAIN_DEFAULTS: ExplainOptions = {
  methods: [...METHODS],
  limit: 0,
  samples: 50,
  stdev: 0,
  baseline: 'black',
  blurSigma: 8,
  baselineImages: 32,
  seed: 0,
};

export interface ExplanationSidecar {
  method: Method;
  seed: number;
  image: string;
  expression: string;
  label: number;
  classIndex: number;
  className: string;
  predicted: number;
  score: number;
  npy: string;
  png: string;
  /** Shape of the .npy map (Grad-CAM: the layer's resolution; GradientSHAP: the input's). */
  shape: [number, number];
  inputSize: number;
  allZero: boolean;
  parameters: Record<string, unknown>;
  delta?: { mean: number; meanAbs: number };
  /** The options that produced this file; a resumed run reuses it only when they match. */
  request: string;
}

/** The options that change a method's output, as a comparable string. */
export function requestKey(method: Method, o: ExplainOptions): string {
  return JSON.stringify(
    method === 'gradcam'
      ? { method, layer: o.layer ?? null, classIndex: o.classIndex ?? null }
      : { method, classIndex: o.classIndex ?? null, samples: o.samples, stdev: o.stdev, baseline: o.baseline, blurSigma: o.baseline === 'blur' ? o.blurSigma : null, baselineImages: o.baseline === 'training' ? o.baselineImages : null, seed: o.seed },
  );
}

export function explanationFolder(runDir: string, method: Method, seed: number): string {
  return path.join(runDir, 'explanations', method, `seed-${seed}`);
}

// CFD base names are unique within a set (the catalogue skips duplicates).
const stem = (file: string) => path.basename(file).replace(/\.[^.]+$/, '');

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

function selectImages(dataset: Dataset, split: SeedSplit, options: ExplainOptions): number[] {
  if (options.images?.length) {
    const byName = new Map<string, number>();
    dataset.items.forEach((item, i) => {
      byName.set(item.file, i);
      byName.set(path.basename(item.file), i);
    });
    return options.images.map((name) => {
      const i = byName.get(name);
      if (i === undefined) throw new Error(`${dataset.root}: no image "${name}" in the data set (give a file relative to the data folder or its base name)`);
      return i;
    });
  }
  return balancedPick(splitIndices(dataset, split.validation, 'validation'), (i) => dataset.labels[i], options.limit);
}

export interface ExplainProgress {
  seed: number;
  method: Method;
  done: number;
  total: number;
}

/** Explains one seed of a run in this process; returns the sidecars written (or found). */
export async function explainSeed(runDir: string, seed: number, options: ExplainOptions, onProgress?: (p: ExplainProgress) => void): Promise<ExplanationSidecar[]> {
  const { experiment: cfg } = readRunConfig(runDir);
  const seedDir = seedFolder(runDir, seed);
  const result = readSeedResult(seedDir);
  if (!result || result.status !== 'done') throw new Error(`${seedDir}: seed ${seed} has no finished model to explain (train it first)`);
  const split = readJson<SeedSplit>(path.join(seedDir, 'split.json'), 'a seed split');
  const dataset = await experimentDataset(cfg);
  const chosen = selectImages(dataset, split, options);
  const inputs = modelInputs(dataset, chosen, split.normalisation, EXPRESSIONS.length);
  const size = dataset.size;
  const model = await loadModel(seedDir);
  const all: ExplanationSidecar[] = [];
  try {
    const predicted = tf.tidy(() => {
      const x = tf.tensor4d(inputs.images, [chosen.length, size, size, 3]);
      return Array.from((model.predict(x) as tf.Tensor2D).argMax(1).dataSync());
    });
    for (const method of options.methods) {
      const folder = explanationFolder(runDir, method, seed);
      fs.mkdirSync(folder, { recursive: true });
      let baseline: ShapBaseline | undefined;
      if (method === 'gradientshap') baseline = makeBaseline(options, dataset, split, size);
      const sidecars: ExplanationSidecar[] = [];
      for (let k = 0; k < chosen.length; k++) {
        const i = chosen[k];
        const item = dataset.items[i];
        const name = stem(item.file);
        const sidecarFile = path.join(folder, `${name}.json`);
        const request = requestKey(method, options);
        const existing = fs.existsSync(sidecarFile) ? readJson<ExplanationSidecar>(sidecarFile, 'an explanation sidecar') : undefined;
        if (existing?.request === request) {
          sidecars.push(existing);
          onProgress?.({ seed, method, done: k + 1, total: chosen.length });
          continue;
        }
        const pixels = inputs.images.subarray(k * size * size * 3, (k + 1) * size * size * 3);
        const x = tf.tensor4d(pixels, [1, size, size, 3]);
        const rgb = { width: size, height: size, data: imagePixels(dataset, i) };
        const common = {
          method,
          seed,
          image: item.file,
          expression: item.expression,
          label: item.label,
          predicted: predicted[k],
          npy: `${name}.npy`,
          png: `${name}.png`,
          inputSize: size,
          request,
        };
        let sidecar: ExplanationSidecar;
        if (method === 'gradcam') {
          const [m] = gradCam(model, x, { layer: options.layer, classIndex: options.classIndex });
          writeNpy(path.join(folder, common.npy), m.raw, m.rawShape);
          writeFileAtomic(path.join(folder, common.png), await toPng(gradCamOverlay(rgb, m.upsampled).image));
          sidecar = { ...common, classIndex: m.classIndex, className: EXPRESSIONS[m.classIndex], score: m.score, shape: m.rawShape, allZero: m.allZero, parameters: { layer: m.layer } };
        } else {
          const [r] = gradientShap(model, x, {
            baseline: baseline!,
            samples: options.samples,
            stdev: options.stdev,
            seed: options.seed,
            imageKeys: [i],
            classIndex: options.classIndex,
          });
          writeNpy(path.join(folder, common.npy), r.map, [size, size]);
          const overlay = shapOverlay(rgb, r.map);
          writeFileAtomic(path.join(folder, common.png), await toPng(overlay.image));
          sidecar = {
            ...common,
            classIndex: r.classIndex,
            className: EXPRESSIONS[r.classIndex],
            score: r.score,
            shape: [size, size],
            allZero: r.map.every((v) => v === 0),
            parameters: { samples: r.samples, stdev: r.stdev, seed: r.seed, baseline: options.baseline, blurSigma: options.baseline === 'blur' ? options.blurSigma : undefined, displayClipPercentile: overlay.percentile },
            delta: { mean: r.meanDelta, meanAbs: r.meanAbsDelta },
          };
        }
        x.dispose();
        writeJsonAtomic(sidecarFile, sidecar);
        sidecars.push(sidecar);
        onProgress?.({ seed, method, done: k + 1, total: chosen.length });
      }
      if (baseline && 'images' in baseline) baseline.images.dispose();
      writeJsonAtomic(path.join(folder, 'index.json'), sidecars);
      all.push(...sidecars);
    }
  } finally {
    model.dispose();
  }
  return all;
}

function makeBaseline(options: ExplainOptions, dataset: Dataset, split: SeedSplit, size: number): ShapBaseline {
  switch (options.baseline) {
    case 'black':
      return { kind: 'black', mean: split.normalisation.mean, std: split.normalisation.std };
    case 'blur':
      return { kind: 'blur', sigma: options.blurSigma };
    case 'training': {
      // Expected-gradients style: a fixed, seeded handful of training images.
      const train = splitIndices(dataset, split.train, 'training');
      const pick = balancedPick(train, (i) => dataset.labels[i], options.baselineImages);
      const inputs = modelInputs(dataset, pick, split.normalisation, EXPRESSIONS.length);
      return { kind: 'training', images: tf.tensor4d(inputs.images, [pick.length, size, size, 3]) };
    }
  }
}

/** Reads the sidecars of a finished explanation (index.json). */
export function readExplanations(runDir: string, method: Method, seed: number): ExplanationSidecar[] | undefined {
  const file = path.join(explanationFolder(runDir, method, seed), 'index.json');
  return fs.existsSync(file) ? readJson<ExplanationSidecar[]>(file, 'an explanation index') : undefined;
}

export interface ExplainRunOptions {
  backend: string;
  jobs?: number;
  /** Which seeds (default: all of the run's). */
  seeds?: number[];
}

/** Explains a run's seeds in worker processes, one progress line updating in place. */
export async function explainRun(runDir: string, options: ExplainOptions, run: ExplainRunOptions): Promise<{ seeds: number[]; seconds: number }> {
  const seeds = run.seeds ?? readRunConfig(runDir).experiment.seeds;
  const started = Date.now();
  await runSeedWorkers<ExplainProgress>('explain-seed', runDir, seeds, options, run, {
    label: 'explaining',
    describe: (q) => `seed ${q.seed} ${q.method} ${q.done}/${q.total}`,
    failure: (seed) => `seed ${seed}`,
  });
  return { seeds, seconds: (Date.now() - started) / 1000 };
}
