import * as assert from 'assert';
import { baselines, classificationMetrics, confusionMatrix, metricsFromConfusion } from '../lib/train/metrics';
import { summarise, tQuantile975 } from '../lib/util/interval';

const close = (a: number, b: number, tol = 1e-9, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≠ ${b}`);

describe('classification metrics', () => {
  it('computes accuracy, balanced accuracy, macro-F1 and per-class figures from a worked example', () => {
    // truth:      0 0 0 0 1 1 2 2
    // prediction: 0 0 0 1 1 2 2 2
    const m = metricsFromConfusion(confusionMatrix([0, 0, 0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 2, 2, 2], 3));
    assert.deepStrictEqual(m.confusion, [[3, 1, 0], [0, 1, 1], [0, 0, 2]]);
    close(m.accuracy, 6 / 8);
    // recalls 3/4, 1/2, 1 → balanced accuracy 0.75
    close(m.balancedAccuracy, (0.75 + 0.5 + 1) / 3);
    // precisions 1, 1/2, 2/3
    close(m.precision[0], 1);
    close(m.precision[1], 0.5);
    close(m.precision[2], 2 / 3);
    const f1 = [2 * 0.75 / 1.75, 0.5, 2 * (2 / 3) / (5 / 3)];
    close(m.macroF1, (f1[0] + f1[1] + f1[2]) / 3, 1e-12, 'macro-F1');
  });

  it('takes the arg-max of scores and the NLL of a stable log-softmax', () => {
    const scores = new Float32Array([2, 0, 0, /**/ 0, 1000, 0]);
    const m = classificationMetrics(scores, [0, 2], 3);
    close(m.accuracy, 0.5);
    // sample 1: −log(e²/(e²+2)); sample 2: −(0 − 1000 − log(1 + 2e^−1000)) ≈ 1000
    const nll1 = -(2 - Math.log(Math.exp(2) + 2));
    close(m.nll, (nll1 + 1000) / 2, 1e-4, 'nll');
  });

  it('gives the baselines a reader compares against (CFD: always neutral ≈ 49.5%)', () => {
    // Training split 60% class 0; evaluation 50/25/25.
    const b = baselines([60, 20, 20], [50, 25, 25]);
    assert.strictEqual(b.majorityClass.classIndex, 0);
    close(b.majorityClass.accuracy, 0.5);
    close(b.majorityClass.balancedAccuracy, 1 / 3);
    // Stratified guessing: Σ p_train(c) · p_eval(c) = .6·.5 + .2·.25 + .2·.25
    close(b.stratifiedRandom.accuracy, 0.4);
    close(b.stratifiedRandom.balancedAccuracy, (0.6 + 0.2 + 0.2) / 3);
  });
});

describe('seed summaries', () => {
  it('reports mean, sample std and a t-based 95% interval for an unbounded quantity', () => {
    const s = summarise([0.6, 0.62, 0.64, 0.66, 0.68]);
    close(s.mean, 0.64, 1e-12);
    // squared deviations .0016+.0004+0+.0004+.0016 = .004, over n − 1 = 4
    close(s.std, Math.sqrt(0.004 / 4), 1e-12);
    close(tQuantile975(4), 2.776);
    const half = 2.776 * s.std / Math.sqrt(5);
    close(s.ci95[0], 0.64 - half, 1e-12);
    close(s.ci95[1], 0.64 + half, 1e-12);
    assert.strictEqual(s.method, 'student-t');
    // Fewer than three seeds: no interval.
    assert.ok(summarise([0.5]).ci95.every(Number.isNaN));
    assert.ok(summarise([0.5, 0.6]).ci95.every(Number.isNaN));
    assert.strictEqual(summarise([0.5, 0.6]).method, 'too-few-seeds');
    assert.strictEqual(summarise([NaN, 1]).n, 1);
  });
});
