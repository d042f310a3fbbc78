// The paper's experiment: its network trained on k seeds, each seed fixing the
// weights, the shuffling and the subject-disjoint split. This file prepares a
// run folder (lib/run/run-folder.ts), trains one seed of it in this process,
// and summarises the finished seeds; lib/pipeline/train-run.ts runs the seeds
// in worker processes.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { EXPRESSIONS } from '../data/expressions';
import { ExperimentConfig, numbersKey } from '../config/experiment';
import { balancedClassWeights } from './step';
import type { EpochRecord, MetricsFile, RunConfigFile, SeedResult, HistoryFile, SeedSplit } from '../run/files';
import { projectRoot } from '../run/locations';
import { RunFolder } from '../run/run-folder';
import { baselines, summariseBaselines, summariseSeeds } from './metrics';
import { SeedConfig, SeedProgress, trainSeed } from './train-seed';
import { prepareExperimentData, loadSeedTrainingData } from './experiment-data';

export interface ExperimentProgress {
  seeds: Map<number, SeedProgress & { done?: boolean; failed?: string }>;
  startedAt: number;
}

const LOSS_LIMIT = 1e4;

function seedConfig(cfg: ExperimentConfig, seed: number, split: SeedSplit): SeedConfig {
  return {
    seed,
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    learningRate: cfg.learningRate,
    model: cfg.model,
    maxLoss: LOSS_LIMIT,
    // 'balanced': each seed's own training split sets its weights (lib/train/step.ts).
    ...(cfg.classWeights === 'balanced' ? { classWeights: balancedClassWeights(split.trainCounts) } : {}),
  };
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
    'smile-lens': (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version,
    sharp: pkg('sharp'),
    'tfjs-backend-wasm': pkg('@tensorflow/tfjs-backend-wasm'),
  };
}

/**
 * Creates the run folder (or checks that an existing one was made with the
 * same settings) and writes every seed's split, so that workers only read.
 */
export async function prepareRun(run: RunFolder, cfg: ExperimentConfig, backend: string, onProgress?: (done: number, total: number) => void): Promise<RunConfigFile> {
  const existing = run.hasConfig() ? run.readConfig() : undefined;
  if (existing && numbersKey(existing.experiment) !== numbersKey(cfg)) {
    throw new Error(
      `${run.configFile}: this run folder was made with other settings (${numbersKey(existing.experiment)}); ` +
        `pass another --out to start a new run, or the same settings to resume it`,
    );
  }
  // Prepared before (every stage of a main job calls this): nothing to decode again.
  if (existing && cfg.seeds.every((seed) => fs.existsSync(run.seed(seed).splitFile))) return existing;
  const { summary, splits } = await prepareExperimentData(cfg, onProgress);
  for (const [seed, split] of splits) run.seed(seed).writeSplit(split);
  const file: RunConfigFile = existing ?? { experiment: cfg, data: summary, backend, versions: versions(), created: new Date().toISOString() };
  run.writeConfig(file);
  return file;
}

/** Trains one seed of a prepared run folder in this process. */
export async function runSeed(run: RunFolder, seed: number, onProgress?: (p: SeedProgress) => void, onEpoch?: (r: EpochRecord) => void): Promise<SeedResult> {
  const { experiment: cfg } = run.readConfig();
  const folder = run.seed(seed);
  const finished = folder.readResult();
  if (finished) return finished;
  const split = folder.readSplit();
  const data = await loadSeedTrainingData(cfg, split);
  return trainSeed(folder, data.data, data.train, data.validation, seedConfig(cfg, seed, split), onProgress, onEpoch);
}

/** (Re)writes history.json and metrics.json from the finished seeds of a run. */
export function writeRunSummary(run: RunFolder): MetricsFile {
  const { experiment: cfg } = run.readConfig();
  const seeds: MetricsFile['seeds'] = [];
  const history: HistoryFile = {};
  const splits: SeedSplit[] = [];
  for (const s of cfg.seeds) {
    const folder = run.seed(s);
    const r = folder.readResult();
    if (!r) continue;
    const split = folder.readSplit();
    splits.push(split);
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
  const metrics: MetricsFile = {
    classes: EXPRESSIONS,
    seeds,
    summary: summariseSeeds(ok.map((s) => s.validation!)),
    baselineSummary: summariseBaselines(splits),
  };
  run.writeHistory(history);
  run.writeMetrics(metrics);
  return metrics;
}
