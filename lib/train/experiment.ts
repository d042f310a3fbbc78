// The paper's experiment: its network trained on k seeds, each seed fixing the
// weights, the shuffling and the subject-disjoint split; seeds run in parallel
// worker processes when there are cores to spare (each worker is a fresh
// process, so parallel and one-after-another give the same numbers).
//
// A run folder outputs/runs/<id>/ holds:
//   config.json    everything needed to reproduce and resume the run
//   seed-<s>/      split.json, the checkpoints, the final model, result.json
//   history.json   per-epoch figures of every seed
//   metrics.json   per-seed figures, mean ± std and 95% intervals, baselines
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { PaperNetConfig, PAPER_NET_DEFAULTS } from '../model/paper-net';
import { EXPRESSIONS } from '../data/expressions';
import { readJson, writeJsonAtomic } from '../util/atomic-write';
import { summarise, Interval } from '../util/interval';
import { Baselines, baselines, ClassificationMetrics } from './metrics';
import { readSeedResult, SeedConfig, SeedProgress, SeedResult, seedFolder, trainSeed, EpochRecord } from './train-seed';
import { runInWorkers } from '../util/worker-pool';
import { prepareExperimentData, SeedSplit, loadSeedTrainingData } from './experiment-data';

export interface ExperimentConfig {
  /** Folder of CFD-named images (the real CFD or the synthetic set). */
  data: string;
  seeds: number[];
  epochs: number;
  size: number;
  batchSize: number;
  learningRate: number;
  validationFraction: number;
  model: Pick<PaperNetConfig, 'channels' | 'strides' | 'dense'>;
  /** Resize the whole photo (the paper) or crop to the face area first. */
  crop: 'none' | 'face';
  /** Cap the images per expression (small configurations); 0 = all. */
  limitPerClass: number;
}

export const EXPERIMENT_DEFAULTS: Omit<ExperimentConfig, 'data'> = {
  seeds: [1, 2, 3, 4, 5],
  epochs: 12,
  size: PAPER_NET_DEFAULTS.size,
  batchSize: 32,
  learningRate: 0.001,
  validationFraction: 0.2,
  model: { channels: PAPER_NET_DEFAULTS.channels, strides: PAPER_NET_DEFAULTS.strides, dense: PAPER_NET_DEFAULTS.dense },
  crop: 'none',
  limitPerClass: 0,
};

export interface RunConfigFile {
  experiment: ExperimentConfig;
  data: unknown;
  backend: string;
  versions: Record<string, string>;
  created: string;
}

export interface MetricsFile {
  classes: readonly string[];
  seeds: {
    seed: number;
    status: SeedResult['status'];
    message?: string;
    validation?: ClassificationMetrics;
    baselines: Baselines;
    seconds: number;
  }[];
  summary: Record<'accuracy' | 'balancedAccuracy' | 'macroF1' | 'nll', Interval>;
  baselineSummary: Record<'majorityAccuracy' | 'stratifiedAccuracy', Interval>;
}

export interface ExperimentProgress {
  seeds: Map<number, SeedProgress & { done?: boolean; failed?: string }>;
  startedAt: number;
}

const LOSS_LIMIT = 1e4;

function seedConfig(cfg: ExperimentConfig, seed: number): SeedConfig {
  return {
    seed,
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    learningRate: cfg.learningRate,
    model: cfg.model,
    maxLoss: LOSS_LIMIT,
  };
}

/** A readable, stable run id, so that running the same command again resumes. */
export function defaultRunId(cfg: ExperimentConfig): string {
  const data = path.basename(path.resolve(cfg.data)).replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `${data}-${cfg.size}px-${cfg.epochs}ep-${cfg.seeds.length}seeds${cfg.limitPerClass ? `-max${cfg.limitPerClass}` : ''}`;
}

function versions(): Record<string, string> {
  const pkg = (name: string) => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return 'absent';
    }
  };
  return {
    node: process.version,
    tfjs: tf.version.tfjs,
    'smile-lens': (require('../../package.json') as { version: string }).version,
    sharp: pkg('sharp'),
    'tfjs-backend-wasm': pkg('@tensorflow/tfjs-backend-wasm'),
  };
}

/** Comparable view of the settings that change the numbers (not the data path spelling). */
function numbersKey(cfg: ExperimentConfig): string {
  const { data: _data, ...rest } = cfg;
  return JSON.stringify(rest);
}

/**
 * Creates the run folder (or checks that an existing one was made with the
 * same settings) and writes every seed's split, so that workers only read.
 */
/** A run folder's configuration, read with a message that says what a run folder is. */
export function readRunConfig(runDir: string): RunConfigFile {
  return readJson<RunConfigFile>(path.join(runDir, 'config.json'), 'a run configuration (is this a run folder made by `smile-lens train`?)');
}

