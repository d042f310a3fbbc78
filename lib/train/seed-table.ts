// The per-seed table a reviewer reads beside "around 65%": each seed's
// figures, the two naive baselines on the same split, and the summary row.
import type { MetricsFile } from '../run/files';
import { formatInterval, formatMeanSd } from '../util/interval';

const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : `${(100 * v).toFixed(1)}%`);

export function seedTable(m: MetricsFile): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = m.seeds.map((s) => ({
    seed: s.seed,
    status: s.status,
    accuracy: pct(s.validation?.accuracy),
    'balanced accuracy': pct(s.validation?.balancedAccuracy),
    'macro-F1': pct(s.validation?.macroF1),
    NLL: s.validation ? s.validation.nll.toFixed(3) : '',
    'majority baseline': pct(s.baselines.majorityClass.accuracy),
    'stratified baseline': pct(s.baselines.stratifiedRandom.accuracy),
    'train s': Math.round(s.seconds),
  }));
  rows.push({
    seed: 'mean (sd)',
    status: `${m.summary.accuracy.n} done`,
    accuracy: formatMeanSd(m.summary.accuracy),
    'balanced accuracy': formatMeanSd(m.summary.balancedAccuracy),
    'macro-F1': formatMeanSd(m.summary.macroF1),
    NLL: Number.isFinite(m.summary.nll.mean) ? formatMeanSd(m.summary.nll, 1, 3) : '',
    'majority baseline': formatMeanSd(m.baselineSummary.majorityAccuracy),
    'stratified baseline': formatMeanSd(m.baselineSummary.stratifiedAccuracy),
    'train s': Math.round(m.seeds.reduce((s, x) => s + x.seconds, 0)),
  });
  return rows;
}

/** The result in one paragraph, with the paper's figure and the baselines beside it. */
export function resultInWords(m: MetricsFile): string {
  const acc = m.summary.accuracy;
  const maj = m.baselineSummary.majorityAccuracy.mean;
  const margin = acc.mean - maj;
  return (
    `Validation accuracy over ${acc.n} seed${acc.n === 1 ? '' : 's'}: **${formatInterval(acc)}** ` +
    `(the paper: about 65% on the real CFD over five runs). Always answering the most frequent class scores ` +
    `**${(100 * maj).toFixed(1)}%** on the same splits, guessing with the class frequencies ` +
    `${(100 * m.baselineSummary.stratifiedAccuracy.mean).toFixed(1)}%; the network is ` +
    `${margin >= 0 ? `${(100 * margin).toFixed(1)} points above` : `${(100 * -margin).toFixed(1)} points below`} the majority baseline. ` +
    `Balanced accuracy ${formatInterval(m.summary.balancedAccuracy)}, macro-F1 ${formatInterval(m.summary.macroF1)}.`
  );
}
