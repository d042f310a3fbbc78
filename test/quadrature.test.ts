import * as assert from 'assert';
import { QUADRATURE_RULES, quadrature } from '../lib/util/quadrature';

/** Σ_j w_j f(α_j). */
const integrate = (rule: (typeof QUADRATURE_RULES)[number], n: number, f: (a: number) => number) => {
  const q = quadrature(rule, n);
  return q.weights.reduce((s, w, j) => s + w * f(q.alphas[j]), 0);
};

describe('quadrature on [0, 1]', () => {
  it('every rule has n ascending nodes in [0, 1] and weights that sum to 1', () => {
    for (const rule of QUADRATURE_RULES) {
      for (const n of [2, 3, 16, 101]) {
        const q = quadrature(rule, n);
        assert.strictEqual(q.alphas.length, n);
        assert.ok(Math.abs(q.weights.reduce((s, w) => s + w, 0) - 1) < 1e-12, `${rule} n=${n}`);
        for (let j = 0; j < n; j++) {
          assert.ok(q.alphas[j] >= 0 && q.alphas[j] <= 1 && q.weights[j] > 0, `${rule} n=${n} node ${j}`);
          if (j > 0) assert.ok(q.alphas[j] > q.alphas[j - 1], `${rule} ascending`);
        }
      }
    }
  });

  it('Gauss–Legendre with n points integrates α^(2n−1) exactly (1/2n) and not α^(2n)', () => {
    for (const n of [1, 2, 3, 7, 20, 64]) {
      assert.ok(Math.abs(integrate('gauss-legendre', n, (a) => a ** (2 * n - 1)) - 1 / (2 * n)) < 1e-13, `n = ${n}`);
      if (n <= 3) assert.ok(Math.abs(integrate('gauss-legendre', n, (a) => a ** (2 * n)) - 1 / (2 * n + 1)) > 1e-5, `degree 2n is not exact (n = ${n})`);
    }
    // The two-point rule's nodes are ½ ∓ 1/(2√3).
    const q = quadrature('gauss-legendre', 2);
    assert.ok(Math.abs(q.alphas[0] - (0.5 - 0.5 / Math.sqrt(3))) < 1e-15 && Math.abs(q.weights[0] - 0.5) < 1e-15);
  });

  it('the Riemann rules have their textbook errors on α²', () => {
    const n = 10;
    const exact = 1 / 3;
    // Midpoint: underestimates α² by 1/(12n²).
    assert.ok(Math.abs(integrate('riemann-middle', n, (a) => a * a) - (exact - 1 / (12 * n * n))) < 1e-14);
    // Trapezoid on n points (n − 1 intervals h): overestimates by h²/6.
    assert.ok(Math.abs(integrate('riemann-trapezoid', n, (a) => a * a) - (exact + 1 / (6 * (n - 1) ** 2))) < 1e-14);
    // Left and right sums: Σ k²/n³ for k = 0…n−1 and 1…n.
    assert.ok(Math.abs(integrate('riemann-left', n, (a) => a * a) - ((n - 1) * n * (2 * n - 1)) / 6 / n ** 3) < 1e-14);
    assert.ok(Math.abs(integrate('riemann-right', n, (a) => a * a) - (n * (n + 1) * (2 * n + 1)) / 6 / n ** 3) < 1e-14);
    // Midpoint and trapezoid are exact on straight lines.
    for (const rule of ['riemann-middle', 'riemann-trapezoid'] as const) assert.ok(Math.abs(integrate(rule, 5, (a) => 3 * a - 1) - 0.5) < 1e-14);
  });

  it('refuses what it cannot do', () => {
    assert.throws(() => quadrature('gauss-legendre', 0), /positive integer/);
    assert.throws(() => quadrature('riemann-middle', 2.5), /positive integer/);
    assert.throws(() => quadrature('riemann-trapezoid', 1), /at least 2 points/);
  });
});
