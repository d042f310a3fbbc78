// One typed configuration for everything a run does, built once at the edge
// (command-line flags or a notebook call) from a preset and overrides, checked
// before any work starts, and handed to every stage as it is:
//   full   the default synthetic set, the paper's network and settings, five
//          seeds, and explanation defaults chosen by measurement;
//   paper  the same, with the paper's own choices where smile-lens's
//          measured defaults differ (README: "Presets");
//   small  a quick look for tests and teaching: 40 subjects, 64 px, 2 seeds.
import * as path from 'path';
import type { SyntheticOptions } from '../data/synthetic/generate';
import { budgetOptions } from '../explain/registry';
import { dataRoot, defaultRunDir } from '../run/locations';
import { AUDIT_DEFAULTS, AuditConfig, checkAuditConfig } from './audit';
import { BIAS_SWEEP_FULL, BIAS_SWEEP_SMALL, BiasSweepConfig, checkSweepConfig } from './bias-sweep';
import { BASELINE_STUDY_FULL, BASELINE_STUDY_SMALL, BaselineStudyConfig, checkBaselineStudyConfig, MEASURED_BASELINE } from './baseline-study';
import { checkExperimentConfig, EXPERIMENT_DEFAULTS, ExperimentConfig } from './experiment';
import { checkExplainConfig, EXPLAIN_DEFAULTS, ExplainConfig } from './explain';
import { checkMaskingConfig, MASKING_DEFAULTS, MaskingConfig } from './masking';
import { checkSanityConfig, SANITY_DEFAULTS, SanityConfig } from './sanity';

export const PRESETS = ['full', 'paper', 'small'] as const;

/** The bias audit's experiments after the audit itself (the main job runs them; `--skip` leaves some out). */
export const AUDIT_EXPERIMENTS = ['bias-sweep', 'sanity', 'retrain-masked'] as const;
export type AuditExperiment = (typeof AUDIT_EXPERIMENTS)[number];
export type PresetName = (typeof PRESETS)[number];

/** SMILE_LENS_SMALL=1 (or true/yes/on) selects the small preset where no preset is named (notebooks, tests). */
export const SMALL_ENV = 'SMILE_LENS_SMALL';

export interface RunConfig {
  preset: PresetName;
  /** Set when the data are the project's synthetic set: generated with these options when missing. */
  synthetic?: Partial<SyntheticOptions>;
  experiment: ExperimentConfig;
  explain: ExplainConfig;
  audit: AuditConfig;
  sanity: SanityConfig;
  biasSweep: BiasSweepConfig;
  masking: MaskingConfig;
  baselineStudy: BaselineStudyConfig;
  /** The run folder (default: <outputs>/runs/<id from the settings>). */
  runDir: string;
}

type Sections = Omit<RunConfig, 'preset' | 'runDir' | 'experiment'> & { experiment: Omit<ExperimentConfig, 'data'>; data: string };

/** The best-measured baseline (MEASURED_BASELINE, by `smile-lens baselines`) over a preset's method options. */
export function withMeasuredBaseline(options: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const method = MEASURED_BASELINE.method;
  return { ...options, [method]: { ...options[method], baseline: MEASURED_BASELINE.baseline } };
}

function full(): Sections {
  return {
    data: path.join(dataRoot(), 'synthetic-cfd'),
    synthetic: {},
    experiment: EXPERIMENT_DEFAULTS,
    // 50 validation images per seed (10 per expression) keep the main job's
    // GradientSHAP to minutes; `smile-lens explain --limit 0` does all.
    explain: { ...EXPLAIN_DEFAULTS, limit: 50, options: withMeasuredBaseline({}) },
    audit: AUDIT_DEFAULTS,
    sanity: SANITY_DEFAULTS,
    biasSweep: BIAS_SWEEP_FULL,
    masking: MASKING_DEFAULTS,
    baselineStudy: BASELINE_STUDY_FULL,
  };
}

const SECTIONS: Record<PresetName, () => Sections> = {
  full,
  // The paper's GradientSHAP measures against the black image.
  paper: () => ({ ...full(), explain: { ...EXPLAIN_DEFAULTS, limit: 50, options: { gradientshap: { baseline: 'black' } } } }),
  small: () => ({
    ...full(),
    data: path.join(dataRoot(), 'synthetic-small'),
    synthetic: { subjects: 40, expressiveSubjects: 16, width: 244 },
    experiment: { ...EXPERIMENT_DEFAULTS, seeds: [1, 2], epochs: 3, size: 64 },
    explain: { ...EXPLAIN_DEFAULTS, limit: 10, options: withMeasuredBaseline(budgetOptions('small')) },
    biasSweep: BIAS_SWEEP_SMALL,
    baselineStudy: BASELINE_STUDY_SMALL,
  }),
};

/** The preset the environment asks for when none is named: small under SMILE_LENS_SMALL, else full. */
export function presetFromEnv(env: NodeJS.ProcessEnv = process.env): PresetName {
  return /^(1|true|yes|on)$/i.test(env[SMALL_ENV] ?? '') ? 'small' : 'full';
}

export interface RunConfigOverrides {
  preset?: PresetName;
  /** Another data folder (no longer the generated synthetic set). */
  data?: string;
  runDir?: string;
  experiment?: Partial<Omit<ExperimentConfig, 'data'>>;
  explain?: Partial<ExplainConfig>;
  audit?: Partial<AuditConfig>;
  sanity?: Partial<SanityConfig>;
  biasSweep?: Partial<BiasSweepConfig>;
  masking?: Partial<MaskingConfig>;
  baselineStudy?: Partial<BaselineStudyConfig>;
}

/** A preset with overrides, checked: every setting in range, or a ConfigError naming each bad one. */
export function runConfig(overrides: RunConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): RunConfig {
  const preset = overrides.preset ?? presetFromEnv(env);
  const base = SECTIONS[preset]();
  const data = path.resolve(overrides.data ?? base.data);
  const experiment = checkExperimentConfig({ ...base.experiment, ...overrides.experiment, data });
  const explain = checkExplainConfig({ ...base.explain, ...overrides.explain, options: mergeOptions(base.explain.options, overrides.explain?.options) });
  const audit = checkAuditConfig({ ...base.audit, ...overrides.audit });
  const sanity = checkSanityConfig({ ...base.sanity, ...overrides.sanity, options: mergeOptions(base.sanity.options, overrides.sanity?.options) });
  const biasSweep = checkSweepConfig({ ...base.biasSweep, ...overrides.biasSweep });
  const masking = checkMaskingConfig({ ...base.masking, ...overrides.masking });
  const baselineStudy = checkBaselineStudyConfig({ ...base.baselineStudy, ...overrides.baselineStudy });
  return {
    preset,
    synthetic: overrides.data === undefined ? base.synthetic : undefined,
    experiment,
    explain,
    audit,
    sanity,
    biasSweep,
    masking,
    baselineStudy,
    runDir: path.resolve(overrides.runDir ?? defaultRunDir(experiment, env)),
  };
}

function mergeOptions(a: Record<string, Record<string, unknown>>, b: Record<string, Record<string, unknown>> | undefined): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = { ...a };
  for (const [method, options] of Object.entries(b ?? {})) out[method] = { ...out[method], ...options };
  return out;
}
