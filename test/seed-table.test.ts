// A run's headline: the accuracy read against the majority-class baseline.
import * as assert from 'assert';
import type { MetricsFile } from '../lib/run/files';
import { metricsFromConfusion } from '../lib/train/metrics';
import { summariseBaselines, summariseSeeds } from '../lib/train/metrics';
import { majorityVerdict, resultInWords } from '../lib/train/seed-table';
import { EXPRESSIONS } from '../lib/data/expressions';

/** A run whose seeds have these 2-class confusion matrices and 60/40 training splits (majority class 0). */
function run(confusions: number[][][]): MetricsFile {
  const seeds = confusions.map((c, i) => {
    const validation = metricsFromConfusion(c, 1);
    const validationCounts = c.map((row) => row.reduce((a, b) => a + b, 0));
    return {
      seed: i + 1,
      status: 'done' as const,
      validation,
      baselines: {
        majorityClass: { classIndex: 0, accuracy: validationCounts[0] / (validationCounts[0] + validationCounts[1]), balancedAccuracy: 0.5, macroF1: 0 },
        stratifiedRandom: { accuracy: 0.5, balancedAccuracy: 0.5, macroF1: 0.5 },
      },
      seconds: 1,
      split: { trainCounts: [60, 40], validationCounts },
    };
  });
  return {
    classes: EXPRESSIONS,
    seeds,
    summary: summariseSeeds(seeds.map((s) => s.validation)),
    baselineSummary: summariseBaselines(seeds.map((s) => s.split)),
  };
}

describe("a run's headline against the majority-class baseline", () => {
  it('says in words when a run does not beat it (the small configuration: 17.5% against 40%)', () => {
    // Two seeds, 20 validation images each, 8 of class 0 (N): 3 and 4 right; always N: 8 of 20.
    const m = run([[[2, 6], [11, 1]], [[3, 5], [11, 1]]]);
    const v = majorityVerdict(m);
    assert.strictEqual(v.beats, 'no');
    assert.strictEqual(v.sentence, 'This run does not beat the majority-class baseline: validation accuracy 17.5% against 40.0% for always answering N (22.5 points below it).');
    assert.ok(resultInWords(m).startsWith(`**${v.sentence}** Validation accuracy over 2 seeds`));
  });

  it('says it beats the baseline when the margin\'s interval is above 0, and stays quiet about it in the paragraph', () => {
    const m = run([[[45, 5], [10, 40]], [[44, 6], [12, 38]], [[46, 4], [9, 41]]]);
    const v = majorityVerdict(m);
    assert.strictEqual(v.beats, 'yes');
    assert.ok(v.margin.ci95[0] > 0 && v.margin.method === 'bootstrap');
    assert.match(v.sentence, /^This run beats the majority-class baseline by 34\.7 points: validation accuracy 84\.7% against 50\.0% for always answering N \(95% CI of the margin/);
    assert.ok(resultInWords(m).startsWith('Validation accuracy over 3 seeds'));
  });

  it("calls a margin whose interval includes 0 'not clearly above'", () => {
    const m = run([[[30, 20], [18, 32]], [[22, 28], [25, 25]], [[25, 25], [24, 26]]]);
    const v = majorityVerdict(m);
    assert.ok(v.margin.mean > 0 && v.margin.ci95[0] < 0, JSON.stringify(v.margin));
    assert.strictEqual(v.beats, 'unclear');
    assert.match(v.sentence, /^This run is not clearly above the majority-class baseline/);
  });
});
