// Chicago Face Database file names: CFD-{race}{gender}-{n1}-{n2}[-{replicate}]-{expr}.jpg,
// e.g. CFD-AF-200-228-N.jpg. The model (subject) is race+gender+n1 ("AF-200").
// Names are read case-insensitively, and the copies users keep beside the
// originals ("… (1).jpg", "… copy.JPG", "….png") are recognised as variants.
import { EXPRESSIONS, Expression } from './expressions';

export const RACES = { A: 'Asian', B: 'Black', L: 'Latino', W: 'White', M: 'Multiracial', I: 'Indian' } as const;
export type Race = keyof typeof RACES;
export const GENDERS = { F: 'female', M: 'male' } as const;
export type Gender = keyof typeof GENDERS;

/** The three CFD 3.0 image sets, told apart by the race code. */
export type CfdSet = 'CFD' | 'CFD-MR' | 'CFD-INDIA';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp', '.bmp'];

export interface CfdName {
  race: Race;
  gender: Gender;
  /** The model's number within its race and gender ("200"). */
  n1: string;
  /** The photo's number ("228"). */
  n2: string;
  replicate?: string;
  expression: Expression;
  /** "AF-200". */
  model: string;
  set: CfdSet;
  /** Text after the expression code in a kept copy (" (1)", " copy", "_small"); '' for an original. */
  variant: string;
  /** Lower-case extension with the dot. */
  extension: string;
  /** The canonical original name, "CFD-AF-200-228-N.jpg". */
  canonical: string;
}

export type ParsedName = { ok: true; name: CfdName } | { ok: false; reason: string };

// Expression alternatives longest first, so "HC" is not read as a stray "H".
const NAME = /^CFD-([A-Z])([A-Z])-(\d+)-(\d+)(?:-(\d+))?-(HC|HO|N|A|F)(?=$|[^A-Z0-9])(.*)$/i;

export function setOfRace(race: Race): CfdSet {
  return race === 'M' ? 'CFD-MR' : race === 'I' ? 'CFD-INDIA' : 'CFD';
}

export function formatCfdName(p: {
  race: Race;
  gender: Gender;
  n1: string | number;
  n2: string | number;
  replicate?: string | number;
  expression: Expression;
}, extension = '.jpg'): string {
  const pad = (v: string | number) => String(v).padStart(3, '0');
  const rep = p.replicate === undefined ? '' : `-${p.replicate}`;
  return `CFD-${p.race}${p.gender}-${pad(p.n1)}-${pad(p.n2)}${rep}-${p.expression}${extension}`;
}

export function modelId(race: Race, gender: Gender, n1: string | number): string {
  return `${race}${gender}-${String(n1).padStart(3, '0')}`;
}

/** Parses a file's base name; the reason says what did not match. */
export function parseCfdName(fileName: string): ParsedName {
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot).toLowerCase() : '';
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  if (!/^CFD-/i.test(stem)) return { ok: false, reason: 'name does not start with "CFD-"' };
  const m = NAME.exec(stem);
  if (!m) {
    return {
      ok: false,
      reason: 'name is not CFD-{race}{gender}-{n1}-{n2}[-{replicate}]-{N|A|F|HC|HO}',
    };
  }
  const race = m[1].toUpperCase();
  const gender = m[2].toUpperCase();
  if (!(race in RACES)) return { ok: false, reason: `unknown race code "${m[1]}" (expected one of ${Object.keys(RACES).join(', ')})` };
  if (!(gender in GENDERS)) return { ok: false, reason: `unknown gender code "${m[2]}" (expected F or M)` };
  const expression = m[6].toUpperCase() as Expression;
  if (!EXPRESSIONS.includes(expression)) return { ok: false, reason: `unknown expression "${m[6]}"` };
  const r = race as Race;
  const g = gender as Gender;
  const name: CfdName = {
    race: r,
    gender: g,
    n1: m[3],
    n2: m[4],
    replicate: m[5],
    expression,
    model: `${r}${g}-${m[3]}`,
    set: setOfRace(r),
    variant: m[7],
    extension,
    canonical: formatCfdName({ race: r, gender: g, n1: m[3], n2: m[4], replicate: m[5], expression }),
  };
  return { ok: true, name };
}

/** Identifies one photograph: the copies of it share this key. */
export function photoKey(n: CfdName): string {
  return `${n.model}-${n.n2}${n.replicate ? `-${n.replicate}` : ''}-${n.expression}`;
}

/**
 * Orders copies of one photograph, best first: the original name over a
 * variant, .jpg (as CFD ships) over other formats, exact case over changed.
 */
export function preferenceRank(fileName: string, n: CfdName): number[] {
  const extensionRank = ['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp', '.bmp'].indexOf(n.extension);
  return [
    n.variant === '' ? 0 : 1,
    extensionRank < 0 ? 99 : extensionRank,
    fileName === n.canonical ? 0 : 1,
    fileName.length,
  ];
}

/** Orders two ranks from preferenceRank (negative: a is preferred). */
export function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
