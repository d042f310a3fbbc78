// The audit's faithfulness check: the deletion and insertion games
// (lib/audit/deletion-insertion.ts) of every map of a photo, under every fill
// (lib/audit/fills.ts), as records; and what they say about each method, in
// words beside its region shares: a method whose map is no better than
// random pixels fails, and the shares it reports are not evidence about the
// network.
//
// Record names (the `metric` field; `fill` and `fraction` repeat what the
// name says, for filtering the CSV), per map:
//   faithfulness/originalScore                the explained score of the photo
//   fill/<fill>/score                         …of the fill image itself
//   <game>/<fill>/attributed@<f>              score with the top f of the pixels deleted (inserted)
//   <game>/<fill>/random@<f>                  the same for random pixels (mean over the draws)
//   <game>/<fill>/auc, <game>/<fill>/randomAuc  normalised areas under the two curves
//   <game>/<fill>/gap                         how far the map beats random (> 0 better)
//   <game>/all/gap                            the mean gap over the fills
// with <game> deletion or insertion. All are scores in the explained target's
// units (logits or log-probabilities): unbounded, Student's t intervals.
import type { AggregateRow, AuditRecord } from '../audit/aggregate';
import { findRow } from '../audit/aggregate';
import { GAMES, Game, GamesResult } from '../audit/deletion-insertion';
import { FILLS, fillText, FillKind } from '../audit/fills';
import type { AuditConfig } from '../config/audit';
import { methodLabel } from '../explain/registry';
import { formatNumber, hasInterval, Interval, MIN_SEEDS_FOR_INTERVAL, TOO_FEW_SEEDS } from '../util/interval';

/** The pseudo-fill of the mean over every fill. */
export const ALL_FILLS = 'all';

const PREFIXES = [...GAMES, 'faithfulness', 'fill'].map((p) => `${p}/`);

/** Whether a metric belongs to the faithfulness check (all unbounded scores). */
export function isFaithfulnessMetric(metric: string): boolean {
  return PREFIXES.some((p) => metric.startsWith(p));
}

/** The gap metric of a game under a fill (or ALL_FILLS). */
export function gapMetric(game: Game, fill: string): string {
  return `${game}/${fill}/gap`;
}

type PhotoKey = Pick<AuditRecord, 'image' | 'class' | 'seed'>;

/** The records of every map of one photo; `methods[m]` made `result.maps[m]`. */
export function faithfulnessRecords(key: PhotoKey, methods: readonly string[], result: GamesResult): AuditRecord[] {
  if (methods.length !== result.maps.length) throw new Error(`faithfulness: ${methods.length} methods for ${result.maps.length} maps`);
  const out: AuditRecord[] = [];
  methods.forEach((method, m) => {
    const push = (metric: string, value: number, extra: Partial<AuditRecord> = {}) => out.push({ ...key, method, metric, value, ...extra });
    push('faithfulness/originalScore', result.original);
    const gaps: Record<Game, number[]> = { deletion: [], insertion: [] };
    for (const f of result.maps[m]) {
      push(`fill/${f.fill}/score`, f.fillScore, { fill: f.fill });
      for (const game of GAMES) {
        const g = f[game];
        for (const p of g.attributed) push(`${game}/${f.fill}/attributed@${p.fraction}`, p.score, { fill: f.fill, fraction: p.fraction });
        for (const p of g.random) push(`${game}/${f.fill}/random@${p.fraction}`, p.score, { fill: f.fill, fraction: p.fraction });
        push(`${game}/${f.fill}/auc`, g.auc.attributed, { fill: f.fill });
        push(`${game}/${f.fill}/randomAuc`, g.auc.random, { fill: f.fill });
        push(gapMetric(game, f.fill), g.gap, { fill: f.fill });
        gaps[game].push(g.gap);
      }
    }
    for (const game of GAMES) push(gapMetric(game, ALL_FILLS), gaps[game].reduce((s, v) => s + v, 0) / gaps[game].length, { fill: ALL_FILLS });
  });
  return out;
}

/** The unit of the scores of maps explaining these targets (ExplanationSidecar.target). */
export function targetUnit(targets: readonly string[] | undefined): string {
  const kinds = [...new Set(targets ?? ['logit'])];
  return kinds.length !== 1 ? 'score' : kinds[0] === 'log-prob' ? 'log-probability' : 'logit';
}

export type Verdict = 'passes' | 'fails' | 'unclear';

/**
 * Does a gap beat random pixels? 'fails' when its mean over seeds is ≤ 0 (no
 * better than random); 'passes' when its 95% interval lies above 0 (below
 * three seeds, when every seed's mean is above 0); else 'unclear'.
 */
export function gapVerdict(row: Pick<AggregateRow, 'summary' | 'perSeed'>): Verdict {
  const s = row.summary;
  if (!(s.n > 0) || !Number.isFinite(s.mean)) return 'unclear';
  if (s.mean <= 0) return 'fails';
  if (s.n >= MIN_SEEDS_FOR_INTERVAL) return hasInterval(s) && s.ci95[0] > 0 ? 'passes' : 'unclear';
  return row.perSeed.every((p) => p.mean > 0) ? 'passes' : 'unclear';
}

export interface GapFinding {
  method: string;
  game: Game;
  /** A fill, or ALL_FILLS. */
  fill: string;
  gap: Interval;
  verdict: Verdict;
}

