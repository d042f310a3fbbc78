// The audit's aggregates as tables a reader compares: region shares next to
// the region's area, the face metrics next to chance (the faithfulness check
// next to its random control is audit-faithfulness.ts's). Shared by the
// notebook and the HTML report.
import { ALL_CLASSES, AggregateRow, findRow, meanOf } from '../audit/aggregate';
import { formatPercent, hasInterval, intervalMethodText, MIN_SEEDS_FOR_INTERVAL, TOO_FEW_SEEDS } from '../util/interval';
import { explainerNames, methodLabel } from '../explain/registry';
import { EXPRESSIONS } from '../data/expressions';
import { UNLABELLED_NAME } from '../data/regions';
import { faithfulnessInWords } from './audit-faithfulness';

/**
 * Which interval the aggregates' numbers carry, in one sentence: per method
 * of computing it, the metrics (their names before the "/") it was used for.
 */
export function intervalNote(rows: readonly AggregateRow[]): string {
  const seeds = Math.max(0, ...rows.map((r) => r.seeds));
  if (seeds < MIN_SEEDS_FOR_INTERVAL) return `Means over ${seeds} seed${seeds === 1 ? '' : 's'}: ${TOO_FEW_SEEDS} (it takes at least ${MIN_SEEDS_FOR_INTERVAL}).`;
  const byMethod = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!hasInterval(r.summary)) continue;
    const text = intervalMethodText(r.summary);
    if (!byMethod.has(text)) byMethod.set(text, new Set());
    byMethod.get(text)!.add(r.metric.split(/[/@]/)[0]);
  }
  const parts = [...byMethod].map(([text, metrics]) => `${text} for ${[...metrics].join(', ')}`);
  return `95% intervals over ${seeds} seeds: ${parts.join('; ')}.`;
}

/** Methods and regions present in the aggregates, in a fixed reading order. */
export function auditAxes(rows: readonly AggregateRow[]): { methods: string[]; regions: string[] } {
  const known = explainerNames();
  const methods = [...new Set(rows.map((r) => r.method))].sort((a, b) => known.indexOf(a) - known.indexOf(b));
  const order = ['face', 'hair', 'background', 'shirt', 'neck and ears', UNLABELLED_NAME, 'mouth', 'eyes', 'brows'];
  const regions = [...new Set(rows.filter((r) => r.metric.startsWith('area/')).map((r) => r.metric.slice(5)))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return { methods, regions };
}

/** One line per method × region: the region's area, its positive and absolute share, and absolute share ÷ area. */
export function regionShareTable(rows: readonly AggregateRow[], cls: string = ALL_CLASSES): Record<string, string>[] {
  const { methods, regions } = auditAxes(rows);
  const out: Record<string, string>[] = [];
  for (const m of methods) {
    for (const region of regions) {
      const area = findRow(rows, m, `area/${region}`, cls)?.summary;
      const abs = findRow(rows, m, `absoluteShare/${region}`, cls)?.summary;
      const ratio = area && abs && area.mean > 0 ? abs.mean / area.mean : NaN;
      out.push({
        method: methodLabel(m),
        region,
        'area share': formatPercent(area),
        'positive share': formatPercent(findRow(rows, m, `positiveShare/${region}`, cls)?.summary),
        'absolute share': formatPercent(abs),
        'absolute ÷ area': Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a',
      });
    }
  }
  return out;
}

/** The face metrics per method; chance is the face's area share (what a uniform map scores on RMA, RRA and the pointing game). */
export function faceMetricTable(rows: readonly AggregateRow[]): Record<string, string>[] {
  const { methods } = auditAxes(rows);
  return methods.map((m) => ({
    method: methodLabel(m),
    'relevance mass accuracy': formatPercent(findRow(rows, m, 'rma/face')?.summary),
    'relevance rank accuracy': formatPercent(findRow(rows, m, 'rra/face')?.summary),
    'pointing game': formatPercent(findRow(rows, m, 'pointingGame/face')?.summary),
    'chance (face area)': formatPercent(findRow(rows, m, 'area/face')?.summary),
  }));
}

/** Absolute share of one region per expression (rows) and method (columns). */
export function expressionShareTable(rows: readonly AggregateRow[], region: string): Record<string, string>[] {
  const { methods } = auditAxes(rows);
  return [...EXPRESSIONS, ALL_CLASSES].map((cls) => {
    const line: Record<string, string> = { expression: cls };
    for (const m of methods) line[methodLabel(m)] = formatPercent(findRow(rows, m, `absoluteShare/${region}`, cls)?.summary);
    line['area share'] = formatPercent(findRow(rows, methods[0], `area/${region}`, cls)?.summary);
    return line;
  });
}

/**
 * One paragraph per method: face, hair and background shares against their
 * areas and, beside them, whether its maps beat random pixels in the
 * faithfulness check (a method that does not is said to fail, in bold).
 * `unit`: the explained target's (logit or log-probability).
 */
export function auditInWords(rows: readonly AggregateRow[], unit = 'logit'): string {
  const { methods } = auditAxes(rows);
  const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');
  return methods
    .map((m) => {
      const part = (region: string) => `${region} ${pct(meanOf(rows, m, `absoluteShare/${region}`))} (area ${pct(meanOf(rows, m, `area/${region}`))})`;
      const seeds = findRow(rows, m, 'absoluteShare/face')?.seeds ?? 0;
      const shares = `**${methodLabel(m)}** (absolute attribution, mean over ${seeds} seed${seeds === 1 ? '' : 's'}): ${['face', 'hair', 'background'].map(part).join(', ')}.`;
      const faithful = faithfulnessInWords(rows, m, unit);
      return faithful ? `${shares} ${faithful}` : shares;
    })
    .join('\n\n');
}
