import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { resolveOptions } from '../lib/explain/explainer';
import { classScores } from '../lib/explain/gradients';
import { coverCounts, occlusion, occlusionExplainer, windowStarts } from '../lib/explain/occlusion';
import { maxAbsDiff, normals, paperNetForTests, randomImages } from './explain-fixtures';

const H = 7;
const W = 6;
const C = 2;
/** The region the model reads: rows 1–3, columns 2–4. */
const inRegion = (r: number, q: number) => r >= 1 && r <= 3 && q >= 2 && q <= 4;
const images7x6 = (n: number, seed: number) => tf.tensor4d(normals(n * H * W * C, seed), [n, H, W, C]);

/**
 * y_c = Σ_{(r,q,ch) in the region} a[r,q,ch,c] x[r,q,ch] + 1: linear in one
 * region, blind elsewhere. Filling a square P then drops y_c by
 * Σ_{P ∩ region} a (x − fill), which the test works out by hand.
 */
function regionModel(): { model: tf.LayersModel; a: Float32Array } {
  const input = tf.input({ shape: [H, W, C] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.randomNormal({ seed: 5 }), biasInitializer: 'ones' });
  const model = tf.model({ inputs: input, outputs: dense.apply(flat) as tf.SymbolicTensor });
  const kernel = dense.getWeights()[0].dataSync() as Float32Array;
  const a = Float32Array.from(kernel, (v, k) => {
    const p = Math.floor(k / 3);
    const pixel = Math.floor(p / C);
    return inRegion(Math.floor(pixel / W), pixel % W) ? v : 0;
  });
  tf.tidy(() => dense.setWeights([tf.tensor2d(a, [H * W * C, 3]), tf.ones([3])]));
  return { model, a };
}

