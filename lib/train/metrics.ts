// Classification figures a careful reviewer expects beside "around 65%":
// accuracy alone hides the class imbalance (CFD is ~49.5% neutral), so the
// balanced accuracy, macro-F1, per-class precision/recall, the confusion
// matrix and the NLL go with it, and always the two naive baselines. Over
// seeds, the bounded figures (accuracy, balanced accuracy, macro-F1, the
// baselines' accuracy) get a percentile bootstrap over seeds and validation
// images, the NLL Student's t (lib/util/interval.ts).
import { bootstrapOverSeeds, Interval, summarise, summariseNested } from '../util/interval';

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  /** Mean negative log-likelihood of the true labels (natural log). */
  nll: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

export interface Baselines {
  /** Always answering the training split's most frequent class. */
  majorityClass: { classIndex: number; accuracy: number; balancedAccuracy: number; macroF1: number };
  /** Guessing at random with the training split's class frequencies (expected values). */
  stratifiedRandom: { accuracy: number; balancedAccuracy: number; macroF1: number };
}

export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, classes: number): number[][] {
  if (labels.length !== predictions.length) {
    throw new Error(`confusionMatrix: ${labels.length} labels but ${predictions.length} predictions`);
  }
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predictions[i]]++;
  return m;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Per-class and summary figures from a confusion matrix (classes with no support count as recall 0 in no average: they are left out of balanced accuracy and macro averages). */
export function metricsFromConfusion(confusion: number[][], nll = NaN): ClassificationMetrics {
  const k = confusion.length;
  const support = confusion.map((row) => row.reduce((s, v) => s + v, 0));
  const predicted = confusion[0].map((_, j) => confusion.reduce((s, row) => s + row[j], 0));
  const n = support.reduce((s, v) => s + v, 0);
  const correct = confusion.reduce((s, row, i) => s + row[i], 0);
  const precision = confusion.map((row, i) => ratio(row[i], predicted[i]));
  const recall = confusion.map((row, i) => ratio(row[i], support[i]));
  const f1 = precision.map((p, i) => ratio(2 * p * recall[i], p + recall[i]));
  const present = [...Array(k).keys()].filter((i) => support[i] > 0);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : 0);
  return {
    n,
    accuracy: ratio(correct, n),
    balancedAccuracy: mean(present.map((i) => recall[i])),
    macroF1: mean(present.map((i) => f1[i])),
    nll,
    precision,
    recall,
    f1,
    support,
    confusion,
  };
}

/**
 * Figures from class scores (N×K, row-major, pre-softmax) and labels: the
 * predictions are the arg-max, the NLL uses a numerically stable log-softmax.
 */
export function classificationMetrics(scores: Float32Array, labels: ArrayLike<number>, classes: number): ClassificationMetrics {
  const n = labels.length;
  if (scores.length !== n * classes) throw new Error(`classificationMetrics: ${scores.length} scores for ${n} labels × ${classes} classes`);
  const predictions = new Int32Array(n);
  let nll = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = scores[i * classes + c];
      if (v > max) {
        max = v;
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(scores[i * classes + c] - max);
    nll -= scores[i * classes + labels[i]] - max - Math.log(sum);
    predictions[i] = best;
  }
  return metricsFromConfusion(confusionMatrix(labels, predictions, classes), n ? nll / n : NaN);
}

/** The naive baselines on an evaluation split, given the training split's class counts. */
export function baselines(trainCounts: number[], evalCounts: number[]): Baselines {
  const k = trainCounts.length;
  const nTrain = trainCounts.reduce((s, v) => s + v, 0);
  const nEval = evalCounts.reduce((s, v) => s + v, 0);
  const majority = trainCounts.indexOf(Math.max(...trainCounts));
  const majorityConfusion = evalCounts.map((count, i) => {
    const row = new Array<number>(k).fill(0);
    row[majority] = count;
    return row;
  });
  const maj = metricsFromConfusion(majorityConfusion);
  // Stratified guessing: P(predict j) = p_j independent of the truth, so the
  // expected confusion is count_i · p_j.
  const p = trainCounts.map((c) => ratio(c, nTrain));
  const expected = evalCounts.map((count) => p.map((pj) => count * pj));
  const strat = metricsFromConfusion(expected);
  return {
    majorityClass: { classIndex: majority, accuracy: maj.accuracy, balancedAccuracy: maj.balancedAccuracy, macroF1: maj.macroF1 },
    stratifiedRandom: {
      accuracy: nEval ? strat.accuracy : 0,
      balancedAccuracy: strat.balancedAccuracy,
      macroF1: strat.macroF1,
    },
  };
}

/** The (true, predicted) class of every image a confusion matrix counts, in row order. */
export function confusionPairs(confusion: number[][]): [number, number][] {
  const pairs: [number, number][] = [];
  confusion.forEach((row, t) => row.forEach((count, p) => {
    for (let i = 0; i < count; i++) pairs.push([t, p]);
  }));
  return pairs;
}

function confusionOf(pairs: readonly (readonly [number, number])[], classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (const [t, p] of pairs) m[t][p]++;
  return m;
}

export type SeedSummary = Record<'accuracy' | 'balancedAccuracy' | 'macroF1' | 'nll', Interval>;

/**
 * Mean over seeds of each seed's validation figures, with 95% intervals: the
 * bounded ones by a bootstrap over seeds and images (each image's true and
 * predicted class are in the confusion matrix), the NLL by Student's t.
 */
export function summariseSeeds(validations: readonly ClassificationMetrics[]): SeedSummary {
  const pairs = validations.map((m) => confusionPairs(m.confusion));
  const classes = validations[0]?.confusion.length ?? 0;
  const stat = (f: (m: ClassificationMetrics) => number) => (items: readonly [number, number][]) => f(metricsFromConfusion(confusionOf(items, classes)));
  return {
    accuracy: summariseNested(pairs.map((ps) => ps.map(([t, p]) => (t === p ? 1 : 0)))),
    balancedAccuracy: bootstrapOverSeeds(pairs, stat((m) => m.balancedAccuracy)),
    macroF1: bootstrapOverSeeds(pairs, stat((m) => m.macroF1)),
    nll: summarise(validations.map((m) => m.nll)),
  };
}

/**
 * The baselines' accuracy over seeds, as the same bootstrap: per validation
 * image, the majority answer is right (1) or not (0), and stratified guessing
 * is right with the training frequency of the image's class.
 */
export function summariseBaselines(splits: readonly { trainCounts: number[]; validationCounts: number[] }[]): Record<'majorityAccuracy' | 'stratifiedAccuracy', Interval> {
  const perImage = (counts: number[], value: (c: number) => number) => counts.flatMap((count, c) => new Array<number>(count).fill(value(c)));
  const majority = splits.map(({ trainCounts, validationCounts }) => {
    const m = trainCounts.indexOf(Math.max(...trainCounts));
    return perImage(validationCounts, (c) => (c === m ? 1 : 0));
  });
  const stratified = splits.map(({ trainCounts, validationCounts }) => {
    const n = trainCounts.reduce((s, v) => s + v, 0);
    return perImage(validationCounts, (c) => ratio(trainCounts[c], n));
  });
  return { majorityAccuracy: summariseNested(majority), stratifiedAccuracy: summariseNested(stratified) };
}
