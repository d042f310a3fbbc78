// The two configurations every notebook and the main job share: the full one
// (the default synthetic set, the paper's settings, five seeds) and a small
// one for tests and quick looks, chosen with SMILE_LENS_SMALL=1. Notebooks
// run in order and each finds what the one before made (same settings →
// same folders), or makes it itself when run alone.
import * as fs from 'fs';
import * as path from 'path';
import { generateSyntheticCfd, readManifest, SyntheticOptions, SYNTHETIC_DEFAULTS } from '../data/synthetic/generate';
import type { ProgressCallback } from '../progress/callback';
import { defaultRunId, EXPERIMENT_DEFAULTS, ExperimentConfig } from '../train/experiment';
import { EXPLAIN_DEFAULTS, ExplainOptions } from './explain-run';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SMALL_ENV = 'SMILE_LENS_SMALL';
/** Where run folders go (default <repo>/outputs); a test re-executes a notebook into two of them. */
export const OUTPUTS_ENV = 'SMILE_LENS_OUTPUTS';
const outputsRoot = () => path.resolve(process.env[OUTPUTS_ENV] ?? path.join(REPO_ROOT, 'outputs'));

export interface Preset {
  name: 'full' | 'small';
  /** Where the synthetic set lives (generated when missing). */
  dataFolder: string;
  synthetic: Partial<SyntheticOptions>;
  experiment: ExperimentConfig;
  explain: ExplainOptions;
  runDir: string;
}

function preset(name: Preset['name'], dataFolder: string, synthetic: Partial<SyntheticOptions>, experiment: Partial<ExperimentConfig>, explain: Partial<ExplainOptions>): Preset {
  const cfg: ExperimentConfig = { ...EXPERIMENT_DEFAULTS, ...experiment, data: dataFolder };
  return {
    name,
    dataFolder,
    synthetic,
    experiment: cfg,
    explain: { ...EXPLAIN_DEFAULTS, ...explain },
    runDir: path.join(outputsRoot(), 'runs', defaultRunId(cfg)),
  };
}

// 50 validation images per seed (10 per expression) keep the main job's
// GradientSHAP (n = 50) to minutes; `smile-lens explain --limit 0` does all.
export const FULL_PRESET = preset('full', path.join(REPO_ROOT, 'data', 'synthetic-cfd'), {}, {}, { limit: 50 });

export const SMALL_PRESET = preset(
  'small',
  path.join(REPO_ROOT, 'data', 'synthetic-small'),
  { subjects: 40, expressiveSubjects: 16, width: 244 },
  { seeds: [1, 2], epochs: 3, size: 64 },
  { limit: 10, samples: 16 },
);

/** The small preset when SMILE_LENS_SMALL is set (1/true/yes), else the full one. */
export function currentPreset(env: NodeJS.ProcessEnv = process.env): Preset {
  return /^(1|true|yes|on)$/i.test(env[SMALL_ENV] ?? '') ? SMALL_PRESET : FULL_PRESET;
}

/**
 * Generates the preset's synthetic set unless a complete one with the same
 * options is there (a set is complete when its manifest exists).
 */
export async function ensureSyntheticData(p: Preset, onProgress?: ProgressCallback): Promise<{ folder: string; generated: boolean; seconds: number }> {
  const started = Date.now();
  const manifest = readManifest(p.dataFolder);
  const wanted = { ...SYNTHETIC_DEFAULTS, ...p.synthetic };
  const same = manifest && (Object.keys(wanted) as (keyof SyntheticOptions)[]).every((k) => JSON.stringify(manifest.options[k]) === JSON.stringify(wanted[k]));
  if (same) return { folder: p.dataFolder, generated: false, seconds: 0 };
  if (fs.existsSync(p.dataFolder) && !manifest && fs.readdirSync(p.dataFolder).length > 0) {
    throw new Error(`${p.dataFolder}: exists but is not a complete synthetic set; move it away to regenerate`);
  }
  await generateSyntheticCfd(p.dataFolder, p.synthetic, onProgress);
  return { folder: p.dataFolder, generated: true, seconds: (Date.now() - started) / 1000 };
}