export async function prepareRun(runDir: string, cfg: ExperimentConfig, backend: string, onProgress?: (done: number, total: number) => void): Promise<RunConfigFile> {
  const configFile = path.join(runDir, 'config.json');
  if (fs.existsSync(configFile)) {
    const existing = readJson<RunConfigFile>(configFile, 'a run configuration');
    if (numbersKey(existing.experiment) !== numbersKey(cfg)) {
      throw new Error(
        `${configFile}: this run folder was made with other settings (${numbersKey(existing.experiment)}); ` +
          `pass another --out to start a new run, or the same settings to resume it`,
      );
    }
  }
  const { summary, splits } = await prepareExperimentData(cfg, onProgress);
  for (const [seed, split] of splits) writeJsonAtomic(path.join(seedFolder(runDir, seed), 'split.json'), split);
  const file: RunConfigFile = fs.existsSync(configFile)
    ? readJson<RunConfigFile>(configFile)
    : { experiment: cfg, data: summary, backend, versions: versions(), created: new Date().toISOString() };
  writeJsonAtomic(configFile, file);
  return file;
}

/** Trains one seed of a prepared run folder in this process. */
export async function runSeed(runDir: string, seed: number, onProgress?: (p: SeedProgress) => void, onEpoch?: (r: EpochRecord) => void): Promise<SeedResult> {
  const { experiment: cfg } = readRunConfig(runDir);
  const dir = seedFolder(runDir, seed);
  const finished = readSeedResult(dir);
  if (finished) return finished;
  const split = readJson<SeedSplit>(path.join(dir, 'split.json'), 'a seed split');
  const data = await loadSeedTrainingData(cfg, split);
  return trainSeed(dir, data.data, data.train, data.validation, seedConfig(cfg, seed), onProgress, onEpoch);
}

type WorkerMessage = { type: 'progress'; progress: SeedProgress } | { type: 'result'; result: SeedResult } | { type: 'error'; message: string };

export interface RunOptions {
  /** Worker processes at once; default: min(seeds left, cores). */
  jobs?: number;
  /** Backend forced for the workers (otherwise they choose, as the parent did). */
  backend?: string;
  onProgress?: (p: ExperimentProgress) => void;
  onSeedDone?: (r: SeedResult) => void;
}

/** Trains every seed of a prepared run (skipping finished ones) and writes history.json and metrics.json. */
export async function runExperiment(runDir: string, options: RunOptions = {}): Promise<MetricsFile> {
  const { experiment: cfg } = readRunConfig(runDir);
  const progress: ExperimentProgress = { seeds: new Map(), startedAt: Date.now() };
  const pending = cfg.seeds.filter((s) => !readSeedResult(seedFolder(runDir, s)));
  for (const s of cfg.seeds) {
    const done = readSeedResult(seedFolder(runDir, s));
    progress.seeds.set(s, { seed: s, epoch: done?.epochs ?? 0, epochs: cfg.epochs, step: 0, steps: 0, loss: NaN, done: !!done });
  }
  const { failures } = await runInWorkers<number, WorkerMessage>(
    pending.map((seed) => ({ key: seed, args: ['train-seed', '--run', runDir, '--seed', String(seed), ...(options.backend ? ['--backend', options.backend] : [])] })),
    {
      jobs: options.jobs,
      onMessage: (seed, m) => {
        if (m.type === 'progress') progress.seeds.set(seed, m.progress);
        else if (m.type === 'result') {
          progress.seeds.set(seed, { ...progress.seeds.get(seed)!, done: true, failed: m.result.status === 'done' ? undefined : m.result.message });
          options.onSeedDone?.(m.result);
        }
        options.onProgress?.(progress);
      },
    },
  );
  for (const f of failures) progress.seeds.set(f.key, { ...progress.seeds.get(f.key)!, failed: f.message });
  const metrics = await writeRunSummary(runDir);
  if (failures.length) throw new Error(`${failures.length} seed(s) failed (the others are saved; run again to resume):\n${failures.map((f) => `seed ${f.key}: ${f.message}`).join('\n')}`);
  return metrics;
}

/** (Re)writes history.json and metrics.json from the finished seeds of a run. */
export async function writeRunSummary(runDir: string): Promise<MetricsFile> {
  const { experiment: cfg } = readRunConfig(runDir);
  const seeds: MetricsFile['seeds'] = [];
  const history: Record<number, EpochRecord[]> = {};
  for (const s of cfg.seeds) {
    const r = readSeedResult(seedFolder(runDir, s));
    if (!r) continue;
    const split = readJson<SeedSplit>(path.join(seedFolder(runDir, s), 'split.json'), 'a seed split');
    history[s] = r.history;
    seeds.push({
      seed: s,
      status: r.status,
      message: r.message,
      validation: r.validation,
      baselines: baselines(split.trainCounts, split.validationCounts),
      seconds: r.seconds,
    });
  }
  const ok = seeds.filter((s) => s.validation);
  const pick = (f: (m: ClassificationMetrics) => number) => summarise(ok.map((s) => f(s.validation!)));
  const metrics: MetricsFile = {
    classes: EXPRESSIONS,
    seeds,
    summary: {
      accuracy: pick((m) => m.accuracy),
      balancedAccuracy: pick((m) => m.balancedAccuracy),
      macroF1: pick((m) => m.macroF1),
      nll: pick((m) => m.nll),
    },
    baselineSummary: {
      majorityAccuracy: summarise(seeds.map((s) => s.baselines.majorityClass.accuracy)),
      stratifiedAccuracy: summarise(seeds.map((s) => s.baselines.stratifiedRandom.accuracy)),
    },
  };
  writeJsonAtomic(path.join(runDir, 'history.json'), history);
  writeJsonAtomic(path.join(runDir, 'metrics.json'), metrics);
  return metrics;
}
