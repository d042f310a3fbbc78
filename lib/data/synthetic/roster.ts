// Who is in the synthetic set and which photographs each model has, mirroring
// the CFD main set: 597 models (109 Asian, 197 Black, 108 Latino, 183 White),
// all photographed neutral; 158 of them also angry, fearful and happy, with a
// few photos missing as in the CFD (A 154, F 149, HC 153, HO 154).
//
// With the confound on (the CFD's structure) only Black and White models have
// expressions, so Asian and Latino models, who differ in skin and hair, appear
// only as neutral. With it off, the models with expressions are drawn from all
// races in proportion, and identity says nothing about the expression.
import { EXPRESSIONS, Expression } from '../expressions';
import { createRandom, mixSeed } from '../../util/random';
import { CFD_MAIN_SET } from '../cfd-facts';
import { Gender, modelId, Race } from '../cfd-names';
import { apportion } from '../splits';

export interface ModelPlan {
  /** Position in the roster; seeds the model's random streams. */
  index: number;
  model: string;
  race: Race;
  gender: Gender;
  n1: number;
  expressions: Expression[];
  /** Photo number n2 per expression (distinct within the model). */
  photos: Partial<Record<Expression, number>>;
}

export interface RosterOptions {
  seed: number;
  subjects: number;
  /** Models with expressions; default: the CFD's share (158/597) of subjects. */
  expressiveSubjects?: number;
  confound: boolean;
}

const RACE_ORDER: Race[] = ['A', 'B', 'L', 'W'];
/** Photos the CFD lacks among its 158 models with expressions. */
const MISSING: Partial<Record<Expression, number>> = { A: 4, F: 9, HC: 5, HO: 4 };

export function defaultExpressiveSubjects(subjects: number): number {
  return Math.round((subjects * CFD_MAIN_SET.modelsWithExpressions) / CFD_MAIN_SET.models);
}

export function planRoster(options: RosterOptions): ModelPlan[] {
  const { seed, subjects, confound } = options;
  if (!Number.isInteger(subjects) || subjects < 1) throw new Error(`synthetic set: subjects must be a positive integer, got ${subjects}`);
  const random = createRandom(mixSeed(seed, 0));
  const raceCounts = apportion(subjects, RACE_ORDER.map((r) => CFD_MAIN_SET.modelsByRace[r]!));
  const races: Race[] = RACE_ORDER.flatMap((r, k) => Array<Race>(raceCounts[k]).fill(r));
  // Genders alternate within each race (shuffled), about half and half.
  const genders: Gender[] = [];
  for (const count of raceCounts) {
    genders.push(...random.shuffle(Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 'F' : 'M') as Gender)));
  }
  const eligible = races.map((_, i) => i).filter((i) => !confound || races[i] === 'B' || races[i] === 'W');
  const wanted = options.expressiveSubjects ?? defaultExpressiveSubjects(subjects);
  if (!Number.isInteger(wanted) || wanted < 0) throw new Error(`synthetic set: expressive subjects must be a non-negative integer, got ${wanted}`);
  if (wanted > eligible.length) {
    throw new Error(`synthetic set: ${wanted} models with expressions requested, but only ${eligible.length} of ${subjects} models can have them${confound ? ' (with the confound on, only Black and White models)' : ''}`);
  }
  const expressive = new Set(random.shuffle([...eligible]).slice(0, wanted));
  // The CFD's missing photos, scaled to this many expressive models.
  const lacking = new Map<number, Set<Expression>>();
  const expressiveList = [...expressive].sort((a, b) => a - b);
  for (const [e, missing] of Object.entries(MISSING) as [Expression, number][]) {
    const n = Math.round((wanted * missing) / CFD_MAIN_SET.modelsWithExpressions);
    for (const i of random.shuffle([...expressiveList]).slice(0, n)) lacking.set(i, new Set([...(lacking.get(i) ?? []), e]));
  }
  const numbers = new Map<string, number>();
  return races.map((race, index) => {
    const gender = genders[index];
    const group = `${race}${gender}`;
    const n1 = (numbers.get(group) ?? 0) + 1;
    numbers.set(group, n1);
    const expressions = expressive.has(index) ? EXPRESSIONS.filter((e) => !lacking.get(index)?.has(e)) : (['N'] as Expression[]);
    const photoNumbers = random.shuffle(Array.from({ length: 250 }, (_, i) => i + 1)).slice(0, EXPRESSIONS.length);
    const photos: Partial<Record<Expression, number>> = {};
    EXPRESSIONS.forEach((e, k) => {
      if (expressions.includes(e)) photos[e] = photoNumbers[k];
    });
    return { index, model: modelId(race, gender, n1), race, gender, n1, expressions, photos };
  });
}
