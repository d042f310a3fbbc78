// The settings of a synthetic set and their defaults, apart from the drawing
// (generate.ts, which loads sharp): the command line checks and sizes a set
// from these before anything is drawn.
import * as path from 'path';
import { CFD_MAIN_SET } from '../cfd-facts';
import { dataRoot } from '../../run/locations';
import { checkBias, PlantedBias } from './planted-bias';
import { defaultExpressiveSubjects } from './roster';

/** Bump when the same options would draw different images. */
export const GENERATOR_VERSION = 1;

/** The default set's folder (data/synthetic-cfd). */
export const DEFAULT_SYNTHETIC_DIR = path.join(dataRoot(), 'synthetic-cfd');

/** In a complete set only (written last). */
export const MANIFEST_FILE = 'synthetic.json';

/** Widest image drawn: the CFD's own width. */
export const MAX_WIDTH = CFD_MAIN_SET.width;

export interface SyntheticOptions {
  seed: number;
  /** Models; the CFD main set has 597. */
  subjects: number;
  /** Models with the four other expressions; default the CFD's share (158 of 597). */
  expressiveSubjects?: number;
  /** Only Black and White models have expressions, as in the CFD. */
  confound: boolean;
  bias: PlantedBias;
  /** Image width in pixels; the height keeps CFD's 2444:1718. */
  width: number;
  /** Range of per-image expression intensity (1 = the full expression). */
  intensity: [number, number];
  jpegQuality: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = {
  seed: 1,
  subjects: CFD_MAIN_SET.models,
  confound: true,
  bias: { feature: 'none', strength: 0 },
  width: 611,
  intensity: [0.3, 1],
  jpegQuality: 90,
};

export function imageHeight(width: number): number {
  return Math.round((width * CFD_MAIN_SET.height) / CFD_MAIN_SET.width);
}

export function resolveOptions(partial: Partial<SyntheticOptions> = {}): SyntheticOptions {
  const o: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, ...partial, bias: { ...SYNTHETIC_DEFAULTS.bias, ...partial.bias } };
  checkBias(o.bias);
  if (!Number.isInteger(o.width) || o.width < 32 || o.width > MAX_WIDTH) throw new Error(`synthetic set: width must be an integer in 32..${MAX_WIDTH}, got ${o.width}`);
  if (!(o.intensity[0] >= 0 && o.intensity[0] <= o.intensity[1] && o.intensity[1] <= 1.5)) throw new Error(`synthetic set: intensity range must satisfy 0 ≤ min ≤ max ≤ 1.5, got ${o.intensity.join('..')}`);
  if (o.expressiveSubjects !== undefined && o.expressiveSubjects > o.subjects) throw new Error(`synthetic set: ${o.expressiveSubjects} expressive models is more than the ${o.subjects} models`);
  o.expressiveSubjects ??= defaultExpressiveSubjects(o.subjects);
  return o;
}
