import * as assert from 'assert';
import { attributionOrder, curveArea, deletionInsertion, Fill, ScoreFunction } from '../lib/audit/deletion-insertion';

const close = (a: number, b: number, what = '', tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≠ ${b}`);

// 4×4, one channel. The "model" scores the sum of the left half (8 pixels);
// the image is all ones: with the zero fill each deleted left-half pixel
// costs exactly 1, each inserted one gains 1; with the 0.5 fill, half that.
const size = { height: 4, width: 4, channels: 1 };
const leftHalf = Array.from({ length: 16 }, (_, i) => i % 4 < 2);
const image = new Float32Array(16).fill(1);
const zeros: Fill = { name: 'zeros', image: new Float32Array(16) };
const halves: Fill = { name: 'halves', image: new Float32Array(16).fill(0.5) };
const leftSum: ScoreFunction = async (images, count) =>
  Array.from({ length: count }, (_, n) => leftHalf.reduce((s, inside, i) => s + (inside ? images[n * 16 + i] : 0), 0));
const left = Float32Array.from(leftHalf, (v) => (v ? 1 : 0));
const right = Float32Array.from(leftHalf, (v) => (v ? 0 : 1));

describe('audit: the deletion and insertion games (Petsiuk et al. 2018)', () => {
  it('scores a faithful map above random pixels in both games, with exact numbers', async () => {
    const r = await deletionInsertion(leftSum, image, [left], [zeros], size, { fractions: [0.25, 0.5, 1], randomDraws: 400, seed: 3 });
    assert.strictEqual(r.original, 8);
    const [{ fillScore, deletion, insertion }] = r.maps[0];
    assert.strictEqual(fillScore, 0);
    // Deletion, top 4, 8, 16 pixels: all 4, then all 8 left-half pixels go first.
    assert.deepStrictEqual(deletion.attributed.map((p) => [p.pixels, p.score]), [[4, 4], [8, 0], [16, 0]]);
    // Curve (0, 8) (¼, 4) (½, 0) (1, 0): area ¼·6 + ¼·2 + 0 = 2.
    close(deletion.auc.attributed, 2, 'deletion AUC');
    // Random k pixels remove k/2 of the region on average (hypergeometric): scores 6, 4, 0, area 4.
    close(deletion.random[0].score, 6, 'random ¼', 0.25);
    close(deletion.random[1].score, 4, 'random ½', 0.25);
    assert.ok(deletion.random[0].scoreStd > 0.5 && deletion.random[0].scoreStd < 1.3, `std ${deletion.random[0].scoreStd}`); // √0.8 ≈ 0.89
    close(deletion.auc.random, 4, 'random AUC', 0.2);
    close(deletion.gap, deletion.auc.random - deletion.auc.attributed);
    // Insertion from zeros: (0, 0) (¼, 4) (½, 8) (1, 8): area ¼·2 + ¼·6 + ½·8 = 6; random (0, 0) (¼, 2) (½, 4) (1, 8): area 4.
    assert.strictEqual(insertion.start, 0);
    assert.deepStrictEqual(insertion.attributed.map((p) => p.score), [4, 8, 8]);
    close(insertion.auc.attributed, 6, 'insertion AUC');
    close(insertion.auc.random, 4, 'random insertion AUC', 0.2);
    close(insertion.gap, insertion.auc.attributed - insertion.auc.random);
    assert.ok(deletion.gap > 1.5 && insertion.gap > 1.5);
  });

  it('scores a map of the wrong region below random in both games', async () => {
    const r = await deletionInsertion(leftSum, image, [right], [zeros], size, { fractions: [0.25, 0.5, 1], randomDraws: 400, seed: 3 });
    const [{ deletion, insertion }] = r.maps[0];
    // Deletion (0, 8) (¼, 8) (½, 8) (1, 0): area 6, random 4: gap −2. Insertion (0,0) (¼,0) (½,0) (1,8): area 2, random 4: gap −2.
    close(deletion.auc.attributed, 6);
    close(insertion.auc.attributed, 2);
    close(deletion.gap, -2, 'deletion gap', 0.2);
    close(insertion.gap, -2, 'insertion gap', 0.2);
  });

  it('plays every fill, and the random control once for all the maps of a photo, in batches', async () => {
    let calls = 0;
    let images = 0;
    const counting: ScoreFunction = async (batch, count) => {
      calls++;
      images += count;
      assert.ok(count <= 8 && batch.length === count * 16);
      return leftSum(batch, count);
    };
    const options = { fractions: [0.5, 0.25], randomDraws: 3, seed: 7, batchSize: 8 };
    const r = await deletionInsertion(counting, image, [left, right], [zeros, halves], size, options);
    // 1 original + 2 fills + 2 fills × 2 games × 2 fractions × (3 random orders + 2 maps) = 43 images in batches of 8.
    assert.strictEqual(images, 43);
    assert.strictEqual(calls, 6);
    assert.deepStrictEqual(r.maps[0].map((f) => f.fill), ['zeros', 'halves']);
    for (let k = 0; k < 2; k++) assert.deepStrictEqual(r.maps[0][k].deletion.random, r.maps[1][k].deletion.random);
    assert.deepStrictEqual(r.maps[0][0].deletion.attributed.map((p) => p.fraction), [0.25, 0.5]); // sorted
    // The 0.5 fill: each left pixel is worth half; insertion starts at 4.
    const half = r.maps[0][1];
    assert.strictEqual(half.fillScore, 4);
    assert.deepStrictEqual(half.deletion.attributed.map((p) => p.score), [6, 4]);
    assert.deepStrictEqual(half.insertion.attributed.map((p) => p.score), [6, 8]);
    // Repeatable for a seed.
    assert.deepStrictEqual(await deletionInsertion(leftSum, image, [left, right], [zeros, halves], size, options), r);
  });

  it('ranks by the signed value by default, by |a| on request', async () => {
    const signed = Float32Array.from(leftHalf, (v) => (v ? -5 : 1));
    const bySign = await deletionInsertion(leftSum, image, [signed], [zeros], size, { fractions: [0.5] });
    const byAbs = await deletionInsertion(leftSum, image, [signed], [zeros], size, { fractions: [0.5], rankBy: 'absolute' });
    assert.strictEqual(bySign.maps[0][0].deletion.attributed[0].score, 8);
    assert.strictEqual(byAbs.maps[0][0].deletion.attributed[0].score, 0);
  });

  it('breaks ties in a seeded random order, not by index', () => {
    const order = attributionOrder(new Float32Array(16), 1);
    assert.deepStrictEqual([...order].sort((x, y) => x - y), Array.from({ length: 16 }, (_, i) => i));
    assert.notDeepStrictEqual([...order], Array.from({ length: 16 }, (_, i) => i));
    assert.deepStrictEqual(attributionOrder(new Float32Array(16), 1), order);
    // Distinct values keep their order whatever the seed.
    assert.deepStrictEqual([...attributionOrder(Float32Array.from([1, 3, 2]), 5)], [1, 2, 0]);
  });

  it('computes the normalised area by the trapezoid rule', () => {
    // (0, 1) (0.5, 0.5): area 0.375 over 0.5 → mean 0.75.
    close(curveArea(1, [{ fraction: 0.5, score: 0.5 }]), 0.75);
  });

  it('names the expected sizes on bad input', async () => {
    await assert.rejects(deletionInsertion(leftSum, image, [new Float32Array(4)], [zeros], size), /attribution map 1 \(at the image resolution\): expected 4×4 = 16 values, got 4/);
    await assert.rejects(deletionInsertion(leftSum, image, [left], [{ name: 'odd', image: new Float32Array(3) }], size), /expected the odd fill to be 4×4×1 \(16 values\), got 3/);
    await assert.rejects(deletionInsertion(leftSum, image, [left], [], size), /at least one fill/);
    await assert.rejects(deletionInsertion(leftSum, image, [left], [zeros], size, { fractions: [0, 0.5] }), /expected fractions in \(0, 1\]/);
    await assert.rejects(deletionInsertion(async () => [1], image, [left], [zeros], size), /expected the scoring function to return \d+ scores, got 1/);
  });
});
