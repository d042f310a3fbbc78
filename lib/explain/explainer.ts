// The one interface every attribution method implements (as Captum's
// `attribute()` classes and pytorch-grad-cam's base class do): what it is
// called, what it explains, its options with their ranges, the shape and
// sign of its maps, how to show them, and `attribute()`. Stages (explain,
// audit, sanity checks, masked retraining, figures, report) iterate over the
// registry (registry.ts) and never ask for a method by name.
import type * as tf from '@tensorflow/tfjs';
import type { Field } from '../config/schema';
import type { NormalisationStats } from '../data/normalisation';

/**
 * What the explained number y is. 'logit': the pre-softmax class score, as
 * Grad-CAM's paper defines y^c (the default). 'log-prob': log softmax_c, what
 * the paper's network outputs and its NLL loss reads; its gradient is the
 * logit's minus the softmax-weighted mean of every class's.
 */
export const TARGETS = ['logit', 'log-prob'] as const;
export type Target = (typeof TARGETS)[number];

/** What a method may need besides the model and the images. */
export interface ExplainContext {
  /** The seed's input normalisation (a black image in the model's input space needs it). */
  normalisation: NormalisationStats;
  /** k training images of the seed in the model's input space, balanced over classes (the caller keeps them). */
  trainingImages(k: number): tf.Tensor4D;
}

export interface ExplainRequest {
  model: tf.LayersModel;
  /** N × H × W × 3, in the model's input space. */
  images: tf.Tensor4D;
  /** The class explained for each image. */
  classIndex: readonly number[];
  /** A stable key per image (its index in the data set): seeded draws do not depend on the batch. */
  imageKeys: readonly number[];
  target: Target;
  context: ExplainContext;
}

export interface Attribution {
  /** The raw map, row-major at `shape` (a layer's resolution or the input's). */
  map: Float32Array;
  shape: [number, number];
  classIndex: number;
  /** The explained target y at the input. */
  score: number;
  /** Figures the method reports about its own accuracy (e.g. GradientSHAP's completeness delta and its standard error). */
  diagnostics: Record<string, number>;
  /** Settings that produced the map, written beside it (layer, baseline, geometry for upsampling…). */
  parameters: Record<string, unknown>;
}

export type OptionFields<O> = { [K in keyof O]-?: Field<O[K]> };

/** How a method's maps are drawn by default (figures may add clipping, smoothing, |value|: lib/figures/map-visualisation.ts). */
export interface MapDisplay {
  /** 'sequential' for maps ≥ 0 (heat), 'diverging' for signed maps (blue–white–red, symmetric). */
  scale: 'sequential' | 'diverging';
  /** The unit of a map value, on colour bars (e.g. 'logit'). */
  unit: string;
  /** What the values are, on colour bars (e.g. 'Grad-CAM'). */
  label?: string;
}

/** What a method's maps are: their shape, sign, drawing, and whether they are complete or sampled. */
export interface MapTraits {
  /** 'input': maps at the input's resolution; 'layer': at a layer's (upsampled for display and the audit). */
  readonly mapShape: 'input' | 'layer';
  readonly sign: 'non-negative' | 'signed';
  readonly display: MapDisplay;
  /**
   * Whether Σ map = y(x) − y(baseline) holds (approximately) for this method;
   * such a method reports `delta` (Σ map − (y(x) − y(b))) and `scoreChange`
   * (y(x) − y(b)) among its diagnostics, and a sampling one `deltaStdError`
   * (the standard error of its delta).
   */
  readonly completeness: boolean;
  /** Whether two calls with the same options can differ (seeded sampling): the sanity checks hold its draws fixed. */
  readonly stochastic: boolean;
}

/**
 * Cheaper option sets for where maps are many: 'small', the small
 * configuration (tests, teaching); 'checks', the sanity checks and the
 * planted-bias sweep, which recompute every map many times. Options left
 * out keep their defaults.
 */
export const BUDGETS = ['small', 'checks'] as const;
export type Budget = (typeof BUDGETS)[number];

export interface Explainer<O extends object = Record<string, unknown>> extends MapTraits {
  /** Identifier in files and on the command line, e.g. 'gradcam'. */
  readonly name: string;
  /** Human name, e.g. 'Grad-CAM'. */
  readonly label: string;
  /** Where the method comes from. */
  readonly reference: string;
  /** Its definition in TeX ($…$), for the report and notebooks. */
  readonly formula?: string;
  /** Options with their ranges and defaults. */
  readonly options: OptionFields<O>;
  /** Command-line flag per option (default: `<name>-<option>`). */
  readonly flags?: Partial<Record<keyof O, string>>;
  /** What is wrong with a combination of options the fields cannot see one by one (undefined: nothing); checked with the configuration, before any work. */
  checkOptions?(options: O): string | undefined;
  /** Cheaper options per budget (see BUDGETS). */
  readonly budgets?: Partial<Record<Budget, Partial<O>>>;
  /** The traits under these options, where they depend on them (a noise tunnel's on its base method); default: the ones above. */
  traitsFor?(options: O): MapTraits;
  attribute(request: ExplainRequest, options: O): Attribution[];
  /** A map at the input's resolution (size × size), from what `attribute` returned (or its sidecar). */
  atInputSize(map: Float32Array, shape: [number, number], parameters: Record<string, unknown>, size: number): Float32Array;
}

/** A method's traits under the given options (its complete options, see resolveOptions). */
export function traitsOf<O extends object>(explainer: Explainer<O>, options: O): MapTraits {
  if (explainer.traitsFor) return explainer.traitsFor(options);
  const { mapShape, sign, display, completeness, stochastic } = explainer;
  return { mapShape, sign, display, completeness, stochastic };
}

/** A method's complete options: its defaults, overridden by what is given. */
export function resolveOptions<O extends object>(explainer: Explainer<O>, given: Partial<O> = {}): O {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(explainer.options) as [string, Field<unknown>][]) out[key] = field.default;
  for (const [key, value] of Object.entries(given)) if (value !== undefined) out[key] = value;
  return out as O;
}

/** The map as it is when no resampling is needed. */
export function sameSize(map: Float32Array, shape: [number, number], size: number): Float32Array {
  if (shape[0] !== size || shape[1] !== size) throw new Error(`a ${shape.join('×')} map cannot stand for a ${size}×${size} input`);
  return map;
}
