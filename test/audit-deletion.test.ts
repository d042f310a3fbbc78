import * as assert from 'assert';
import { deletionArea, deletionCurve, deletionOrder, ScoreFunction } from '../lib/audit/deletion';

const close = (a: number, b: number, what = '', tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≠ ${b}`);

// 4×4, one channel. The "model" scores the sum of the left half (8 pixels);
// the image is all ones, the replacement all zeros: each deleted left-half
// pixel costs exactly 1.
const size = { height: 4, width: 4, channels: 1 };
const leftHalf = Array.from({ length: 16 }, (_, i) => i % 4 < 2);
const image = new Float32Array(16).fill(1);
const replacement = new Float32Array(16);
const leftSum: ScoreFunction = async (images, count) =>
  Array.from({ length: count }, (_, n) => leftHalf.reduce((s, inside, i) => s + (inside ? images[n * 16 + i] : 0), 0));
const map = Float32Array.from(leftHalf, (v) => (v ? 1 : 0));

describe('audit: deletion (Petsiuk et al. 2018)', () => {
  it('drops the score faster when deleting the attributed pixels than random ones, with exact numbers', async () => {
    const r = await deletionCurve(leftSum, image, map, replacement, size, { fractions: [0.25, 0.5, 1], randomDraws: 400, seed: 3 });
    assert.strictEqual(r.original, 8);
    // Top 4, 8, 16 pixels: all 4, then all 8 left-half pixels go first.
    assert.deepStrictEqual(r.attributed.map((p) => [p.pixels, p.score, p.drop]), [[4, 4, 4], [8, 0, 8], [16, 0, 8]]);
    // Curve (0, 8) (¼, 4) (½, 0) (1, 0): area ¼·6 + ¼·2 + 0 = 2.
    close(r.auc.attributed, 2, 'attributed AUC');
    // Random k pixels remove k/2 of the region on average (hypergeometric): scores 6, 4, 0, AUC ¼·7 + ¼·5 + ½·2 = 4.
    // Standard error of the mean over 400 draws: √(0.8/400) ≈ 0.045 at k = 4.
    close(r.random[0].score, 6, 'random ¼', 0.25);
    close(r.random[1].score, 4, 'random ½', 0.25);
    assert.strictEqual(r.random[2].score, 0);
    assert.strictEqual(r.random[2].scoreStd, 0);
    assert.ok(r.random[0].scoreStd > 0.5 && r.random[0].scoreStd < 1.3, `std ${r.random[0].scoreStd}`); // √0.8 ≈ 0.89
    close(r.auc.random, 4, 'random AUC', 0.2);
    for (let f = 0; f < 2; f++) assert.ok(r.attributed[f].drop > r.random[f].drop + 1);
  });

  it('is repeatable for a seed, batches the scoring calls, and ranks by |a| on request', async () => {
    let calls = 0;
    const counting: ScoreFunction = async (images, count) => {
      calls++;
      assert.ok(count <= 4 && images.length === count * 16);
      return leftSum(images, count);
    };
    const options = { fractions: [0.5, 0.25], randomDraws: 3, seed: 7, batchSize: 4 };
    const a = await deletionCurve(counting, image, map, replacement, size, options);
    // 1 original + (1 + 3 orders) × 2 fractions = 9 images in batches of 4.
    assert.strictEqual(calls, 3);
    const b = await deletionCurve(leftSum, image, map, replacement, size, options);
    assert.deepStrictEqual(a, b);
    assert.deepStrictEqual(a.attributed.map((p) => p.fraction), [0.25, 0.5]); // sorted
    // A map whose strongest evidence is negative: signed ranking deletes the positive right half first.
    const signed = Float32Array.from(leftHalf, (v) => (v ? -5 : 1));
    const bySign = await deletionCurve(leftSum, image, signed, replacement, size, { fractions: [0.5], randomDraws: 1 });
    const byAbs = await deletionCurve(leftSum, image, signed, replacement, size, { fractions: [0.5], randomDraws: 1, rankBy: 'absolute' });
    assert.strictEqual(bySign.attributed[0].drop, 0);
    assert.strictEqual(byAbs.attributed[0].drop, 8);
  });

  it('breaks ties in a seeded random order, not by index', () => {
    const order = deletionOrder(new Float32Array(16), 1);
    assert.deepStrictEqual([...order].sort((x, y) => x - y), Array.from({ length: 16 }, (_, i) => i));
    assert.notDeepStrictEqual([...order], Array.from({ length: 16 }, (_, i) => i));
    assert.deepStrictEqual(deletionOrder(new Float32Array(16), 1), order);
    // Distinct values keep their order whatever the seed.
    assert.deepStrictEqual([...deletionOrder(Float32Array.from([1, 3, 2]), 5)], [1, 2, 0]);
  });

  it('computes the normalised area by the trapezoid rule', () => {
    // (0, 1) (0.5, 0.5): area 0.375 over 0.5 → mean 0.75.
    close(deletionArea(1, [{ fraction: 0.5, score: 0.5 }]), 0.75);
  });

  it('names the expected sizes on bad input', async () => {
    await assert.rejects(deletionCurve(leftSum, image, new Float32Array(4), replacement, size), /attribution map \(at the image resolution\): expected 4×4 = 16 values, got 4/);
    await assert.rejects(deletionCurve(leftSum, image, map, new Float32Array(3), size), /expected the replacement image to be 4×4×1 \(16 values\), got 3/);
    await assert.rejects(deletionCurve(leftSum, image, map, replacement, size, { fractions: [0, 0.5] }), /expected fractions in \(0, 1\]/);
    await assert.rejects(deletionCurve(async () => [1], image, map, replacement, size), /expected the scoring function to return \d+ scores, got 1/);
  });
});
