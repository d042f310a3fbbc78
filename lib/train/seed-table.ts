// The per-seed table a reviewer reads beside "around 65%": each seed's
// figures, the two naive baselines on the same split, and the summary row.
import type { MetricsFile } from '../run/files';
import { confusionPairs } from './metrics';
import { formatInterval, formatMeanSd, hasInterval, MIN_SEEDS_FOR_INTERVAL, summariseNested, TOO_FEW_SEEDS } from '../util/interval';
import { EXPRESSIONS } from '../data/expressions';

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

export interface MajorityVerdict {
  /** 'yes': above the majority-class baseline beyond doubt; 'no': not above it at all; 'unclear': in between. */
  beats: 'yes' | 'no' | 'unclear';
  /** Accuracy − majority-class accuracy, mean over seeds, with its interval when there are enough seeds. */
  margin: ReturnType<typeof summariseNested>;
  /** One sentence for the first line of a run's summary. */
  sentence: string;
}

/**
 * Does the run beat always answering the training split's most frequent
 * class? Per validation image, (network right) − (majority answer right) is
 * −1, 0 or 1; its mean over images and seeds is the accuracy margin, with a
 * bootstrap interval over seeds and images (lib/util/interval.ts). 'yes' when
 * the interval lies above 0 (below three seeds: when every seed is above),
 * 'no' when the mean margin is ≤ 0, else 'unclear'.
 */
export function majorityVerdict(m: MetricsFile): MajorityVerdict {
  const ok = m.seeds.filter((s) => s.validation);
  const perSeed = ok.map((s) => {
    const majority = s.baselines.majorityClass.classIndex;
    return confusionPairs(s.validation!.confusion).map(([t, p]) => (t === p ? 1 : 0) - (t === majority ? 1 : 0));
  });
  const margin = summariseNested(perSeed);
  const pts = (v: number) => `${(100 * Math.abs(v)).toFixed(1)} points`;
  const acc = `${(100 * m.summary.accuracy.mean).toFixed(1)}%`;
  const classes = [...new Set(ok.map((s) => m.classes[s.baselines.majorityClass.classIndex] ?? EXPRESSIONS[s.baselines.majorityClass.classIndex]))].join('/');
  const maj = `${(100 * m.baselineSummary.majorityAccuracy.mean).toFixed(1)}% for always answering ${classes}`;
  const seedsAbove = perSeed.filter((xs) => xs.reduce((a, b) => a + b, 0) > 0).length;
  const interval = hasInterval(margin) ? ` (95% CI of the margin ${(100 * margin.ci95[0]).toFixed(1)} to ${(100 * margin.ci95[1]).toFixed(1)} points)` : '';
  if (!(margin.n > 0)) return { beats: 'unclear', margin, sentence: 'No finished seed: nothing to compare with the majority-class baseline.' };
  if (margin.mean <= 0) {
    return { beats: 'no', margin, sentence: `This run does not beat the majority-class baseline: validation accuracy ${acc} against ${maj} (${pts(margin.mean)} ${margin.mean < 0 ? 'below' : 'above'} it)${interval}.` };
  }
  const enough = margin.n >= MIN_SEEDS_FOR_INTERVAL;
  if (enough ? margin.ci95[0] > 0 : seedsAbove === margin.n) {
    const how = enough ? interval : `, in each of its ${margin.n} seed${margin.n === 1 ? '' : 's'} (${TOO_FEW_SEEDS})`;
    return { beats: 'yes', margin, sentence: `This run beats the majority-class baseline by ${pts(margin.mean)}: validation accuracy ${acc} against ${maj}${how}.` };
  }
  const why = enough ? interval : ` (${seedsAbove} of ${margin.n} seeds above it; ${TOO_FEW_SEEDS})`;
  return { beats: 'unclear', margin, sentence: `This run is not clearly above the majority-class baseline: validation accuracy ${acc} against ${maj}, ${pts(margin.mean)} above it${why}.` };
}

/** A run's headline for a console: whether it beats the majority baseline first, then accuracy with balanced accuracy and macro-F1 beside it. */
export function metricsHeadline(m: MetricsFile): string[] {
  return [
    majorityVerdict(m).sentence,
    `validation accuracy ${formatInterval(m.summary.accuracy)}; balanced accuracy ${formatInterval(m.summary.balancedAccuracy)}; macro-F1 ${formatInterval(m.summary.macroF1)}`,
  ];
}

/** The result in one paragraph, with the paper's figure and the baselines beside it; a run that does not clearly beat the majority baseline says so first. */
export function resultInWords(m: MetricsFile): string {
  const verdict = majorityVerdict(m);
  return (verdict.beats === 'yes' ? '' : `**${verdict.sentence}** `) + resultParagraph(m);
}

function resultParagraph(m: MetricsFile): string {
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
