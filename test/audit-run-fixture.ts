// A tiny trained and explained run on a tiny synthetic set (with its
// ground-truth region maps), for the tests of the bias audit. Built once per
// test process (mocha runs every file in one process) and removed at exit.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseBackend } from '../lib/backend/select';
import { generateSyntheticCfd } from '../lib/data/synthetic/generate';
import { EXPERIMENT_DEFAULTS, ExperimentConfig } from '../lib/config/experiment';
import { EXPLAIN_DEFAULTS, ExplainConfig } from '../lib/config/explain';
import { explainRun } from '../lib/pipeline/explain-run';
import { trainRun } from '../lib/pipeline/train-run';
import { localExecutor } from '../lib/worker/local-executor';

export const BACKEND = process.env.SMILE_LENS_BACKEND ?? 'wasm';

export interface TinyRun {
  tmp: string;
  data: string;
  run: string;
  cfg: ExperimentConfig;
  explain: ExplainConfig;
}

let built: Promise<TinyRun> | undefined;

async function build(): Promise<TinyRun> {
  await chooseBackend(BACKEND);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-audit-'));
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const data = path.join(tmp, 'data');
  await generateSyntheticCfd(data, { subjects: 16, expressiveSubjects: 6, width: 160 });
  const cfg: ExperimentConfig = { ...EXPERIMENT_DEFAULTS, data, seeds: [1, 2], epochs: 1, size: 24, batchSize: 8, model: { channels: [4, 8, 8], strides: [2, 2, 2], dense: 8 } };
  const run = path.join(tmp, 'run');
  const executor = localExecutor({ jobs: 2 });
  await trainRun(cfg, run, { executor, log: () => undefined });
  const explain: ExplainConfig = { ...EXPLAIN_DEFAULTS, limit: 5, options: { gradientshap: { samples: 4 } } };
  await explainRun(run, explain, { executor });
  return { tmp, data, run, cfg, explain };
}

/** The tiny run: 16 subjects (≈ 40 images), 24 px, two seeds of one epoch, five images explained per seed. */
export function tinyRun(): Promise<TinyRun> {
  built ??= build();
  return built;
}
