// The baseline study (issue 13): which reference should the methods that
// measure against one (GradientSHAP's `baseline` option) use by default?
// Each baseline is measured on the run's own seeds (the faithfulness games,
// the completeness error, the time per image) and on the planted-bias
// sweep's runs (how much of the attribution lands on the planted region).
import type { Explainer } from '../explain/explainer';
import { EXPLAINERS, explainer, explainerNames, methodLabel } from '../explain/registry';
import { ConfigError, int, list, choice, text, validate } from './schema';

export interface BaselineStudyConfig {
  /** Methods compared (default: every registered method with a `baseline` option). */
  methods?: string[];
  /** Baselines compared (default: every value of each method's `baseline` option). */
  baselines?: string[];
  /** Validation images per seed of the run (balanced over expressions). */
  images: number;
  /** Validation images per seed of the planted-bias runs at the lowest and highest strength. */
  sweepImages: number;
}

/**
 * The baseline new runs use (the full and small presets; the paper preset
 * keeps black), chosen by `smile-lens baselines` on a trained run, and the
 * measurement, which the report quotes.
 */
export const MEASURED_BASELINE = {
  method: 'gradientshap',
  baseline: 'noise' as const,
  measurement:
    'on the 128-px synthetic run (2 seeds × 20 validation images, n = 50, the logit; too few seeds for an interval) its maps beat random pixels under every fill, by the largest ' +
    'mean deletion gap over the blur, mean-colour and black fills: 8.91 logits (blur 6.01, training images 5.18, black −0.55, which is worse than random under the blur and ' +
    'mean-colour fills: −0.65 and −7.26). It localises the planted hair less than blur or training images: 23.9% of |φ| on the hair (10.1% of the picture) at p = 1, ' +
    '16.7% at p = 0 (blur 64.7% and 48.0%, training 48.6% and 35.0%, black 17.2% and 9.0%; one sweep seed × 30 images). |completeness error| 1.04 of |y(x) − y(b)| 11.6; 0.40 s per image',
};

export const BASELINE_STUDY_FULL: BaselineStudyConfig = { images: 20, sweepImages: 30 };
export const BASELINE_STUDY_SMALL: BaselineStudyConfig = { images: 6, sweepImages: 8 };

export const BASELINE_STUDY_FIELDS = {
  methods: list(choice(explainerNames(), { describe: 'a method' }), { describe: 'methods whose baseline is compared (default: every method with a baseline option)', unique: true }),
  baselines: list(text({ describe: 'a baseline' }), { describe: "baselines compared (default: every one a method's baseline option names)", unique: true, placeholder: '<black,blur,…>' }),
  images: int({ min: 1, max: 100_000, describe: 'validation images per seed of the run (default: 20; small preset 6)', placeholder: '<n>' }),
  sweepImages: int({ min: 0, max: 100_000, describe: 'validation images per seed of the planted-bias runs (0: leave the planted bias out; default: 30; small preset 8)', placeholder: '<n>' }),
};

export function checkBaselineStudyConfig(config: BaselineStudyConfig, where = 'baselineStudy'): BaselineStudyConfig {
  validate(BASELINE_STUDY_FIELDS, config, where);
  studiedBaselines(config, where);
  return config;
}

/** The baselines a method's `baseline` option offers (none: the method measures against no reference). */
export function methodBaselines(e: Explainer<any>): string[] {
  return [...((e.options as Record<string, { values?: readonly string[] }>).baseline?.values ?? [])];
}

/** The methods and baselines a study compares, checked against the registry. */
export function studiedBaselines(study: BaselineStudyConfig, where = 'baselineStudy'): { method: string; baselines: string[] }[] {
  const withBaseline = EXPLAINERS.filter((e) => methodBaselines(e).length > 0).map((e) => e.name);
  return (study.methods ?? withBaseline).map((m) => {
    const offered = methodBaselines(explainer(m));
    if (offered.length === 0) throw new ConfigError(`${where}.methods: ${methodLabel(m)} has no baseline option (methods with one: ${withBaseline.join(', ')})`);
    const wanted = study.baselines ?? offered;
    const unknown = wanted.filter((b) => !offered.includes(b));
    if (unknown.length) throw new ConfigError(`${where}.baselines: ${methodLabel(m)} has no baseline ${unknown.map((b) => `"${b}"`).join(', ')} (it offers ${offered.join(', ')})`);
    return { method: m, baselines: wanted };
  });
}
