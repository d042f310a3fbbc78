// What a catalogue holds, in numbers and in words: images per expression,
// models per race, which groups appear only as neutral (the CFD's confound),
// what was skipped and why. `smile-lens data` prints it; notebooks show it.
import { EXPRESSIONS, EXPRESSION_NAMES, Expression } from './expressions';
import { RACES, Race } from './cfd-names';
import { CFD_MAIN_SET } from './cfd-facts';
import type { CfdCatalog, SkippedFile, SkipKind } from './catalog';

export interface CatalogSummary {
  images: number;
  byExpression: Record<Expression, number>;
  models: number;
  modelsByRace: Partial<Record<Race, number>>;
  /** Images per race and expression. */
  byRaceExpression: Partial<Record<Race, Record<Expression, number>>>;
  /** Models with at least one non-neutral image. */
  modelsWithExpressions: number;
  /** Races present whose models all appear only as neutral. */
  neutralOnlyRaces: Race[];
  /** Share of the largest class: the accuracy of always guessing it. */
  majority: { expression: Expression; share: number };
  missingExpressions: Expression[];
  skippedByKind: Partial<Record<SkipKind, SkippedFile[]>>;
}

export function summariseCatalog(catalog: Pick<CfdCatalog, 'items' | 'skipped'>): CatalogSummary {
  const zero = () => Object.fromEntries(EXPRESSIONS.map((e) => [e, 0])) as Record<Expression, number>;
  const byExpression = zero();
  const byRaceExpression: Partial<Record<Race, Record<Expression, number>>> = {};
  const modelRace = new Map<string, Race>();
  const expressive = new Set<string>();
  for (const item of catalog.items) {
    byExpression[item.expression]++;
    (byRaceExpression[item.race] ??= zero())[item.expression]++;
    modelRace.set(item.model, item.race);
    if (item.expression !== 'N') expressive.add(item.model);
  }
  const modelsByRace: Partial<Record<Race, number>> = {};
  for (const race of modelRace.values()) modelsByRace[race] = (modelsByRace[race] ?? 0) + 1;
  const neutralOnlyRaces = (Object.keys(byRaceExpression) as Race[]).filter((r) => {
    const counts = byRaceExpression[r]!;
    return counts.N > 0 && EXPRESSIONS.every((e) => e === 'N' || counts[e] === 0);
  });
  // Only name a confound when some other group does show expressions.
  const confounded = expressive.size > 0 ? neutralOnlyRaces : [];
  const images = catalog.items.length;
  const top = EXPRESSIONS.reduce((a, b) => (byExpression[b] > byExpression[a] ? b : a));
  const skippedByKind: Partial<Record<SkipKind, SkippedFile[]>> = {};
  for (const s of catalog.skipped) (skippedByKind[s.kind] ??= []).push(s);
  return {
    images,
    byExpression,
    models: modelRace.size,
    modelsByRace,
    byRaceExpression,
    modelsWithExpressions: expressive.size,
    neutralOnlyRaces: confounded,
    majority: { expression: top, share: images ? byExpression[top] / images : 0 },
    missingExpressions: EXPRESSIONS.filter((e) => byExpression[e] === 0),
    skippedByKind,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function listFew(files: SkippedFile[], few = 3): string {
  const shown = files.slice(0, few).map((f) => `${f.file} (${f.reason})`);
  return shown.join('; ') + (files.length > few ? `; … ${files.length - few} more` : '');
}

/** The imbalance and confound in two sentences (also used by notebooks). */
export function confoundText(s: CatalogSummary): string[] {
  const lines: string[] = [];
  if (s.images > 0) {
    lines.push(
      `Imbalance: ${pct(s.majority.share)} of the images are ${EXPRESSION_NAMES[s.majority.expression]} ` +
        `(${s.byExpression[s.majority.expression]}/${s.images}); always answering "${s.majority.expression}" scores that accuracy.`,
    );
  }
  if (s.neutralOnlyRaces.length > 0) {
    const named = s.neutralOnlyRaces.map((r) => `${RACES[r]} (${r})`);
    const names = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : named[0];
    const models = s.neutralOnlyRaces.reduce((n, r) => n + (s.modelsByRace[r] ?? 0), 0);
    const neutral = s.neutralOnlyRaces.reduce((n, r) => n + (s.byRaceExpression[r]?.N ?? 0), 0);
    lines.push(
      `Confound: ${names} models appear only as neutral (${models} models, ${neutral} of the ${s.byExpression.N} neutral images); ` +
        `identity cues (skin, hair, face shape) alone predict "neutral" for them.`,
    );
  }
  return lines;
}

export function formatCatalogSummary(catalog: CfdCatalog, s = summariseCatalog(catalog)): string {
  const lines: string[] = [];
  lines.push(`Data set: ${catalog.root} (layout: ${catalog.layout})`);
  lines.push(`Images: ${s.images} from ${s.models} models (${s.modelsWithExpressions} with expressions other than neutral)`);
  lines.push('Images per expression:');
  for (const e of EXPRESSIONS) {
    const n = s.byExpression[e];
    lines.push(`  ${e.padEnd(3)} ${String(n).padStart(6)}  ${s.images ? pct(n / s.images).padStart(6) : ''}  ${EXPRESSION_NAMES[e]}${n === 0 ? '  <- no images of this class' : ''}`);
  }
  const races = Object.keys(s.byRaceExpression) as Race[];
  if (races.length) {
    lines.push('Images per race and expression:');
    lines.push(`  ${'race'.padEnd(12)} ${'models'.padStart(6)} ${EXPRESSIONS.map((e) => e.padStart(5)).join(' ')}`);
    for (const r of races.sort()) {
      const c = s.byRaceExpression[r]!;
      lines.push(`  ${`${RACES[r]} (${r})`.padEnd(12)} ${String(s.modelsByRace[r] ?? 0).padStart(6)} ${EXPRESSIONS.map((e) => String(c[e]).padStart(5)).join(' ')}`);
    }
  }
  lines.push(...confoundText(s));
  if (catalog.layout !== 'flat' && s.models > 0) {
    const f = CFD_MAIN_SET;
    lines.push(
      `For comparison, the real CFD 3.0 main set: ${f.models} models, ${f.images} five-class images ` +
        `(N ${f.imagesByExpression.N}, A ${f.imagesByExpression.A}, F ${f.imagesByExpression.F}, HC ${f.imagesByExpression.HC}, HO ${f.imagesByExpression.HO}); ` +
        `only its ${f.modelsWithExpressions} Black and White models have expressions.`,
    );
  }
  if (s.missingExpressions.length) {
    lines.push(`Warning: no images of ${s.missingExpressions.map((e) => `${e} (${EXPRESSION_NAMES[e]})`).join(', ')}; a five-class network cannot learn these classes.`);
  }
  if (catalog.norming) lines.push(`Norming data: ${catalog.norming.file} (${catalog.norming.columns.length} columns, ${catalog.norming.byModel.size} models)`);
  else if (catalog.codebook) lines.push(`Norming data: found ${catalog.codebook}; save its norming sheet as CSV beside it to include it (xlsx is not read).`);
  if (catalog.regions) lines.push(`Ground-truth regions: ${catalog.regions.regions.map((r) => r.name).join(', ')}`);
  const kinds = Object.entries(s.skippedByKind) as [string, SkippedFile[]][];
  if (kinds.length) {
    lines.push(`Skipped files: ${catalog.skipped.length}`);
    for (const [kind, files] of kinds) lines.push(`  ${kind}: ${files.length} — ${listFew(files)}`);
  } else lines.push('Skipped files: none');
  if (catalog.ignored.length) lines.push(`Other files (not images, ignored): ${catalog.ignored.length} — ${catalog.ignored.slice(0, 3).map((f) => f.file).join(', ')}${catalog.ignored.length > 3 ? ', …' : ''}`);
  for (const w of catalog.warnings.slice(0, 5)) lines.push(`Warning: ${w}`);
  if (catalog.warnings.length > 5) lines.push(`… and ${catalog.warnings.length - 5} more warnings`);
  return lines.join('\n');
}
