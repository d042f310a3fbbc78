// What the real Chicago Face Database main set (CFD 3.0) contains, so the
// loader can compare a folder against it and the synthetic default can mirror
// it. Source: the CFD website and codebook (Ma, Correll & Wittenbrink 2015).
import type { Expression } from './expressions';
import type { Race } from './cfd-names';

export const CFD_MAIN_SET = {
  models: 597,
  /** Models per self-identified race (all have a neutral image). */
  modelsByRace: { A: 109, B: 197, L: 108, W: 183 } as Partial<Record<Race, number>>,
  /** Models that also have the four other expressions: all Black or White. */
  modelsWithExpressions: 158,
  imagesByExpression: { N: 597, A: 154, F: 149, HC: 153, HO: 154 } as Record<Expression, number>,
  /** 597 + 154 + 149 + 153 + 154. */
  images: 1207,
  /** Races whose models appear only as neutral. */
  neutralOnlyRaces: ['A', 'L'] as Race[],
  /** Pixels of an original photograph (width × height). */
  width: 2444,
  height: 1718,
};

/** Share of neutral images in the five-class main set (≈ 0.495). */
export const CFD_NEUTRAL_SHARE = CFD_MAIN_SET.imagesByExpression.N / CFD_MAIN_SET.images;

/** The layouts the loader accepts, for error messages and the README. */
export const EXPECTED_LAYOUTS = [
  'CFD Version 2.0.3/CFD 2.0.3 Images/<MODEL>/CFD-AF-200-228-N.jpg',
  'CFD Version 3.0/Images/CFD/<MODEL>/CFD-AF-200-228-N.jpg (also Images/CFD-MR/…, Images/CFD-INDIA/…, loose or in model folders)',
  'a flat folder of CFD-named files: CFD-{race}{gender}-{n1}-{n2}[-{replicate}]-{N|A|F|HC|HO}.jpg',
];
