import * as assert from 'assert';
import { averageRanks, mapSimilarity, normaliseForComparison, spearman, ssim } from '../lib/audit/similarity';
import { createRandom } from '../lib/util/random';

const close = (a: number, b: number, what = '', tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≠ ${b}`);

/** A 16×16 map with structure: a blob plus seeded noise. */
function blobMap(seed: number): Float32Array {
  const rnd = createRandom(seed);
  return Float32Array.from({ length: 256 }, (_, i) => {
    const y = Math.floor(i / 16);
    const x = i % 16;
    return Math.exp(-((y - 6) ** 2 + (x - 9) ** 2) / 18) + 0.2 * rnd.normal();
  });
}

describe('audit: Spearman rank correlation', () => {
  it('is ±1 for monotone relations and handles ties with average ranks', () => {
    close(spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 1);
    close(spearman([1, 2, 3, 4], [4, 3, 2, -7]), -1);
    assert.deepStrictEqual([...averageRanks([1, 2, 2, 3])], [1, 2.5, 2.5, 4]);
    assert.deepStrictEqual([...averageRanks([5, 5, 5, 1])], [3, 3, 3, 1]);
    // Ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): deviations (−1.5, 0, 0, 1.5) and (−1.5, −.5, .5, 1.5),
    // Σ products 4.5, Σ squares 4.5 and 5 → 4.5 / √22.5 = 3/√10 (scipy.stats.spearmanr: 0.9486833).
    close(spearman([1, 2, 2, 3], [1, 2, 3, 4]), 3 / Math.sqrt(10));
    assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])), 'a constant map has no ranking');
    assert.throws(() => spearman([1, 2, 3], [1, 2]), /second map \(the first map's length\): expected 3 values, got 2/);
  });
});

describe('audit: SSIM (Wang et al. 2004)', () => {
  const size = { height: 16, width: 16 };

  it('is 1 for identical maps and negative for a map against its negation', () => {
    const a = blobMap(1);
    close(ssim(a, a, size), 1);
    // A map whose local means are near zero (sin of the pixel index oscillates within every window)
    // against its negation: strongly negative.
    const zeroMean = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i));
    assert.ok(ssim(zeroMean, zeroMean.map((v) => -v), size) < -0.9);
    // The pitfall mapSimilarity avoids: with a non-zero mean, luminance and structure terms both
    // flip sign and SSIM(a, −a) comes out positive on raw maps.
    assert.ok(ssim(a, a.map((v) => -v), size) > 0.5);
    const other = ssim(a, blobMap(2), size);
    assert.ok(other < 0.9 && other > 0.1, `same blob, other noise: in between (${other})`);
    // Two equal constant maps: identical.
    assert.strictEqual(ssim(new Float32Array(256).fill(3), new Float32Array(256).fill(3), size), 1);
  });

  it('matches the formula on one 11×11 window computed directly', () => {
    // With 11×11 maps the window fits once, so SSIM is the single-window value.
    const s = { height: 11, width: 11 };
    const a = Float32Array.from({ length: 121 }, (_, i) => (i % 11) / 10); // ramp along x
    const b = Float32Array.from({ length: 121 }, (_, i) => ((i % 11) / 10) ** 2 + 0.1 * Math.floor(i / 11) / 10);
    const g = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / (2 * 1.5 ** 2)));
    const gs = g.reduce((t, v) => t + v, 0);
    let mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0; // prettier-ignore
    for (let i = 0; i < 121; i++) {
      const wgt = (g[Math.floor(i / 11)] * g[i % 11]) / (gs * gs);
      mx += wgt * a[i];
      my += wgt * b[i];
    }
    for (let i = 0; i < 121; i++) {
      const wgt = (g[Math.floor(i / 11)] * g[i % 11]) / (gs * gs);
      sxx += wgt * (a[i] - mx) ** 2;
      syy += wgt * (b[i] - my) ** 2;
      sxy += wgt * (a[i] - mx) * (b[i] - my);
    }
    const L = 2; // given data range
    const c1 = (0.01 * L) ** 2;
    const c2 = (0.03 * L) ** 2;
    const expected = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2));
    close(ssim(a, b, s, { dataRange: L }), expected, 'single window', 1e-9);
    // Default range: the joint range of both maps (max 1.1, min 0).
    const Lj = Math.max(...a, ...b) - Math.min(...a, ...b);
    const c1j = (0.01 * Lj) ** 2;
    const c2j = (0.03 * Lj) ** 2;
    close(ssim(a, b, s), ((2 * mx * my + c1j) * (2 * sxy + c2j)) / ((mx * mx + my * my + c1j) * (sxx + syy + c2j)), 'joint range', 1e-9);
    assert.throws(() => ssim(new Float32Array(100), new Float32Array(100), { height: 10, width: 10 }), /expected maps at least 11×11 \(the window\), got 10×10/);
  });
});

describe('audit: sanity-check similarity (Adebayo et al. 2018)', () => {
  const size = { height: 16, width: 16 };

  it('normalises by max |a| so that scale does not count, and separates signed from absolute', () => {
    // Span 4: signed (a/4 + 1)/2, absolute |a|/4.
    assert.deepStrictEqual([...normaliseForComparison([2, -4, 1, 0])], [0.75, 0, 0.625, 0.5]);
    assert.deepStrictEqual([...normaliseForComparison([2, -4, 1, 0], { absolute: true })], [0.5, 1, 0.25, 0]);
    // 75th percentile of |a| = (0, 1, 2, 4) → 2: the outlier −4 is clipped.
    assert.deepStrictEqual([...normaliseForComparison([2, -4, 1, 0], { percentile: 75 })], [1, 0, 0.75, 0.5]);
    assert.deepStrictEqual([...normaliseForComparison([0, 0])], [0.5, 0.5]);
    const a = blobMap(1);
    const scaled = mapSimilarity(a, a.map((v) => 7 * v), size);
    close(scaled.spearman, 1);
    close(scaled.ssim, 1, 'ssim after normalisation', 1e-9);
    const negated = mapSimilarity(a, a.map((v) => -v), size);
    close(negated.spearman, -1);
    close(negated.spearmanAbs, 1);
    close(negated.ssimAbs, 1, 'ssimAbs', 1e-9);
    assert.ok(negated.ssim < -0.5);
  });
});