/** The fills present in the aggregates, in FILLS order. */
export function auditedFills(rows: readonly AggregateRow[]): FillKind[] {
  return FILLS.filter((f) => rows.some((r) => r.metric === gapMetric('deletion', f)));
}

/** Every method × game × fill (and the mean over fills) with its verdict, overall (all expressions). */
export function faithfulnessFindings(rows: readonly AggregateRow[], methods: readonly string[]): GapFinding[] {
  const out: GapFinding[] = [];
  for (const method of methods) {
    for (const game of GAMES) {
      for (const fill of [...auditedFills(rows), ALL_FILLS]) {
        const row = findRow(rows, method, gapMetric(game, fill));
        if (row) out.push({ method, game, fill, gap: row.summary, verdict: gapVerdict(row) });
      }
    }
  }
  return out;
}

const fillName = (fill: string) => (fill === ALL_FILLS ? 'the mean over fills' : fill === 'mean-colour' ? 'mean colour' : fill);

function gapText(gap: Interval, unit: string): string {
  const sign = (v: number) => (v > 0 ? '+' : '') + v.toFixed(2);
  if (hasInterval(gap)) return `gap ${sign(gap.mean)} ${unit}, 95% CI ${sign(gap.ci95[0])} to ${sign(gap.ci95[1])}`;
  return `gap ${sign(gap.mean)} ${unit}; ${TOO_FEW_SEEDS}`;
}

/**
 * What the games say about one method, in one sentence per game: under which
 * fills it beats random pixels, and — in bold — under which it does not.
 * `unit` is the explained target's (logit or log-probability).
 */
export function faithfulnessInWords(rows: readonly AggregateRow[], method: string, unit = 'logit'): string {
  const findings = faithfulnessFindings(rows, [method]).filter((f) => f.fill !== ALL_FILLS);
  if (!findings.length) return '';
  const say = (fs: GapFinding[]) => fs.map((f) => `${fillName(f.fill)} (${gapText(f.gap, unit)})`).join(', ');
  const parts = GAMES.map((game) => {
    const of = findings.filter((f) => f.game === game);
    const [failed, unclear, passed] = (['fails', 'unclear', 'passes'] as const).map((v) => of.filter((f) => f.verdict === v));
    const random = `${game === 'deletion' ? 'deleting' : 'inserting'} random pixels`;
    if (passed.length === of.length) return `passes the ${game} check with every fill, better than ${random}: ${say(passed)}`;
    const bits: string[] = [];
    if (failed.length) bits.push(`**fails the ${game} check — no better than ${random} — with the fill${failed.length > 1 ? 's' : ''} ${say(failed)}**`);
    if (unclear.length) bits.push(`is not clearly better than ${random} with ${say(unclear)}`);
    if (passed.length) bits.push(`is better than random with ${say(passed)}`);
    return bits.join('; ');
  });
  return `${methodLabel(method)} ${parts.join('. It ')}.`;
}

/** One line per method × game × fill: the two areas, the gap and the verdict. */
export function faithfulnessTable(rows: readonly AggregateRow[], methods: readonly string[]): Record<string, string>[] {
  return faithfulnessFindings(rows, methods).map((f) => ({
    method: methodLabel(f.method),
    check: f.game,
    fill: fillName(f.fill),
    'AUC, most attributed first': f.fill === ALL_FILLS ? '' : formatNumber(findRow(rows, f.method, `${f.game}/${f.fill}/auc`)?.summary),
    'AUC, random pixels': f.fill === ALL_FILLS ? '' : formatNumber(findRow(rows, f.method, `${f.game}/${f.fill}/randomAuc`)?.summary),
    'gap (> 0: better than random)': formatNumber(f.gap),
    verdict: f.verdict === 'passes' ? 'better than random' : f.verdict === 'fails' ? 'NO better than random' : 'unclear',
  }));
}

/** The summary CSV's rows with a `verdict` column on every gap row. */
export function withVerdicts(table: Record<string, string | number>[], rows: readonly AggregateRow[]): Record<string, string | number>[] {
  return table.map((line, i) => {
    const row = rows[i];
    return { ...line, verdict: row.metric.endsWith('/gap') && isFaithfulnessMetric(row.metric) ? gapVerdict(row) : '' };
  });
}

/** How the check was run, in words (named definition, fills, fractions, control). */
export function faithfulnessMethodText(options: Pick<AuditConfig, 'fills' | 'fractions' | 'randomDraws' | 'blurSigmaFraction'>, size?: number): string {
  const fills = options.fills.map((f) => fillText(f, options.blurSigmaFraction, size)).join('; ');
  const fractions = options.fractions.map((f) => `${+(100 * f).toFixed(1)}%`).join(', ');
  return (
    `Faithfulness: the deletion and insertion games of Petsiuk et al. (2018, RISE §4.1) on the score the map explains, ` +
    `at ${fractions} of the pixels (normalised area over [0, ${fractions.split(', ').pop()}]), each against the same game with random pixel orders ` +
    `(${options.randomDraws} draw${options.randomDraws === 1 ? '' : 's'} per fill); the gap is how far the map beats random (> 0 better). ` +
    `Pixels are replaced by each of these fills in turn: ${fills}.`
  );
}
