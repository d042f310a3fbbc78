import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { resolveOptions, traitsOf } from '../lib/explain/explainer';
import { classScores } from '../lib/explain/gradients';
import { saliency, saliencyExplainer } from '../lib/explain/saliency';
import { maxAbsDiff, randomImages, smoothDagNet } from './explain-fixtures';

describe('explain: input gradient (saliency)', function () {
  this.timeout(60_000);
  before(async () => {
    await chooseBackend('cpu');
  });

  it('on a linear model, Σ_ch W[p, ch, c] and Σ_ch W·x', () => {
    const input = tf.input({ shape: [3, 3, 2] });
    const dense = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) });
    const model = tf.model({ inputs: input, outputs: dense.apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor });
    const w = dense.getWeights()[0].dataSync();
    const images = randomImages(2, 3, 2, 6);
    const x = images.dataSync();
    const [g0, g1] = saliency(model, images, [1, 0], 'gradient');
    const [gx0] = saliency(model, images, [1, 0], 'gradient-x-input');
    for (let p = 0; p < 9; p++) {
      assert.ok(Math.abs(g0.map[p] - (w[(2 * p) * 2 + 1] + w[(2 * p + 1) * 2 + 1])) < 1e-6);
      assert.ok(Math.abs(g1.map[p] - (w[(2 * p) * 2] + w[(2 * p + 1) * 2])) < 1e-6);
      assert.ok(Math.abs(gx0.map[p] - (w[(2 * p) * 2 + 1] * x[2 * p] + w[(2 * p + 1) * 2 + 1] * x[2 * p + 1])) < 1e-6);
    }
    images.dispose();
  });

  it('each pixel\'s value is the derivative of y_c when all its channels move together (central differences, smooth network)', () => {
    const model = smoothDagNet(4, 6, 2);
    const images = randomImages(2, 6, 2, 7);
    const maps = saliency(model, images, [0, 2], 'gradient', { batchSize: 1 });
    const x = images.dataSync();
    const eps = 1e-2;
    maps.forEach((m, i) => {
      for (const p of [0, 7, 20, 35]) {
        const shifted = (d: number) => {
          const v = Float32Array.from(x.subarray(i * 72, (i + 1) * 72));
          v[2 * p] += d;
          v[2 * p + 1] += d;
          return tf.tidy(() => classScores(model, tf.tensor4d(v, [1, 6, 6, 2])).dataSync()[m.classIndex]);
        };
        const fd = (shifted(eps) - shifted(-eps)) / (2 * eps);
        assert.ok(Math.abs(m.map[p] - fd) < 2e-3 * Math.max(1, Math.abs(fd)), `image ${i} pixel ${p}: ${m.map[p]} vs ${fd}`);
      }
    });
    images.dispose();
  });

  it('as a registered method: the score is y_c(x), batching does not matter, log p_c on request, the unit follows the variant', () => {
    const model = smoothDagNet(5, 6, 2);
    const images = randomImages(3, 6, 2, 8);
    const context = { normalisation: { mean: [0, 0], std: [1, 1] } as never, trainingImages: () => { throw new Error('not needed'); } };
    const maps = saliencyExplainer.attribute({ model, images, classIndex: [0, 1, 2], imageKeys: [0, 1, 2], target: 'logit', context }, resolveOptions(saliencyExplainer));
    const oneByOne = saliency(model, images, [0, 1, 2], 'gradient', { batchSize: 1 });
    const y = classScores(model, images).dataSync();
    maps.forEach((a, i) => {
      assert.ok(maxAbsDiff(a.map, oneByOne[i].map) < 1e-6);
      assert.ok(Math.abs(a.score - y[i * 3 + i]) < 1e-6);
    });
    // log p_c: the gradient of the log-softmax, ∂y_c − Σ_k p_k ∂y_k.
    const [logProb] = saliencyExplainer.attribute({ model, images, classIndex: [0, 1, 2], imageKeys: [0, 1, 2], target: 'log-prob', context }, resolveOptions(saliencyExplainer));
    const p = tf.tidy(() => tf.softmax(classScores(model, images)).dataSync());
    const perClass = [0, 1, 2].map((c) => saliency(model, images, [c, c, c], 'gradient')[0].map);
    const expected = Float32Array.from(perClass[0], (_, q) => perClass[0][q] - (p[0] * perClass[0][q] + p[1] * perClass[1][q] + p[2] * perClass[2][q]));
    assert.ok(maxAbsDiff(logProb.map, expected) < 1e-5, 'log-prob gradient');
    assert.ok(Math.abs(logProb.score - Math.log(p[0])) < 1e-5);
    assert.strictEqual(traitsOf(saliencyExplainer, { variant: 'gradient' }).display.unit, 'logit/unit');
    assert.strictEqual(traitsOf(saliencyExplainer, { variant: 'gradient-x-input' }).display.unit, 'logit');
    images.dispose();
  });
});
