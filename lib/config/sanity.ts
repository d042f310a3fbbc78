// The sanity checks of Adebayo et al. (experiment 3 of the bias audit):
// which methods (default: those the run explained), how many images per
// seed, the random-label model, and the methods' options for the check
// (each method's 'checks' budget, e.g. GradientSHAP with fewer samples than
// `explain`, so the check stays minutes).
import { budgetOptions, explainerNames } from '../explain/registry';
import { checkMethodOptions } from './explain';
import { bool, choice, int, list, validate } from './schema';

export interface SanityConfig {
  /** Default: the methods the run explained. */
  methods?: string[];
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

export const SANITY_DEFAULTS: SanityConfig = {
  images: 8,
  randomLabels: true,
  options: budgetOptions('checks'),
  seeds: 2,
  seed: 0,
};

export const SANITY_FIELDS = {
  methods: list(choice(explainerNames(), { describe: 'a method' }), { describe: 'which explainers to check (default: those the run explained)', unique: true }),
  images: int({ min: 1, max: 100_000, describe: 'validation images per seed (balanced over expressions)', default: SANITY_DEFAULTS.images }),
  randomLabels: bool({ describe: 'also train and compare a model on permuted labels (--no-random-labels to skip)', default: true }),
  randomLabelEpochs: int({ min: 1, max: 10_000, describe: "epochs of the random-label model (default: the run's)" }),
  seeds: int({ min: 1, max: 1000, describe: 'how many of the run\'s seeds the main job checks', default: SANITY_DEFAULTS.seeds }),
  seed: int({ min: 0, max: 2 ** 31 - 1, describe: 'seed of the checks' }),
};

export function checkSanityConfig(config: SanityConfig, where = 'sanity'): SanityConfig {
  validate(SANITY_FIELDS, config, where);
  checkMethodOptions(config.options, where);
  return config;
}
