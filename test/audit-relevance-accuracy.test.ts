import * as assert from 'assert';
import { relevanceMassAccuracy } from '../lib/audit/relevance-mass-accuracy';
import { relevanceRankAccuracy } from '../lib/audit/relevance-rank-accuracy';

const close = (a: number, b: number, what = '', tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≠ ${b}`);

// Ground truth: the left half of a 4×4 picture (8 pixels).
//   1 1 0 0
//   1 1 0 0
//   1 1 0 0
//   1 1 0 0
const leftHalf = Uint8Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 1 : 0));

// A signed map:
//   4  3  -2  0
//   2  1   0  5
//   0  -1  1  0
//   0  0   0  0
const map = Float32Array.from([4, 3, -2, 0, 2, 1, 0, 5, 0, -1, 1, 0, 0, 0, 0, 0]);

describe('audit: relevance mass and rank accuracy (Arras et al. 2022)', () => {
  it('RMA: positive relevance inside over all positive relevance', () => {
    // inside positives 4 + 3 + 2 + 1 = 10 (the −1 is ignored); all positives 10 + 5 + 1 = 16.
    close(relevanceMassAccuracy(map, leftHalf), 10 / 16);
    // Negative relevance outside does not dilute the score; a map entirely inside scores 1.
    close(relevanceMassAccuracy(Float32Array.from(leftHalf, (v) => (v ? 1 : -3)), leftHalf), 1);
    // A uniform map scores the area share.
    close(relevanceMassAccuracy(new Float32Array(16).fill(2), leftHalf), 0.5);
    // No positive relevance: no answer.
    assert.ok(Number.isNaN(relevanceMassAccuracy(new Float32Array(16).fill(-1), leftHalf)));
  });

  it('RRA: fraction of the top-K pixels inside, K = region size', () => {
    // K = 8. Sorted values: 5, 4, 3, 2, 1, 1, 0 × 8, −1, −2. The 8th largest is 0.
    // Strictly above 0: 5 (out), 4, 3, 2, 1 (in), 1 (out) → 6 pixels, 4 inside.
    // Two places remain among the eight pixels tied at 0 ([3], [6], [8], [11], [12], [13], [14], [15]):
    // inside are [8], [12] and [13] → 3 of 8. Expected hits 4 + 2 · 3/8 = 4.75 → RRA 4.75 / 8.
    close(relevanceRankAccuracy(map, leftHalf), 4.75 / 8);
    // Without ties: a map that ranks the region first scores 1, one that ranks it last scores 0.
    const ramp = Float32Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 100 : 0) + i);
    close(relevanceRankAccuracy(ramp, leftHalf), 1);
    close(relevanceRankAccuracy(ramp.map((v) => -v), leftHalf), 0);
  });

  it('RRA: a constant map scores the area share, not whatever index order would give', () => {
    // Index order would pick the first 8 pixels (rows 0–1): 4 inside → 0.5 by luck of the layout.
    // With a top-row region, index order would give 1; the tie-aware value is the area share 4/16.
    const topRow = Uint8Array.from({ length: 16 }, (_, i) => (i < 4 ? 1 : 0));
    close(relevanceRankAccuracy(new Float32Array(16), topRow), 4 / 16);
    close(relevanceRankAccuracy(new Float32Array(16), leftHalf), 8 / 16);
  });

  it('refuses an empty or mis-sized ground truth, as both metrics need a region', () => {
    assert.throws(() => relevanceMassAccuracy(map, new Uint8Array(16)), /ground-truth mask: expected a non-empty ground-truth region/);
    assert.throws(() => relevanceRankAccuracy(map, new Uint8Array(16)), /non-empty ground-truth region/);
    assert.throws(() => relevanceRankAccuracy(map, new Uint8Array(15)), /ground-truth mask: expected 16 values \(the map's size\), got 15/);
  });
});
