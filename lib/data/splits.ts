// Subject-disjoint splits: all photographs of one model (subject) land in the
// same split, so a network cannot score by recognising a face it trained on.
// Stratified: models are grouped by which expressions they have (in the CFD:
// neutral only, or all five, or four) and by race, and each group is divided
// in the requested proportions, so every split gets its share of each class.
import { createRandom } from '../util/random';

export interface SplitItem {
  model: string;
  expression: string;
  race?: string;
}

export interface SplitFractions {
  train: number;
  validation: number;
  /** Default: what train and validation leave (0 when they sum to 1). */
  test?: number;
}

export interface SubjectSplit {
  /** Indices into the items, ascending. */
  train: number[];
  validation: number[];
  test: number[];
}

export interface Fold {
  train: number[];
  validation: number[];
}

export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.8, validation: 0.2 };

interface Subject {
  model: string;
  stratum: string;
  indices: number[];
}

/** Models with their image indices and stratum, in a fixed (sorted) order. */
function subjectsOf(items: readonly SplitItem[]): Subject[] {
  const byModel = new Map<string, { expressions: Set<string>; race: string; indices: number[] }>();
  items.forEach((item, i) => {
    const s = byModel.get(item.model) ?? { expressions: new Set(), race: item.race ?? '', indices: [] };
    s.expressions.add(item.expression);
    s.indices.push(i);
    byModel.set(item.model, s);
  });
  return [...byModel.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([model, s]) => ({ model, stratum: `${[...s.expressions].sort().join('+')}|${s.race}`, indices: s.indices }));
}

function strata(subjects: Subject[]): Subject[][] {
  const groups = new Map<string, Subject[]>();
  for (const s of subjects) groups.set(s.stratum, [...(groups.get(s.stratum) ?? []), s]);
  return [...groups.keys()].sort().map((k) => groups.get(k)!);
}

/** Splits n things into parts proportional to weights, rounding by largest remainder. */
export function apportion(n: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (n * w) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const left = n - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) counts[order[k][1]]++;
  return counts;
}

function checkFractions(f: SplitFractions): [number, number, number] {
  const test = f.test ?? Math.max(0, 1 - f.train - f.validation);
  const parts: [number, number, number] = [f.train, f.validation, test];
  if (parts.some((p) => !(p >= 0)) || Math.abs(parts[0] + parts[1] + parts[2] - 1) > 1e-6) {
    throw new Error(`split fractions must be ≥ 0 and sum to 1, got train ${f.train}, validation ${f.validation}, test ${test}`);
  }
  return parts;
}

export function splitBySubject(
  items: readonly SplitItem[],
  options: { seed: number; fractions?: SplitFractions },
): SubjectSplit {
  const weights = checkFractions(options.fractions ?? DEFAULT_FRACTIONS);
  const random = createRandom(options.seed);
  const out: SubjectSplit = { train: [], validation: [], test: [] };
  const names = ['train', 'validation', 'test'] as const;
  // Rounding each small stratum separately would favour one split every time;
  // carrying the rounding error over from stratum to stratum keeps totals close.
  const carried = [0, 0, 0];
  for (const group of strata(subjectsOf(items))) {
    random.shuffle(group);
    const want = weights.map((w, k) => group.length * w + carried[k]);
    const counts = apportion(group.length, want.map((w) => Math.max(0, w)));
    counts.forEach((c, k) => (carried[k] = want[k] - c));
    let at = 0;
    counts.forEach((c, k) => {
      for (const s of group.slice(at, at + c)) out[names[k]].push(...s.indices);
      at += c;
    });
  }
  for (const k of names) out[k].sort((a, b) => a - b);
  return out;
}

/** k folds; every model is in exactly one fold's validation part. */
export function kFoldBySubject(items: readonly SplitItem[], k: number, seed: number): Fold[] {
  const subjects = subjectsOf(items);
  if (!Number.isInteger(k) || k < 2) throw new Error(`k-fold needs an integer k ≥ 2, got ${k}`);
  if (k > subjects.length) throw new Error(`k-fold with k = ${k} needs at least ${k} models, the data has ${subjects.length}`);
  const random = createRandom(seed);
  const foldOf = new Map<string, number>();
  // Deal each shuffled stratum round-robin, continuing where the last stopped,
  // so folds differ by at most one model overall and per stratum.
  let dealer = 0;
  for (const group of strata(subjects)) {
    random.shuffle(group);
    for (const s of group) foldOf.set(s.model, dealer++ % k);
  }
  return Array.from({ length: k }, (_, f) => {
    const fold: Fold = { train: [], validation: [] };
    items.forEach((item, i) => (foldOf.get(item.model) === f ? fold.validation : fold.train).push(i));
    return fold;
  });
}

/** Models found in more than one of the given index lists (should be none). */
export function sharedModels(items: readonly SplitItem[], ...parts: number[][]): string[] {
  const owner = new Map<string, number>();
  const shared = new Set<string>();
  parts.forEach((part, p) => {
    for (const i of part) {
      const m = items[i].model;
      const o = owner.get(m);
      if (o !== undefined && o !== p) shared.add(m);
      owner.set(m, p);
    }
  });
  return [...shared].sort();
}

/** Images per split and expression, for tables. */
export function splitCounts<S extends { [K in keyof S]: number[] }>(items: readonly SplitItem[], split: S, expressions: readonly string[]): Record<keyof S & string, Record<string, number>> {
  const out = {} as Record<keyof S & string, Record<string, number>>;
  for (const [name, indices] of Object.entries(split) as [keyof S & string, number[]][]) {
    const row: Record<string, number> = Object.fromEntries(expressions.map((e) => [e, 0]));
    for (const i of indices) row[items[i].expression] = (row[items[i].expression] ?? 0) + 1;
    row.total = indices.length;
    row.models = new Set(indices.map((i) => items[i].model)).size;
    out[name] = row;
  }
  return out;
}
