import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { ExplainRequest, resolveOptions, traitsOf } from '../lib/explain/explainer';
import { explainer } from '../lib/explain/registry';
import { createRandom, mixSeed } from '../lib/util/random';
import { maxAbsDiff, paperNetForTests, randomImages } from './explain-fixtures';

const smoothGrad = explainer('smoothgrad');
const context = { normalisation: { mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.3] } as never, trainingImages: () => { throw new Error('not needed'); } };

/** y = W2ᵀ tanh(W1ᵀ x + b1) + b2 on a 2×2×1 image: ∂y_c/∂x_p = Σ_h W2[h,c] (1 − tanh²(u_h)) W1[p,h], by hand. */
function tinyNet() {
  const input = tf.input({ shape: [2, 2, 1] });
  const hidden = tf.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: tf.initializers.randomNormal({ seed: 11, stddev: 0.8 }), biasInitializer: tf.initializers.randomNormal({ seed: 12, stddev: 0.3 }) });
  const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.randomNormal({ seed: 13 }) });
  const model = tf.model({ inputs: input, outputs: out.apply(hidden.apply(tf.layers.flatten().apply(input))) as tf.SymbolicTensor });
  const [w1, b1] = hidden.getWeights().map((t) => t.dataSync());
  const w2 = out.getWeights()[0].dataSync();
  const gradient = (z: ArrayLike<number>, c: number) =>
    Array.from({ length: 4 }, (_, p) => {
      let g = 0;
      for (let h = 0; h < 3; h++) {
        let u = b1[h];
        for (let q = 0; q < 4; q++) u += w1[q * 3 + h] * z[q];
        g += w2[h * 2 + c] * (1 - Math.tanh(u) ** 2) * w1[p * 3 + h];
      }
      return g;
    });
  return { model, gradient };
}

