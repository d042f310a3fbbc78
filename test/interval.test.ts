// Intervals over seeds: the cases issue 13 found printing the impossible.
import * as assert from 'assert';
import { summariseSeeds, summariseBaselines, confusionPairs } from '../lib/train/metrics';
import {
  bootstrapOverSeeds,
  formatInterval,
  formatMeanSd,
  hasInterval,
  summarise,
  summariseCounts,
  summariseNested,
  TOO_FEW_SEEDS,
  formatPercent,
} from '../lib/util/interval';
import { intervalNote } from '../lib/pipeline/audit-tables';
import { aggregate, AuditRecord } from '../lib/audit/aggregate';
import { auditMetricKind } from '../lib/pipeline/audit-image';
import { gapMetric } from '../lib/pipeline/audit-faithfulness';
import { metricsFromConfusion } from '../lib/train/metrics';

const inside = (lo: number, hi: number, s: { ci95: [number, number] }) => s.ci95[0] >= lo && s.ci95[1] <= hi;

describe('intervals over seeds', () => {
  it('two seeds: no number, "too few seeds for an interval" (the issue: 17.5 ± 3.5, 95% CI −14.3–49.3, n=2)', () => {
    // The small configuration's accuracy: seeds at 15% and 20%.
    const t = summarise([0.15, 0.2]);
    assert.ok(!hasInterval(t));
    assert.strictEqual(formatInterval(t), `17.5 (sd 3.5; ${TOO_FEW_SEEDS} (fewer than 3); 2 seeds)`);
    const nested = summariseNested([[0.1, 0.2], [0.2, 0.2]]);
    assert.strictEqual(hasInterval(nested), false);
    assert.strictEqual(nested.method, 'too-few-seeds');
    assert.strictEqual(formatPercent(nested), `17.5% (${TOO_FEW_SEEDS})`);
    assert.strictEqual(formatInterval(summarise([0.4])), `40.0 (${TOO_FEW_SEEDS}; 1 seed)`);
    assert.strictEqual(formatMeanSd(t), '17.5 (sd 3.5)');
    assert.strictEqual(formatInterval(summarise([])), 'n/a');
  });

  it('shares near 0: the bootstrap interval stays at or above 0 where the t interval went below', () => {
    // Hair shares per image, five seeds (the issue: "hair shares below zero").
    const seeds = [[0.0, 0.01, 0.0, 0.02], [0.08, 0.0, 0.01], [0.0, 0.0, 0.0, 0.01], [0.2, 0.0], [0.01, 0.0, 0.0]];
    const t = summarise(seeds.map((xs) => xs.reduce((a, b) => a + b, 0) / xs.length));
    assert.ok(t.ci95[0] < 0, `fixture: the t interval should leave [0, 1], got ${t.ci95}`);
    const b = summariseNested(seeds);
    assert.strictEqual(b.method, 'bootstrap');
    assert.ok(inside(0, 1, b) && b.ci95[0] <= b.mean && b.mean <= b.ci95[1], JSON.stringify(b));
    assert.strictEqual(b.mean, t.mean);
    assert.strictEqual(b.std, t.std);
    // Deterministic: the same numbers give the same interval.
    assert.deepStrictEqual(summariseNested(seeds).ci95, b.ci95);
  });

  it('pointing game near 100%: stays at or below 100% (the issue: 41.8–104.7%)', () => {
    // Hits of 10 images per seed, three seeds: 10, 10, 6.
    const pg = summariseCounts([{ hits: 10, n: 10 }, { hits: 10, n: 10 }, { hits: 6, n: 10 }]);
    const t = summarise([1, 1, 0.6]);
    assert.ok(t.ci95[1] > 1, `fixture: ${t.ci95}`);
    assert.ok(inside(0, 1, pg) && pg.ci95[1] <= 1 && pg.ci95[0] < pg.mean, JSON.stringify(pg));
    // All seeds perfect: the interval is the point 100%, never beyond.
    assert.deepStrictEqual(summariseCounts([{ hits: 5, n: 5 }, { hits: 5, n: 5 }, { hits: 5, n: 5 }]).ci95, [1, 1]);
  });

  it('bootstraps a statistic of the whole seed (balanced accuracy) inside its range', () => {
    // Three seeds of (true, predicted) pairs; the statistic is recomputed on each draw.
    const seeds = [
      confusionPairs([[8, 2], [1, 1]]),
      confusionPairs([[9, 1], [2, 0]]),
      confusionPairs([[7, 3], [0, 2]]),
    ];
    const ba = (items: readonly [number, number][]) => {
      const m = [[0, 0], [0, 0]];
      for (const [t, p] of items) m[t][p]++;
      return metricsFromConfusion(m).balancedAccuracy;
    };
    const s = bootstrapOverSeeds(seeds, ba);
    assert.strictEqual(s.method, 'bootstrap');
    const perSeed = [(0.8 + 0.5) / 2, (0.9 + 0) / 2, (0.7 + 1) / 2];
    assert.ok(Math.abs(s.mean - perSeed.reduce((a, b) => a + b, 0) / 3) < 1e-12);
    assert.ok(inside(0, 1, s) && s.ci95[0] < s.mean && s.mean < s.ci95[1], JSON.stringify(s));
  });

  it("summarises a run's seeds: accuracies by bootstrap, NLL by t, baselines from the splits' counts", () => {
    const m = (confusion: number[][], nll: number) => metricsFromConfusion(confusion, nll);
    const seeds = [m([[40, 10], [15, 35]], 0.9), m([[45, 5], [20, 30]], 1.1), m([[38, 12], [10, 40]], 0.8)];
    const s = summariseSeeds(seeds);
    assert.ok(Math.abs(s.accuracy.mean - (0.75 + 0.75 + 0.78) / 3) < 1e-12);
    for (const k of ['accuracy', 'balancedAccuracy', 'macroF1'] as const) {
      assert.strictEqual(s[k].method, 'bootstrap', k);
      assert.ok(inside(0, 1, s[k]), k);
    }
    assert.strictEqual(s.nll.method, 'student-t');
    // Majority: training split mostly class 0, validation 50/50 → 0.5; stratified .6·.5 + .4·.5 = 0.5.
    const b = summariseBaselines([0, 1, 2].map(() => ({ trainCounts: [60, 40], validationCounts: [50, 50] })));
    assert.strictEqual(b.majorityAccuracy.mean, 0.5);
    assert.ok(Math.abs(b.stratifiedAccuracy.mean - 0.5) < 1e-12);
    assert.strictEqual(b.majorityAccuracy.method, 'bootstrap');
  });

  it('names the methods per metric under an audit table', () => {
    const records: AuditRecord[] = [];
    for (let seed = 0; seed < 3; seed++) {
      for (let i = 0; i < 4; i++) {
        records.push({ image: `i${i}`, class: 'N', method: 'gradcam', seed, metric: 'absoluteShare', region: 'hair', value: 0.1 * i });
        records.push({ image: `i${i}`, class: 'N', method: 'gradcam', seed, metric: gapMetric('deletion', 'blur'), value: i - 1.5 + seed });
      }
    }
    const rows = aggregate(records, auditMetricKind, (r) => (r.metric === 'absoluteShare' ? String(r.region) : 'x'));
    assert.strictEqual(intervalNote(rows), "95% intervals over 3 seeds: percentile bootstrap over seeds and images for absoluteShare; Student's t over seeds for deletion.");
    assert.strictEqual(intervalNote(rows.map((r) => ({ ...r, seeds: 2 }))), `Means over 2 seeds: ${TOO_FEW_SEEDS} (it takes at least 3).`);
  });
});
