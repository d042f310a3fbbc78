import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { blackBaseline } from '../lib/explain/baselines';
import { resolveOptions } from '../lib/explain/explainer';
import { integratedGradients, integratedGradientsExplainer } from '../lib/explain/integrated-gradients';
import { classScores } from '../lib/explain/gradients';
import { layerGraph } from '../lib/explain/layer-graph';
import { quadrature, QUADRATURE_RULES } from '../lib/util/quadrature';
import { maxAbs, maxAbsDiff, meanEdgeExcess, paperNetForTests, randomImages, smoothDagNet } from './explain-fixtures';

const BLACK = { kind: 'black' as const, mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.3] };

/** y_c = Σ_p W[p, c] x_p + bias_c on the flattened image: ∂y_c/∂x_p = W[p, c] everywhere. */
function linearModel(size: number, channels: number, classes: number, seed: number): { model: tf.LayersModel; weights: Float32Array } {
  const input = tf.input({ shape: [size, size, channels] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotNormal({ seed }), biasInitializer: 'ones' });
  const model = tf.model({ inputs: input, outputs: dense.apply(flat) as tf.SymbolicTensor });
  return { model, weights: dense.getWeights()[0].dataSync() as Float32Array };
}

describe('explain: Integrated Gradients', function () {
  this.timeout(120_000);
  before(async () => {
    await chooseBackend('cpu');
  });

  it('on a model linear in its input, φ_p = W[p, c] (x_p − b_p) exactly, for every rule and number of steps', () => {
    const { model, weights } = linearModel(5, 3, 4, 7);
    const images = randomImages(2, 5, 3, 8);
    const black = blackBaseline([5, 5, 3], BLACK.mean, BLACK.std);
    const x = images.dataSync();
    const b = black.dataSync();
    for (const rule of QUADRATURE_RULES) {
      for (const steps of [2, 7]) {
        const results = integratedGradients(model, images, { baseline: BLACK, steps, rule, classIndex: [1, 3] });
        results.forEach((r, i) => {
          const c = r.classIndex;
          const expected = Float32Array.from({ length: 75 }, (_, p) => weights[p * 4 + c] * (x[i * 75 + p] - b[p]));
          assert.ok(maxAbsDiff(r.attributions, expected) < 1e-5, `${rule}, ${steps} steps`);
          assert.ok(Math.abs(r.delta) < 1e-4, `completeness: δ = ${r.delta}`);
          // The map sums the channels.
          assert.ok(Math.abs(r.map[2] - (expected[6] + expected[7] + expected[8])) < 1e-5);
        });
      }
    }
    tf.dispose([images, black]);
  });

  it('equals a reference from finite differences of the forward pass, integrated by a fine trapezoid (smooth network)', () => {
    const model = smoothDagNet(3, 6, 2);
    const image = tf.mul(randomImages(1, 6, 2, 5), 0.5) as tf.Tensor4D;
    const baseline = { kind: 'black' as const, mean: [0.2, -0.1], std: [1, 1] };
    const c = 2;
    const x = image.dataSync();
    const b = blackBaseline([6, 6, 2], baseline.mean, baseline.std).dataSync();
    // ∂y_c/∂x_p at a point by central differences (ε = 1e-2 in float32: the reference is good to ~2e-4 of the scale here), for all 72 inputs in one batch.
    const eps = 1e-2;
    const fdGradient = (point: Float32Array): Float64Array => {
      const batch = new Float32Array(2 * 72 * 72);
      for (let p = 0; p < 72; p++) {
        batch.set(point, 2 * p * 72);
        batch.set(point, (2 * p + 1) * 72);
        batch[2 * p * 72 + p] += eps;
        batch[(2 * p + 1) * 72 + p] -= eps;
      }
      const y = tf.tidy(() => classScores(model, tf.tensor4d(batch, [144, 6, 6, 2])).dataSync());
      return Float64Array.from({ length: 72 }, (_, p) => (y[2 * p * 3 + c] - y[(2 * p + 1) * 3 + c]) / (2 * eps));
    };
    const K = 65;
    const reference = new Float64Array(72);
    for (let k = 0; k < K; k++) {
      const a = k / (K - 1);
      const g = fdGradient(Float32Array.from(x, (v, p) => b[p] + a * (v - b[p])));
      const w = (k === 0 || k === K - 1 ? 0.5 : 1) / (K - 1);
      for (let p = 0; p < 72; p++) reference[p] += w * g[p] * (x[p] - b[p]);
    }
    // The reference differentiates the model as it is: its own zero padding all along the path.
    const [r] = integratedGradients(model, image, { baseline, steps: 32, classIndex: c, padding: 'model' });
    const scale = maxAbs(reference);
    assert.ok(scale > 1e-3, 'a reference worth comparing with');
    assert.ok(maxAbsDiff(r.attributions, reference) < 1e-3 * scale, `max |φ − reference| = ${maxAbsDiff(r.attributions, reference)} (scale ${scale})`);
    image.dispose();
  });

  it('completeness: on a smooth network Gauss–Legendre reaches float precision by 32 steps (its own padding)', () => {
    const model = smoothDagNet(3, 6, 2);
    const images = tf.mul(randomImages(3, 6, 2, 5), 0.5) as tf.Tensor4D;
    const baseline = { kind: 'black' as const, mean: [0.2, -0.1], std: [1, 1] };
    const worst = (steps: number) => Math.max(...integratedGradients(model, images, { baseline, steps, padding: 'model' }).map((r) => Math.abs(r.delta)));
    const [d4, d8, d32] = [worst(4), worst(8), worst(32)];
    assert.ok(d4 > 1e-4 && d8 < d4 && d32 < 1e-6, `|δ| at 4, 8, 32 steps: ${d4}, ${d8}, ${d32}`);
    images.dispose();
  });

  it('completeness on the paper network (ReLU): the mean relative error |δ| / |y(x) − y(b)| stays below 1/√steps and shrinks', () => {
    const model = paperNetForTests(16, 1);
    const images = randomImages(4, 16, 3, 3);
    const errors = [4, 16, 64, 256].map((steps) => {
      const results = integratedGradients(model, images, { baseline: BLACK, steps });
      const mean = results.reduce((s, r) => s + Math.abs(r.delta) / Math.abs(r.score - r.baselineScore), 0) / results.length;
      assert.ok(mean < 1 / Math.sqrt(steps), `${steps} steps: mean relative error ${mean}`);
      return mean;
    });
    assert.ok(errors[3] < errors[1] / 3 && errors[2] < errors[0], `errors ${errors.join(', ')}`);
    images.dispose();
  });

  it('several references (the training-image baseline): the mean of each reference\'s integrated gradients, whatever the batching', () => {
    const model = paperNetForTests(16, 2);
    const images = randomImages(2, 16, 3, 10);
    const training = randomImages(3, 16, 3, 11);
    const all = integratedGradients(model, images, { baseline: { kind: 'training', images: training }, steps: 6, classIndex: 2, batchSize: 5 });
    const each = [0, 1, 2].map((k) => {
      const one = training.slice([k, 0, 0, 0], [1, 16, 16, 3]);
      const r = integratedGradients(model, images, { baseline: { kind: 'tensor', images: one }, steps: 6, classIndex: 2 });
      one.dispose();
      return r;
    });
    all.forEach((r, i) => {
      assert.strictEqual(r.references, 3);
      const mean = Float32Array.from(r.attributions, (_, p) => (each[0][i].attributions[p] + each[1][i].attributions[p] + each[2][i].attributions[p]) / 3);
      assert.ok(maxAbsDiff(r.attributions, mean) < 1e-5 * Math.max(1, maxAbs(mean)));
      assert.ok(Math.abs(r.baselineScore - (each[0][i].baselineScore + each[1][i].baselineScore + each[2][i].baselineScore) / 3) < 1e-5);
    });
    tf.dispose([images, training]);
  });

  it('a black reference is an infinite black plane: y(b) is the plane\'s, and Σφ + the frame\'s share completes y(x) − y(b)', () => {
    // Smooth, and every padded tensor feeds a convolution only (the plane's paddings are the convolutions').
    const input = tf.input({ shape: [6, 6, 2] });
    const c1 = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }), biasInitializer: 'ones' }).apply(input) as tf.SymbolicTensor;
    const c2 = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }) }).apply(c1) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(c2) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 6 }) }).apply(pooled) as tf.SymbolicTensor });
    const images = tf.mul(randomImages(2, 6, 2, 5), 0.5) as tf.Tensor4D;
    const baseline = { kind: 'black' as const, mean: [0.2, -0.1], std: [1, 1] };
    const black = blackBaseline([6, 6, 2], baseline.mean, baseline.std);
    const plane = tf.tidy(() => {
      const frames = layerGraph(model).planeFrames(black);
      return classScores(model, black, { frames }).dataSync();
    });
    const zeros = tf.tidy(() => classScores(model, black).dataSync());
    const results = integratedGradients(model, images, { baseline, steps: 32, classIndex: [0, 2] });
    results.forEach((r) => {
      assert.ok(Math.abs(r.baselineScore - plane[r.classIndex]) < 1e-6, 'the plane\'s score');
      assert.ok(Math.abs(plane[r.classIndex] - zeros[r.classIndex]) > 1e-3, 'the plane is not the zero-padded black image');
      assert.ok(Math.abs(r.frameAttribution) > 1e-4, 'the padding takes part');
      assert.ok(Math.abs(r.total + r.frameAttribution - (r.score - r.baselineScore)) < 1e-5 && Math.abs(r.delta) < 1e-5, `δ ${r.delta}`);
    });
    tf.dispose([images, black]);
  });

  it('no right/bottom edge stripe with the plane (and one with the model\'s padding), as for GradientSHAP', () => {
    const excess = (padding: 'baseline' | 'model') => meanEdgeExcess([1, 2], (model, images) => integratedGradients(model, images, { baseline: BLACK, steps: 8, padding }));
    // Measured (2 seeds × 2 images, 8 steps): the plane right 0.76, bottom 0.34 (left and top 0.15);
    // the model's padding right 1.85, bottom 2.30 (left 0.22, top 0.21).
    const plane = excess('baseline');
    assert.ok(plane.right < 1 && plane.bottom < 1, `default: ${JSON.stringify(plane)}`);
    const stripe = excess('model');
    assert.ok(stripe.bottom > 1.5 && stripe.bottom > 3 * stripe.top && stripe.right > 2 * stripe.left, `model's padding: ${JSON.stringify(stripe)}`);
  });

  it("explains log p_c as asked: completeness against the log-softmax's own difference (smooth network)", () => {
    const model = smoothDagNet(3, 6, 2);
    const images = tf.mul(randomImages(2, 6, 2, 5), 0.5) as tf.Tensor4D;
    const baseline = { kind: 'black' as const, mean: [0.2, -0.1], std: [1, 1] };
    const results = integratedGradients(model, images, { baseline, steps: 32, classIndex: [0, 2], target: 'log-prob', padding: 'model' });
    const logProbs = tf.tidy(() => tf.logSoftmax(classScores(model, images)).dataSync());
    const black = blackBaseline([6, 6, 2], baseline.mean, baseline.std);
    const atBlack = tf.tidy(() => tf.logSoftmax(classScores(model, black)).dataSync());
    results.forEach((r, i) => {
      const c = r.classIndex;
      assert.strictEqual(r.target, 'log-prob');
      assert.ok(Math.abs(r.score - logProbs[i * 3 + c]) < 1e-6 && Math.abs(r.baselineScore - atBlack[c]) < 1e-6);
      assert.ok(Math.abs(r.total - (logProbs[i * 3 + c] - atBlack[c])) < 1e-5, `Σφ ${r.total} vs Δ log p ${logProbs[i * 3 + c] - atBlack[c]}`);
    });
    const logits = integratedGradients(model, images, { baseline, steps: 32, classIndex: [0, 2], padding: 'model' });
    assert.ok(maxAbsDiff(logits[0].attributions, results[0].attributions) > 1e-4, 'another target, other attributions');
    tf.dispose([images, black]);
  });

  it('as a registered method: black from the context, the completeness error in the diagnostics, the request\'s target', () => {
    const model = paperNetForTests(16, 4);
    const images = randomImages(2, 16, 3, 12);
    const context = { normalisation: { mean: BLACK.mean, std: BLACK.std } as never, trainingImages: () => { throw new Error('not needed'); } };
    const options = resolveOptions(integratedGradientsExplainer, { steps: 8 });
    const maps = integratedGradientsExplainer.attribute({ model, images, classIndex: [0, 4], imageKeys: [3, 4], target: 'logit', context }, options);
    const direct = integratedGradients(model, images, { baseline: BLACK, steps: 8, classIndex: [0, 4] });
    maps.forEach((a, i) => {
      assert.deepStrictEqual(a.shape, [16, 16]);
      assert.ok(maxAbsDiff(a.map, direct[i].map) < 1e-6);
      assert.strictEqual(a.diagnostics.delta, direct[i].delta);
      assert.deepStrictEqual(a.parameters, { steps: 8, rule: 'gauss-legendre', references: 1, baseline: 'black', padding: 'baseline' });
      assert.strictEqual(a.diagnostics.frameAttribution, direct[i].frameAttribution);
    });
    assert.deepStrictEqual(quadrature('gauss-legendre', 8).alphas.length, 8);
    const [logProb] = integratedGradientsExplainer.attribute({ model, images, classIndex: [0, 4], imageKeys: [3, 4], target: 'log-prob', context }, options);
    assert.ok(Math.abs(logProb.score - integratedGradients(model, images, { baseline: BLACK, steps: 8, classIndex: [0, 4], target: 'log-prob' })[0].score) < 1e-7);
    assert.ok(logProb.score < 0, 'a log-probability');
    images.dispose();
  });
});
