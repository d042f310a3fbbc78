import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { classScoreGradient, classScores } from '../lib/explain/gradients';
import { applyBatchNormInference } from '../lib/explain/inference-batch-norm';
import { layerGraph } from '../lib/explain/layer-graph';
import { applyConv2DUnfused } from '../lib/explain/unfused-conv';
import { maxAbs, maxAbsDiff, normals, paperNetForTests, randomImages, smoothDagNet } from './explain-fixtures';

/** y_c of image b when `layer`'s output is replaced by `a` (the input when layer is null). */
function scoreWith(model: tf.LayersModel, images: tf.Tensor4D, layer: string | null, a: tf.Tensor, b: number, c: number): number {
  const graph = layerGraph(model);
  return tf.tidy(() => {
    const values = graph.start(images);
    const split = layer ? graph.layerOutput(layer) : graph.input;
    graph.evaluate(split, values); // everything upstream, as in classScoreGradient
    const substituted = new Map(values);
    substituted.set(split.id, a);
    const y = graph.evaluate(graph.output, substituted);
    return y.arraySync() as number[][];
  })[b][c];
}

/**
 * Central differences (f(a + εe_i) − f(a − εe_i)) / 2ε of image b's class
 * score with respect to the chosen coordinates of `layer`'s output.
 */
function centralDifferences(
  model: tf.LayersModel, images: tf.Tensor4D, layer: string | null, b: number, c: number, coords: number[], eps: number,
): number[] {
  const graph = layerGraph(model);
  const a0 = tf.tidy(() => {
    const values = graph.start(images);
    return graph.evaluate(layer ? graph.layerOutput(layer) : graph.input, values).clone();
  });
  const base = a0.dataSync().slice();
  const perBatch = base.length / a0.shape[0];
  const out = coords.map((i) => {
    const at = (delta: number) => {
      const v = base.slice();
      v[b * perBatch + i] += delta;
      const a = tf.tensor(v, a0.shape);
      const y = scoreWith(model, images, layer, a, b, c);
      a.dispose();
      return y;
    };
    return (at(eps) - at(-eps)) / (2 * eps);
  });
  a0.dispose();
  return out;
}

function gradientOf(model: tf.LayersModel, images: tf.Tensor4D, layer: string | null, classIndex: number[]): { values: Float32Array; perImage: number } {
  const g = classScoreGradient(model, images, { layer, classIndex });
  const values = g.gradient.dataSync() as Float32Array;
  const perImage = g.gradient.size / g.gradient.shape[0];
  tf.dispose([g.activations, g.gradient, g.scores]);
  return { values: values.slice(), perImage };
}

