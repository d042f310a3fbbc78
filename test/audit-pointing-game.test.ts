import * as assert from 'assert';
import { pointingGame } from '../lib/audit/pointing-game';

const size = { height: 8, width: 8 };
// Ground truth: the 2×2 block at rows 2–3, columns 2–3.
const box = Uint8Array.from({ length: 64 }, (_, i) => {
  const y = Math.floor(i / 8);
  const x = i % 8;
  return y >= 2 && y <= 3 && x >= 2 && x <= 3 ? 1 : 0;
});
const withMax = (points: [number, number][], value = 1) => {
  const m = new Float32Array(64);
  for (const [y, x] of points) m[y * 8 + x] = value;
  return m;
};

describe('audit: pointing game (Zhang et al. 2018)', () => {
  it('hits when the unique maximum lies inside the region and misses otherwise', () => {
    assert.deepStrictEqual(pointingGame(withMax([[3, 2]]), box, size), { score: 1, maxima: 1, point: { y: 3, x: 2 } });
    assert.strictEqual(pointingGame(withMax([[6, 6]]), box, size).score, 0);
  });

  it('counts a maximum within the tolerance radius (Euclidean) as a hit', () => {
    // (5, 3) is 2 rows below (3, 3): distance 2.
    assert.strictEqual(pointingGame(withMax([[5, 3]]), box, size, { tolerance: 1.9 }).score, 0);
    assert.strictEqual(pointingGame(withMax([[5, 3]]), box, size, { tolerance: 2 }).score, 1);
    // (5, 5) is (2, 2) from the corner (3, 3): distance √8 ≈ 2.83; a square window of 2 would wrongly hit.
    assert.strictEqual(pointingGame(withMax([[5, 5]]), box, size, { tolerance: 2 }).score, 0);
    assert.strictEqual(pointingGame(withMax([[5, 5]]), box, size, { tolerance: 2.83 }).score, 1);
  });

  it('scores tied maxima as the fraction that hits, and reports the first in row-major order', () => {
    // Three tied maxima: (0, 0) misses, (2, 2) and (3, 3) hit → 2/3.
    const r = pointingGame(withMax([[3, 3], [0, 0], [2, 2]]), box, size);
    assert.strictEqual(r.maxima, 3);
    assert.strictEqual(r.score, 2 / 3);
    assert.deepStrictEqual(r.point, { y: 0, x: 0 });
    // A constant map is chance: the region's area share (4/64), not a hit as with "any maximum hits".
    assert.strictEqual(pointingGame(new Float32Array(64), box, size).score, 4 / 64);
    // Negative maps work: the maximum is the least negative value.
    const neg = new Float32Array(64).fill(-5);
    neg[2 * 8 + 3] = -1;
    assert.strictEqual(pointingGame(neg, box, size).score, 1);
  });

  it('refuses an empty region, a mis-sized map and a negative tolerance', () => {
    assert.throws(() => pointingGame(new Float32Array(64), new Uint8Array(64), size), /expected a non-empty ground-truth region/);
    assert.throws(() => pointingGame(new Float32Array(63), box, size), /attribution map: expected 8×8 = 64 values, got 63/);
    assert.throws(() => pointingGame(new Float32Array(64), box, size, { tolerance: -1 }), /expected a tolerance ≥ 0 pixels, got -1/);
  });
});
