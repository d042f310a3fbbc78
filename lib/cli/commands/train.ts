// `smile-lens train`: the paper's experiment on a data folder, k seeds.
import * as path from 'path';
import type { Command, ParsedOptions } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { defaultRunId, EXPERIMENT_DEFAULTS, ExperimentConfig, MetricsFile } from '../../train/experiment';
import { trainRun } from '../../pipeline/train-run';
import { formatInterval } from '../../util/interval';

export const TRAIN_OPTIONS: Command['options'] = [
  { name: 'seeds', kind: 'number', value: '<k>', description: 'how many seeds (runs); seed i fixes weights, shuffling and split', default: EXPERIMENT_DEFAULTS.seeds.length },
  { name: 'epochs', kind: 'number', value: '<n>', description: 'epochs per seed', default: EXPERIMENT_DEFAULTS.epochs },
  { name: 'size', kind: 'number', value: '<px>', description: 'input side in pixels', default: EXPERIMENT_DEFAULTS.size },
  { name: 'batch', kind: 'number', value: '<n>', description: 'batch size', default: EXPERIMENT_DEFAULTS.batchSize },
  { name: 'lr', kind: 'number', value: '<rate>', description: 'Adam learning rate', default: EXPERIMENT_DEFAULTS.learningRate },
  { name: 'validation', kind: 'number', value: '<fraction>', description: 'share of subjects held out for validation', default: EXPERIMENT_DEFAULTS.validationFraction },
  { name: 'channels', kind: 'list', value: '<a,b,c>', description: 'channels of the conv blocks', default: EXPERIMENT_DEFAULTS.model.channels.map(String) },
  { name: 'crop', kind: 'string', value: '<none|face>', description: 'resize the whole photo (the paper) or crop to the face first', default: 'none' },
  { name: 'limit-per-class', kind: 'number', value: '<n>', description: 'use at most n images per expression (0 = all)', default: 0 },
  { name: 'jobs', kind: 'number', value: '<n>', description: 'seeds trained at once in worker processes (default: cores)' },
  { name: 'out', kind: 'string', value: '<folder>', description: 'run folder (default: outputs/runs/<id from the settings>; an existing one resumes)' },
];

export function experimentConfig(o: ParsedOptions, data: string): ExperimentConfig {
  const k = o.seeds as number;
  if (!Number.isInteger(k) || k < 1) throw new Error(`--seeds expects a whole number ≥ 1, got ${k}`);
  const crop = o.crop as string;
  if (crop !== 'none' && crop !== 'face') throw new Error(`--crop expects none or face, got "${crop}"`);
  const channels = (o.channels as string[]).map(Number);
  if (channels.some((c) => !Number.isInteger(c) || c < 1)) throw new Error(`--channels expects whole numbers, got ${(o.channels as string[]).join(',')}`);
  return {
    ...EXPERIMENT_DEFAULTS,
    data: path.resolve(data),
    seeds: Array.from({ length: k }, (_, i) => i + 1),
    epochs: o.epochs as number,
    size: o.size as number,
    batchSize: o.batch as number,
    learningRate: o.lr as number,
    validationFraction: o.validation as number,
    model: { ...EXPERIMENT_DEFAULTS.model, channels, strides: channels.map(() => 2) },
    crop,
    limitPerClass: o['limit-per-class'] as number,
  };
}

export function printMetrics(m: MetricsFile): void {
  for (const s of m.seeds) {
    if (!s.validation) console.log(`seed ${s.seed}: ${s.status} — ${s.message}`);
    else console.log(`seed ${s.seed}: validation accuracy ${(100 * s.validation.accuracy).toFixed(1)}%, balanced ${(100 * s.validation.balancedAccuracy).toFixed(1)}%, macro-F1 ${(100 * s.validation.macroF1).toFixed(1)}%`);
  }
  console.log(`validation accuracy        ${formatInterval(m.summary.accuracy)}`);
  console.log(`balanced accuracy          ${formatInterval(m.summary.balancedAccuracy)}`);
  console.log(`macro-F1                   ${formatInterval(m.summary.macroF1)}`);
  console.log(`baseline: majority class   ${formatInterval(m.baselineSummary.majorityAccuracy)}`);
  console.log(`baseline: stratified guess ${formatInterval(m.baselineSummary.stratifiedAccuracy)}`);
}

/** Prepares, trains and summarises a run on the backend chosen by the caller; returns its folder. */
export async function trainCommand(o: ParsedOptions, data: string, backendName: string): Promise<{ runDir: string; metrics: MetricsFile }> {
  const cfg = experimentConfig(o, data);
  const runDir = path.resolve((o.out as string | undefined) ?? path.join('outputs', 'runs', defaultRunId(cfg)));
  console.log(`run folder: ${runDir}`);
  const metrics = await trainRun(cfg, runDir, { backend: backendName, jobs: o.jobs as number | undefined });
  printMetrics(metrics);
  console.log(`wrote ${path.join(runDir, 'metrics.json')}`);
  return { runDir, metrics };
}

const command: Command = {
  name: 'train',
  summary: 'train the paper\'s network on k seeds (resumable), write metrics and models to a run folder',
  options: [{ name: 'data', kind: 'string', value: '<folder>', description: 'CFD folder or a synthetic set (smile-lens synth)', required: true }, ...TRAIN_OPTIONS],
  details: 'Example: smile-lens train --data data/synthetic-cfd --seeds 5 --epochs 12\nRunning the same command again resumes: finished seeds are kept, an unfinished seed continues from its last epoch.',
  async run(o) {
    const backend = await chooseBackend(o.backend as string | undefined);
    console.log(describeBackend(backend));
    await trainCommand(o, o.data as string, backend.name);
  },
};
export default command;