describe('explain: gradient of the class score (the primitive both explainers share)', function () {
  this.timeout(60_000);
  before(async () => {
    await chooseBackend('cpu');
  });

  describe('on a smooth DAG (tanh), against central differences (ε = 1e-2, float32)', () => {
    // tanh is smooth, so the central difference has error O(ε²)·f''' ≈ 1e-5
    // plus float32 rounding ≈ 1e-7/ε. Measured: max error ≤ 3e-4 × max|∂y/∂·|;
    // the tolerance 2e-3 × max|∂y/∂·| fails a gradient off by 1 %.
    const model = smoothDagNet(11);
    const images = randomImages(2, 6, 2, 5);
    const classes = [2, 0];
    after(() => images.dispose());

    for (const layer of [null, 'c1', 'c2', 'gap_b', 'hidden']) {
      it(`w.r.t. ${layer ?? 'the input'}: every coordinate, both images`, () => {
        const { values, perImage } = gradientOf(model, images, layer, classes);
        for (let b = 0; b < 2; b++) {
          const coords = Array.from({ length: perImage }, (_, i) => i);
          const fd = centralDifferences(model, images, layer, b, classes[b], coords, 1e-2);
          const g = values.slice(b * perImage, (b + 1) * perImage);
          const scale = maxAbs(fd);
          assert.ok(scale > 1e-3, `gradient too small to test (${scale})`);
          const err = maxAbsDiff(g, fd);
          assert.ok(err <= 2e-3 * scale, `image ${b}: max |autodiff − FD| = ${err}, scale ${scale}`);
        }
      });
    }

    it('the split forward pass reproduces model.predict for every layer', () => {
      const expected = (model.predict(images) as tf.Tensor).dataSync().slice();
      const graph = layerGraph(model);
      for (const layer of model.layers.slice(1)) {
        const got = tf.tidy(() => {
          const values = graph.start(images);
          const split = graph.layerOutput(layer.name);
          const a = graph.evaluate(split, values);
          const substituted = new Map(values);
          substituted.set(split.id, tf.add(a, 0)); // a new tensor, so the head is really recomputed from it
          return graph.evaluate(graph.output, substituted).dataSync().slice();
        });
        assert.ok(maxAbsDiff(got, expected) < 1e-6, `split at ${layer.name}`);
      }
    });
  });

  describe("target 'log-prob': the gradient of log p_c = y_c − log Σ_k e^{y_k}", () => {
    const model = smoothDagNet(13);
    const images = randomImages(2, 6, 2, 7);
    after(() => images.dispose());

    for (const layer of [null, 'c2']) {
      it(`equals ∂y_c − Σ_k p_k ∂y_k and central differences of the log-softmax, w.r.t. ${layer ?? 'the input'}`, () => {
        const classes = [1, 2];
        const lp = classScoreGradient(model, images, { layer, classIndex: classes, target: 'log-prob' });
        const logProbs = lp.scores.arraySync() as number[][];
        const logits = classScores(model, images).arraySync() as number[][];
        const perImage = lp.gradient.size / 2;
        const got = lp.gradient.dataSync().slice();
        // The logit gradients of every class, combined by hand.
        const byClass = [0, 1, 2].map((k) => gradientOf(model, images, layer, [k, k]).values);
        for (let b = 0; b < 2; b++) {
          const z = Math.log(logits[b].reduce((s, y) => s + Math.exp(y), 0));
          logits[b].forEach((y, k) => assert.ok(Math.abs(logProbs[b][k] - (y - z)) < 1e-5, 'scores are log-probabilities'));
          const p = logits[b].map((y) => Math.exp(y - z));
          const expected = Array.from({ length: perImage }, (_, i) => byClass[classes[b]][b * perImage + i] - p.reduce((s, pk, k) => s + pk * byClass[k][b * perImage + i], 0));
          const mine = got.slice(b * perImage, (b + 1) * perImage);
          assert.ok(maxAbsDiff(mine, expected) <= 1e-5 * Math.max(1e-3, maxAbs(expected)), `image ${b}: log-prob gradient vs the softmax-weighted identity`);
          // …and central differences of log p_c itself.
          const coords = Array.from({ length: Math.min(perImage, 24) }, (_, i) => Math.floor((i * perImage) / 24));
          const graph = layerGraph(model);
          const base = tf.tidy(() => graph.evaluate(layer ? graph.layerOutput(layer) : graph.input, graph.start(images)).clone());
          const values = base.dataSync().slice();
          const fd = coords.map((i) => {
            const at = (d: number) => {
              const v = values.slice();
              v[b * perImage + i] += d;
              const a = tf.tensor(v, base.shape);
              const y = [0, 1, 2].map((k) => scoreWith(model, images, layer, a, b, k));
              a.dispose();
              return y[classes[b]] - Math.log(y.reduce((s, yk) => s + Math.exp(yk), 0));
            };
            return (at(1e-2) - at(-1e-2)) / 2e-2;
          });
          base.dispose();
          const scale = maxAbs(fd);
          assert.ok(scale > 1e-3, `gradient too small to test (${scale})`);
          assert.ok(maxAbsDiff(coords.map((i) => mine[i]), fd) <= 2e-3 * scale, `image ${b}: log-prob gradient vs central differences`);
          // It is not the logit gradient (the correction term matters here).
          assert.ok(maxAbsDiff(mine, byClass[classes[b]].slice(b * perImage, (b + 1) * perImage)) > 1e-2 * maxAbs(mine));
        }
        tf.dispose([lp.activations, lp.gradient, lp.scores]);
      });
    }

    it('rejects an unknown target', () => {
      assert.throws(() => classScoreGradient(model, images, { target: 'prob' as never }), /target must be one of logit, log-prob, got "prob"/);
    });
  });

  describe('layers evaluated in an equivalent form (unfused conv, batch-norm as an affine map)', () => {
    const x = randomImages(2, 7, 3, 60);
    after(() => x.dispose());
    const seeded = (layer: tf.layers.Layer, seed: number) =>
      tf.tidy(() => layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(normals(w.size, seed + i, 0.5), w.shape))));

    it('conv2d: same output as the layer for padding, strides, dilation, bias and activation variants', () => {
      const variants: tf.layers.Layer[] = [
        tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 2, kernelSize: [2, 3], strides: [2, 1], padding: 'valid', useBias: false }),
        tf.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'tanh' }),
      ];
      variants.forEach((layer, i) => {
        layer.apply(x); // builds the weights
        seeded(layer, 10 * i);
        const [expected, got] = tf.tidy(() => [(layer.apply(x) as tf.Tensor).dataSync(), applyConv2DUnfused(layer, x)!.dataSync()]);
        assert.ok(maxAbsDiff(got, expected) < 1e-5, `variant ${i}`);
      });
      assert.strictEqual(applyConv2DUnfused(tf.layers.dense({ units: 2 }), x), undefined);
    });

    it('batch-norm: same output as the layer in inference mode, with and without centre/scale', () => {
      const variants = [
        tf.layers.batchNormalization({ epsilon: 1e-5 }),
        tf.layers.batchNormalization({ center: false }),
        tf.layers.batchNormalization({ scale: false, epsilon: 0.1 }),
      ];
      variants.forEach((layer, i) => {
        layer.apply(x);
        // all weights |N(0, ½)|, the moving variance at least 0.5
        tf.tidy(() => layer.setWeights(layer.weights.map((w, k) => {
          const shape = w.shape as number[];
          const values = normals(shape.reduce((a, b) => a * b, 1), 7 * i + k, 0.5);
          return tf.abs(tf.tensor(values, shape)).add(w.originalName.includes('variance') ? 0.5 : 0);
        })));
        const [expected, got] = tf.tidy(() => [(layer.apply(x, { training: false }) as tf.Tensor).dataSync(), applyBatchNormInference(layer, x)!.dataSync()]);
        assert.ok(maxAbsDiff(got, expected) < 1e-5, `variant ${i}`);
      });
    });
  });

  describe('on the paper network (ReLU, batch-norm, concat pooling)', () => {
    const model = paperNetForTests(16, 3);
    const images = randomImages(3, 16, 3, 8);
    after(() => images.dispose());

    it('scores from the layer graph equal model.predict (batch-norm in inference mode)', () => {
      const expected = (model.predict(images) as tf.Tensor).dataSync();
      const got = classScores(model, images);
      assert.ok(maxAbsDiff(got.dataSync(), expected) < 1e-5);
      // Training-mode batch-norm would give different scores: the statistics are not 0/1.
      const training = tf.tidy(() => (model.apply(images, { training: true }) as tf.Tensor).dataSync());
      assert.ok(maxAbsDiff(training, expected) > 1e-2, 'fixture: training and inference batch-norm should differ');
      got.dispose();
    });

    it('the gradient of a batch equals the gradients of its images one at a time', () => {
      for (const layer of [null, 'block1_relu', 'block3_relu', 'concat_pool_max']) {
        const batch = gradientOf(model, images, layer, [0, 3, 4]);
        [0, 3, 4].forEach((c, b) => {
          const one = tf.slice(images, [b, 0, 0, 0], [1, 16, 16, 3]);
          const single = gradientOf(model, one, layer, [c]);
          one.dispose();
          const mine = batch.values.slice(b * batch.perImage, (b + 1) * batch.perImage);
          assert.ok(maxAbsDiff(mine, single.values) <= 1e-5 * Math.max(1, maxAbs(single.values)), `${layer ?? 'input'}, image ${b}`);
        });
      }
    });

    it('matches central differences away from ReLU and max-pool kinks (ε = 1e-3, 24 coordinates)', () => {
      // Piecewise linear: a difference is exact unless ±ε crosses a kink.
      // With ε = 1e-3 on these fixed inputs no sampled coordinate does (a
      // crossing would show as a mismatch of order 1, not a small error).
      // Measured: max error 1.3e-3 × max|∂y/∂·| (float32 rounding at ε = 1e-3).
      for (const layer of [null, 'block2_relu']) {
        const { values, perImage } = gradientOf(model, images, layer, [1, 1, 1]);
        const coords = Array.from({ length: 24 }, (_, i) => Math.floor((i * perImage) / 24) + (i % 3));
        const fd = centralDifferences(model, images, layer, 1, 1, coords, 1e-3);
        const g = coords.map((i) => values[perImage + i]);
        const scale = Math.max(maxAbs(fd), 1e-3);
        assert.ok(maxAbsDiff(g, fd) <= 1e-2 * scale, `${layer ?? 'input'}: ${JSON.stringify({ g, fd })}`);
      }
    });

    it('explains the predicted class by default and rejects bad classes and layers', () => {
      const g = classScoreGradient(model, images);
      const predicted = Array.from(tf.tidy(() => tf.argMax(model.predict(images) as tf.Tensor, 1).dataSync()));
      assert.deepStrictEqual(g.classIndices, predicted);
      tf.dispose([g.activations, g.gradient, g.scores]);
      assert.throws(() => classScoreGradient(model, images, { classIndex: 5 }), /class index 5 is not one of the model's 5 classes/);
      assert.throws(() => classScoreGradient(model, images, { classIndex: [0, 1] }), /2 class indices for 3 images/);
      assert.throws(() => classScoreGradient(model, images, { layer: 'nope' }), /no layer "nope".*block1_conv/);
    });

    it('never computes a weight gradient (no Conv2DBackpropFilter kernel runs)', async () => {
      // tfjs-layers' fused conv computes the kernel gradient eagerly; it is
      // ~95 % of the backward time on cpu and was missing on wasm.
      // A second network with the same layer names (its variables get
      // uniquified names such as block1_bn/gamma_1).
      const twin = paperNetForTests(16, 3);
      const info = await tf.profile(() => {
        const g = classScoreGradient(twin, images, { classIndex: 0 });
        tf.dispose([g.activations, g.gradient, g.scores]);
      });
      const kernels = new Set(info.kernels.map((k) => k.name));
      assert.ok(kernels.has('Conv2DBackpropInput'), [...kernels].join(', '));
      assert.ok(!kernels.has('Conv2DBackpropFilter'));
      assert.ok(!kernels.has('FusedBatchNorm'), 'batch-norm runs as its affine map');
      twin.dispose();
    });

    it('leaves no tensors behind', () => {
      const before = tf.memory().numTensors;
      for (const layer of [null, 'block3_relu']) {
        const g = classScoreGradient(model, images, { layer });
        tf.dispose([g.activations, g.gradient, g.scores]);
      }
      classScores(model, images).dispose();
      assert.strictEqual(tf.memory().numTensors, before);
    });
  });
});