describe('explain: SmoothGrad (noise tunnel)', function () {
  this.timeout(120_000);
  before(async () => {
    await chooseBackend('cpu');
  });

  it('averages the base map over n noisy copies exactly as worked out by hand (mean, mean of squares, variance)', () => {
    const { model, gradient } = tinyNet();
    const x = [0.4, -1.1, 0.7, 0.2];
    const images = tf.tensor4d(x, [1, 2, 2, 1]);
    const n = 6;
    const noise = 0.2;
    const seed = 3;
    const key = 5;
    // The draws: one generator per image, seeded by (seed, key); each copy's pixels in order; σ = noise · (max x − min x).
    const rnd = createRandom(mixSeed(seed, key));
    const sigma = noise * (0.7 - -1.1);
    const maps = Array.from({ length: n }, () => gradient(x.map((v) => Math.fround(v + rnd.normal(0, sigma))), 1));
    const mean = [0, 1, 2, 3].map((p) => maps.reduce((s, m) => s + m[p], 0) / n);
    const meanSquare = [0, 1, 2, 3].map((p) => maps.reduce((s, m) => s + m[p] ** 2, 0) / n);
    const variance = [0, 1, 2, 3].map((p) => meanSquare[p] - mean[p] ** 2);
    const request: ExplainRequest = { model, images, classIndex: [1], imageKeys: [key], target: 'logit', context };
    const expected = { mean, 'mean-square': meanSquare, variance };
    for (const aggregation of ['mean', 'mean-square', 'variance'] as const) {
      const [a] = smoothGrad.attribute(request, resolveOptions(smoothGrad, { samples: n, noise, seed, aggregation }));
      assert.ok(maxAbsDiff(a.map, expected[aggregation]) < 1e-5, `${aggregation}: ${Array.from(a.map)} vs ${expected[aggregation]}`);
      assert.ok(Math.abs(a.diagnostics.sigma - sigma) < 1e-6);
      assert.deepStrictEqual(a.shape, [2, 2]);
    }
    images.dispose();
  });

  it('σ = 0 gives exactly the base method\'s map, for a deterministic and a sampled base', () => {
    const model = paperNetForTests(16, 5);
    const images = randomImages(2, 16, 3, 13);
    const request: ExplainRequest = { model, images, classIndex: [1, 3], imageKeys: [21, 22], target: 'logit', context };
    for (const base of ['saliency', 'gradientshap', 'gradcam']) {
      const e = explainer(base);
      const own = e.attribute(request, resolveOptions(e));
      const tunnel = smoothGrad.attribute(request, resolveOptions(smoothGrad, { base, samples: 2, noise: 0 }));
      tunnel.forEach((a, i) => {
        assert.deepStrictEqual(Array.from(a.map), Array.from(own[i].map), `${base}, image ${i}`);
        assert.deepStrictEqual(a.shape, own[i].shape);
        assert.strictEqual(a.score, own[i].score);
      });
      const [variance] = smoothGrad.attribute(request, resolveOptions(smoothGrad, { base, samples: 2, noise: 0, aggregation: 'variance' }));
      assert.ok(variance.map.every((v) => v === 0), `${base}: no noise, no variance`);
    }
    images.dispose();
  });

  it('over Grad-CAM: a layer-shaped map, upsampled as Grad-CAM does it, and drawn as a non-negative map', () => {
    const model = paperNetForTests(16, 6);
    const images = randomImages(1, 16, 3, 14);
    const request: ExplainRequest = { model, images, classIndex: [2], imageKeys: [0], target: 'logit', context };
    const options = resolveOptions(smoothGrad, { base: 'gradcam', samples: 4, noise: 0.1 });
    const [a] = smoothGrad.attribute(request, options);
    const cam = explainer('gradcam');
    const [plain] = cam.attribute(request, resolveOptions(cam));
    assert.deepStrictEqual(a.shape, plain.shape);
    assert.deepStrictEqual(a.shape, [2, 2]);
    assert.ok(a.map.every((v) => v >= 0));
    assert.deepStrictEqual((a.parameters.baseParameters as Record<string, unknown>).layer, 'block3_relu');
    const up = smoothGrad.atInputSize(a.map, a.shape, a.parameters, 16);
    assert.ok(maxAbsDiff(up, cam.atInputSize(a.map, a.shape, plain.parameters, 16)) === 0);
    const traits = traitsOf(smoothGrad, options);
    assert.strictEqual(traits.mapShape, 'layer');
    assert.strictEqual(traits.display.scale, 'sequential');
    assert.strictEqual(traitsOf(smoothGrad, resolveOptions(smoothGrad)).display.scale, 'diverging', 'the mean of signed gradients is signed');
    assert.strictEqual(traitsOf(smoothGrad, resolveOptions(smoothGrad, { aggregation: 'mean-square' })).sign, 'non-negative');
    images.dispose();
  });

  it('an image\'s map does not depend on the batch it is explained in, another seed draws other noise, log p_c on request', () => {
    const model = paperNetForTests(16, 7);
    const images = randomImages(3, 16, 3, 15);
    const options = resolveOptions(smoothGrad, { samples: 5 });
    const all = smoothGrad.attribute({ model, images, classIndex: [0, 1, 2], imageKeys: [40, 41, 42], target: 'logit', context }, options);
    const second = images.slice([1, 0, 0, 0], [1, 16, 16, 3]);
    const [alone] = smoothGrad.attribute({ model, images: second, classIndex: [1], imageKeys: [41], target: 'logit', context }, options);
    assert.ok(maxAbsDiff(alone.map, all[1].map) < 1e-7);
    const [reseeded] = smoothGrad.attribute({ model, images: second, classIndex: [1], imageKeys: [41], target: 'logit', context }, { ...options, seed: 1 });
    assert.ok(maxAbsDiff(reseeded.map, alone.map) > 1e-6);
    // log p_c: with no noise, the base's log-prob map and score exactly.
    const logProbRequest: ExplainRequest = { model, images: second, classIndex: [1], imageKeys: [41], target: 'log-prob', context };
    const [tunnel] = smoothGrad.attribute(logProbRequest, { ...options, noise: 0, samples: 2 });
    const [own] = explainer('saliency').attribute(logProbRequest, resolveOptions(explainer('saliency')));
    assert.deepStrictEqual(Array.from(tunnel.map), Array.from(own.map));
    assert.strictEqual(tunnel.score, own.score);
    tf.dispose([images, second]);
  });
});