describe('explain: Occlusion', function () {
  this.timeout(60_000);
  before(async () => {
    await chooseBackend('cpu');
  });

  it('places the squares from 0 by the stride, the last one cut at the border, and counts the cover of each pixel', () => {
    assert.deepStrictEqual(windowStarts(10, 4, 3), [0, 3, 6]);
    assert.deepStrictEqual(Array.from(coverCounts(10, 4, 3)), [1, 1, 1, 2, 1, 1, 2, 1, 1, 1]);
    // 11 = 0…10: a fourth square at 9, cut to two pixels.
    assert.deepStrictEqual(windowStarts(11, 4, 3), [0, 3, 6, 9]);
    assert.deepStrictEqual(Array.from(coverCounts(11, 4, 3)), [1, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1]);
    // Stride 1: the edges are covered once, the middle `window` times.
    assert.deepStrictEqual(Array.from(coverCounts(6, 3, 1)), [1, 2, 3, 3, 2, 1]);
    assert.deepStrictEqual(windowStarts(5, 5, 2), [0]);
    assert.throws(() => windowStarts(5, 6, 1), /window must be a whole number from 1 to the image side 5/);
    assert.throws(() => windowStarts(8, 2, 3), /stride must be a whole number from 1 to the window 2/);
  });

  it('with a 1-pixel square the map is a·(x − fill) summed over channels inside the region, 0 outside', () => {
    const { model, a } = regionModel();
    const images = images7x6(2, 3);
    const x = images.dataSync();
    const fill = [0.3, -0.2];
    const results = occlusion(model, images, { window: 1, stride: 1, fill, classIndex: [1, 2] });
    results.forEach((res, i) => {
      const c = res.classIndex;
      const expected = new Float32Array(H * W);
      for (let p = 0; p < H * W; p++) for (let ch = 0; ch < C; ch++) expected[p] += a[(p * C + ch) * 3 + c] * (x[(i * H * W + p) * C + ch] - fill[ch]);
      assert.ok(maxAbsDiff(res.map, expected) < 1e-5, `image ${i}`);
      assert.strictEqual(res.positions, H * W);
      for (let p = 0; p < H * W; p++) if (!inRegion(Math.floor(p / W), p % W)) assert.ok(Math.abs(res.map[p]) < 1e-6, 'outside the region');
    });
    images.dispose();
  });

  it('with overlapping squares each pixel gets the mean drop of the squares that cover it (worked out square by square)', () => {
    const { model, a } = regionModel();
    const images = images7x6(1, 4);
    const x = images.dataSync();
    const fill = [0, 0];
    const window = 3;
    const stride = 2;
    // Squares: rows 0, 2, 4 (the last cut to rows 4–6), columns 0, 2, 4 (4–5).
    const squares: [number, number][] = [];
    for (const r0 of [0, 2, 4]) for (const q0 of [0, 2, 4]) squares.push([r0, q0]);
    const c = 0;
    const covers = (s: [number, number], r: number, q: number) => r >= s[0] && r < s[0] + window && q >= s[1] && q < s[1] + window;
    const drop = (s: [number, number]) => {
      let d = 0;
      for (let r = 0; r < H; r++) for (let q = 0; q < W; q++) if (covers(s, r, q)) for (let ch = 0; ch < C; ch++) d += a[((r * W + q) * C + ch) * 3 + c] * (x[(r * W + q) * C + ch] - fill[ch]);
      return d;
    };
    const expected = new Float32Array(H * W);
    for (let r = 0; r < H; r++) {
      for (let q = 0; q < W; q++) {
        const over = squares.filter((s) => covers(s, r, q));
        expected[r * W + q] = over.reduce((t, s) => t + drop(s), 0) / over.length;
      }
    }
    for (const batchSize of [1, 4, 64]) {
      const [res] = occlusion(model, images, { window, stride, fill, classIndex: c, batchSize });
      assert.strictEqual(res.positions, 9);
      assert.ok(maxAbsDiff(res.map, expected) < 1e-5, `batches of ${batchSize}`);
      assert.ok(Math.abs(res.maxDrop - Math.max(...squares.map(drop))) < 1e-5);
    }
    images.dispose();
  });

  it('as a registered method: the mean fill is 0 in input space, black is (0 − mean)/std; log p_c on request', () => {
    const model = paperNetForTests(16, 3);
    const images = randomImages(1, 16, 3, 9);
    const normalisation = { mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.3] };
    const context = { normalisation: normalisation as never, trainingImages: () => { throw new Error('not needed'); } };
    const request = { model, images, classIndex: [2], imageKeys: [0], target: 'logit' as const, context };
    const [mean] = occlusionExplainer.attribute(request, resolveOptions(occlusionExplainer, { window: 4, stride: 4 }));
    const [direct] = occlusion(model, images, { window: 4, stride: 4, fill: [0, 0, 0], classIndex: 2 });
    assert.ok(maxAbsDiff(mean.map, direct.map) < 1e-6);
    assert.deepStrictEqual(mean.parameters, { window: 4, stride: 4, fill: 'mean' });
    const [black] = occlusionExplainer.attribute(request, resolveOptions(occlusionExplainer, { window: 4, stride: 4, fill: 'black' }));
    const [blackDirect] = occlusion(model, images, { window: 4, stride: 4, fill: [-2, -2.25, -4 / 3], classIndex: 2 });
    assert.ok(maxAbsDiff(black.map, blackDirect.map) < 1e-5);
    // One square over the whole photo: every pixel gets log p_c(x) − log p_c(mean-colour image).
    const [whole] = occlusionExplainer.attribute({ ...request, target: 'log-prob' }, resolveOptions(occlusionExplainer, { window: 16, stride: 16 }));
    const logP = tf.tidy(() => tf.logSoftmax(classScores(model, tf.concat([images, tf.zerosLike(images)]))).dataSync());
    assert.ok(whole.map.every((v) => Math.abs(v - (logP[2] - logP[5 + 2])) < 1e-5), `${whole.map[0]} vs ${logP[2] - logP[7]}`);
    assert.ok(Math.abs(whole.score - logP[2]) < 1e-6);
    images.dispose();
  });
});
