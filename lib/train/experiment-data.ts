// The experiment's view of a data folder: which images take part, each
// seed's subject-disjoint split (stored by file name, so it survives a
// re-ordered catalogue), and the normalisation computed on that seed's
// training split only.
import type { ExperimentConfig } from '../config/experiment';
import type { SeedSplit } from '../run/files';
import type { TrainingData } from './train-seed';
import { Dataset, loadDataset } from '../data/dataset';
import { modelInputs, normalisationStats } from '../data/normalisation';
import { splitBySubject } from '../data/splits';
import { summariseCatalog } from '../data/summary';
import type { CfdImage } from '../data/catalog';
import type { ProgressCallback } from '../progress/callback';
import { EXPRESSIONS } from '../data/expressions';

/** Keeps the first n images of each expression in catalogue order (a small configuration). */
function limitPerClass(n: number): ((item: CfdImage) => boolean) | undefined {
  if (!n) return undefined;
  const seen = new Map<string, number>();
  return (item) => {
    const k = (seen.get(item.expression) ?? 0) + 1;
    seen.set(item.expression, k);
    return k <= n;
  };
}

export async function experimentDataset(cfg: ExperimentConfig, onProgress?: ProgressCallback): Promise<Dataset> {
  const dataset = await loadDataset(cfg.data, {
    size: cfg.size,
    crop: cfg.crop,
    table: false,
    masks: false,
    select: limitPerClass(cfg.limitPerClass),
    onProgress,
  });
  if (dataset.items.length === 0) throw new Error(`${cfg.data}: no usable images (see \`smile-lens data --data ${cfg.data}\`)`);
  return dataset;
}

function counts(dataset: Dataset, indices: number[]): number[] {
  const c = new Array<number>(EXPRESSIONS.length).fill(0);
  for (const i of indices) c[dataset.labels[i]]++;
  return c;
}

export async function prepareExperimentData(cfg: ExperimentConfig, onProgress?: ProgressCallback) {
  const dataset = await experimentDataset(cfg, onProgress);
  const splits = new Map<number, SeedSplit>();
  for (const seed of cfg.seeds) {
    const s = splitBySubject(dataset.items, { seed, fractions: { train: 1 - cfg.validationFraction, validation: cfg.validationFraction } });
    if (s.train.length === 0 || s.validation.length === 0) {
      throw new Error(`${cfg.data}: ${dataset.items.length} images are too few for a subject-disjoint split (train ${s.train.length}, validation ${s.validation.length})`);
    }
    splits.set(seed, {
      seed,
      train: s.train.map((i) => dataset.items[i].file),
      validation: s.validation.map((i) => dataset.items[i].file),
      trainCounts: counts(dataset, s.train),
      validationCounts: counts(dataset, s.validation),
      normalisation: normalisationStats(dataset.pixels, dataset.size, s.train),
    });
  }
  const summary = {
    root: dataset.root,
    layout: dataset.catalog.layout,
    images: dataset.items.length,
    skipped: dataset.skipped.length,
    catalogue: summariseCatalog({ items: dataset.items, skipped: dataset.skipped }),
    cacheKey: dataset.cache.key,
  };
  return { dataset, summary, splits };
}

/** Indices of the split's files in the dataset; a file that vanished is an error naming it. */
export function splitIndices(dataset: Dataset, files: string[], what: string): number[] {
  const index = new Map(dataset.items.map((item, i) => [item.file, i]));
  return files.map((f) => {
    const i = index.get(f);
    if (i === undefined) throw new Error(`${dataset.root}: ${what} image ${f} is no longer in the data set (the run's split was made from other data)`);
    return i;
  });
}

/** The normalised training and validation images of one seed. */
export async function loadSeedTrainingData(cfg: ExperimentConfig, split: SeedSplit): Promise<{ data: TrainingData; train: number[]; validation: number[] }> {
  const dataset = await experimentDataset(cfg);
  const train = splitIndices(dataset, split.train, 'training');
  const validation = splitIndices(dataset, split.validation, 'validation');
  const data = modelInputs(dataset, [...train, ...validation], split.normalisation, EXPRESSIONS.length);
  return {
    data,
    train: train.map((_, k) => k),
    validation: validation.map((_, k) => train.length + k),
  };
}
