// What `explain` does to a run: which methods, which images, which class and
// target, and each method's own options (their fields live with the method,
// lib/explain/*; defaults are filled in from the registry).
import { TARGETS, Target, resolveOptions } from '../explain/explainer';
import { EXPLAINERS, explainer, explainerNames } from '../explain/registry';
import { choice, ConfigError, int, list, text, validate } from './schema';

/**
 * The methods a run explains unless told otherwise: the paper's two. Every
 * other registered method runs on request (`--method`), through every stage.
 */
export const DEFAULT_METHODS = ['gradcam', 'gradientshap'];

export interface ExplainConfig {
  methods: string[];
  /** At most this many images per seed, balanced over expressions (0 = all). */
  limit: number;
  /** Images to explain (files relative to the data root, or base names); default the seed's validation split. */
  images?: string[];
  /** Class to explain (index); default the predicted class. */
  classIndex?: number;
  target: Target;
  /** Per method, options that differ from the method's defaults. */
  options: Record<string, Record<string, unknown>>;
}

export const EXPLAIN_DEFAULTS: ExplainConfig = {
  methods: DEFAULT_METHODS,
  limit: 0,
  target: 'logit',
  options: {},
};

export const EXPLAIN_FIELDS = {
  methods: list(choice(explainerNames(), { describe: 'a method' }), { describe: 'which explainers', default: DEFAULT_METHODS, unique: true }),
  limit: int({ min: 0, max: 1_000_000, describe: 'at most n images per seed, balanced over expressions (0 = all)', default: 0 }),
  images: list(text({ describe: 'an image' }), { describe: 'images to explain (relative to the data folder, or base names; default: the validation split)', placeholder: '<files>' }),
  classIndex: int({ min: 0, max: 4, describe: 'class to explain (default: the predicted one)' }),
  target: choice(TARGETS, { describe: "what is explained: the class logit (Grad-CAM's y^c) or its log-probability (the paper's output)", default: 'logit' }),
};

/** One method's complete options under this configuration. */
export function methodOptions(config: Pick<ExplainConfig, 'options'>, method: string): Record<string, unknown> {
  return resolveOptions(explainer(method), config.options[method] ?? {});
}

/** Checks per-method options (a stage's `options`): known methods, every option in range. */
export function checkMethodOptions(options: Record<string, Record<string, unknown>>, where: string): void {
  for (const name of Object.keys(options)) {
    try {
      explainer(name);
    } catch (e) {
      throw new ConfigError(`${where}.options: ${(e as Error).message}`);
    }
  }
  for (const e of EXPLAINERS) {
    const resolved = methodOptions({ options }, e.name);
    validate(e.options, resolved, `${where}.options.${e.name}`);
    const problem = e.checkOptions?.(resolved);
    if (problem) throw new ConfigError(`${where}.options.${e.name}: ${problem}`);
  }
}

/** Checks the settings and every method's options. */
export function checkExplainConfig(config: ExplainConfig, where = 'explain'): ExplainConfig {
  validate(EXPLAIN_FIELDS, config, where);
  checkMethodOptions(config.options, where);
  return config;
}
