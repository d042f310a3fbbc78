// Quadrature on [0, 1]: nodes α_j and weights w_j with Σ_j w_j f(α_j) ≈ ∫₀¹ f(α) dα,
// the rules Captum's IntegratedGradients offers (its `method` argument):
//   gauss-legendre     n-point Gauss–Legendre, exact for polynomials of degree ≤ 2n − 1
//                      (Captum's default);
//   riemann-middle     midpoints (k + ½)/n, weights 1/n;
//   riemann-trapezoid  the n points k/(n − 1), end weights halved (n ≥ 2);
//   riemann-left       k/n;   riemann-right  (k + 1)/n.
// For a piecewise-linear network (ReLU, max-pool) the integrand of an
// integrated gradient is piecewise constant, so no rule beats O(1/n) there;
// the smooth rules pay off for smooth integrands.

export const QUADRATURE_RULES = ['gauss-legendre', 'riemann-middle', 'riemann-trapezoid', 'riemann-left', 'riemann-right'] as const;
export type QuadratureRule = (typeof QUADRATURE_RULES)[number];

export interface Quadrature {
  /** Nodes in [0, 1], ascending. */
  alphas: Float64Array;
  /** Weights, Σ = 1. */
  weights: Float64Array;
}

/** n nodes and weights of `rule` on [0, 1]. */
export function quadrature(rule: QuadratureRule, n: number): Quadrature {
  if (!Number.isInteger(n) || n < 1) throw new Error(`quadrature: the number of points must be a positive integer, got ${n}`);
  const alphas = new Float64Array(n);
  const weights = new Float64Array(n);
  switch (rule) {
    case 'gauss-legendre':
      return gaussLegendre(n);
    case 'riemann-middle':
    case 'riemann-left':
    case 'riemann-right': {
      const shift = rule === 'riemann-middle' ? 0.5 : rule === 'riemann-left' ? 0 : 1;
      for (let k = 0; k < n; k++) {
        alphas[k] = (k + shift) / n;
        weights[k] = 1 / n;
      }
      return { alphas, weights };
    }
    case 'riemann-trapezoid': {
      if (n < 2) throw new Error('quadrature: the trapezoid rule needs at least 2 points');
      for (let k = 0; k < n; k++) {
        alphas[k] = k / (n - 1);
        weights[k] = (k === 0 || k === n - 1 ? 0.5 : 1) / (n - 1);
      }
      return { alphas, weights };
    }
    default:
      throw new Error(`quadrature: unknown rule "${String(rule)}" (known: ${QUADRATURE_RULES.join(', ')})`);
  }
}

/**
 * Gauss–Legendre on [0, 1]: the roots of the Legendre polynomial P_n by
 * Newton's method from Tricomi's initial guesses, weights 2 / ((1 − x²) P_n'(x)²),
 * mapped from [−1, 1] (α = (1 + x)/2, w/2).
 */
function gaussLegendre(n: number): Quadrature {
  const alphas = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      // p1 = P_n(x), p0 = P_{n−1}(x); P_n' = n (x P_n − P_{n−1}) / (x² − 1).
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    const w = 2 / ((1 - x * x) * derivative * derivative);
    // x is the i-th largest root; its mirror −x the i-th smallest.
    alphas[n - 1 - i] = (1 + x) / 2;
    alphas[i] = (1 - x) / 2;
    weights[n - 1 - i] = w / 2;
    weights[i] = w / 2;
  }
  return { alphas, weights };
}
