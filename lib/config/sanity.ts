// The sanity checks of Adebayo et al. (experiment 3 of the bias audit):
// which methods, how many images per seed, the random-label model, and the
// methods' options for the check (GradientSHAP with fewer samples than
// `explain` and its black baseline, so the check stays minutes).
import { explainerNames } from '../explain/registry';
import { DEFAULT_METHODS } from './explain';
import { bool, choice, int, list, validate } from './schema';

export interface SanityConfig {
  methods: string[];
  /** Validation images per seed, balanced over the expressions. */
  images: number;
  /** Train and compare the random-label model. */
  randomLabels: boolean;
  /** Its epochs (default: the run's). */
  randomLabelEpochs?: number;
  /** Per method, options that differ from the method's defaults. */
  options: Record<string, Record<string, unknown>>;
  /**
   * Seeds the main job and notebook 06 check (the first k): each needs a
   * random-label model trained like a seed, and two keep the full main job
   * short (all five took 11 min of it). `smile-lens sanity` checks every seed.
   */
  seeds: number;
  seed: number;
}

/** GradientSHAP's samples in the checks: fewer than `explain`'s, so the check stays minutes. */
export const SANITY_SHAP_SAMPLES = 32;

export const SANITY_DEFAULTS: SanityConfig = {
  methods: DEFAULT_METHODS,
  images: 8,
  randomLabels: true,
  options: { gradientshap: { samples: SANITY_SHAP_SAMPLES, baseline: 'black' } },
  seeds: 2,
  seed: 0,
};

export const SANITY_FIELDS = {
  methods: list(choice(explainerNames(), { describe: 'a method' }), { describe: 'which explainers to check', default: DEFAULT_METHODS, unique: true }),
  images: int({ min: 1, max: 100_000, describe: 'validation images per seed (balanced over expressions)', default: SANITY_DEFAULTS.images }),
  randomLabels: bool({ describe: 'also train and compare a model on permuted labels (--no-random-labels to skip)', default: true }),
  randomLabelEpochs: int({ min: 1, max: 10_000, describe: "epochs of the random-label model (default: the run's)" }),
  seeds: int({ min: 1, max: 1000, describe: 'how many of the run\'s seeds the main job checks', default: SANITY_DEFAULTS.seeds }),
  seed: int({ min: 0, max: 2 ** 31 - 1, describe: 'seed of the checks' }),
};

export function checkSanityConfig(config: SanityConfig, where = 'sanity'): SanityConfig {
  validate(SANITY_FIELDS, config, where);
  return config;
}
