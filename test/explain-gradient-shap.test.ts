import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { baselinesFor, blackBaseline, noiseBaseline } from '../lib/explain/baselines';
import { gaussianBlur, gaussianKernel1d } from '../lib/explain/gaussian-blur';
import { chooseSamples, gradientShap, gradientShapExplainer, GradientShapResult, samplesForStandardError, SE_MAX_SAMPLES } from '../lib/explain/gradient-shap';
import { resolveOptions } from '../lib/explain/explainer';
import { completenessInWords, completenessRows } from '../lib/pipeline/completeness';
import type { ExplanationSidecar } from '../lib/run/files';
import { classScoreGradient, classScores } from '../lib/explain/gradients';
import { layerGraph } from '../lib/explain/layer-graph';
import { applyConv2DUnfused } from '../lib/explain/unfused-conv';
import { paddingBefore } from '../lib/explain/receptive-field';
import { maxAbs, maxAbsDiff, meanEdgeExcess, normals, paperNetForTests, randomImages } from './explain-fixtures';

const BLACK = { kind: 'black' as const, mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.3] };

describe('explain: GradientSHAP', function () {
  this.timeout(120_000);
  before(async () => {
    await chooseBackend('cpu');
  });

  describe('baselines', () => {
    it("'black' is pixel value 0 before normalisation: (0 − mean)/std per channel", () => {
      const b = blackBaseline([2, 3, 3], BLACK.mean, BLACK.std);
      assert.deepStrictEqual(b.shape, [1, 2, 3, 3]);
      const v = b.dataSync();
      for (let p = 0; p < 6; p++) {
        assert.ok(Math.abs(v[3 * p] - -2) < 1e-6 && Math.abs(v[3 * p + 1] - -2.25) < 1e-6 && Math.abs(v[3 * p + 2] - -4 / 3) < 1e-6);
      }
      b.dispose();
      assert.throws(() => blackBaseline([2, 2, 3], [0.5, 0.5], 1), /2 mean values for 3 channels/);
    });

    it("'blur' keeps a flat image flat (edges included) and spreads an impulse as the separable Gaussian", () => {
      const flat = tf.fill([1, 9, 9, 3], 0.7) as tf.Tensor4D;
      const blurredFlat = gaussianBlur(flat, 1.5);
      assert.ok(maxAbsDiff(blurredFlat.dataSync(), new Float32Array(243).fill(0.7)) < 1e-6);
      const impulse = tf.tidy(() => tf.pad(tf.ones([1, 1, 1, 1]), [[0, 0], [4, 4], [4, 4], [0, 0]]) as tf.Tensor4D);
      const spread = gaussianBlur(impulse, 1).dataSync();
      const k = gaussianKernel1d(1); // radius 3: taps at −3…3, k[3] the centre
      assert.strictEqual(k.length, 7);
      assert.ok(Math.abs(k.reduce((s, t) => s + t, 0) - 1) < 1e-6);
      // exp(−d²/2) normalised: centre 1/Σ, Σ = 1 + 2(e^−½ + e^−2 + e^−4.5) = 2.505950…
      assert.ok(Math.abs(k[3] - 1 / 2.50595) < 1e-6);
      assert.ok(Math.abs(spread[4 * 9 + 4] - k[3] * k[3]) < 1e-6, 'centre');
      assert.ok(Math.abs(spread[4 * 9 + 5] - k[3] * k[4]) < 1e-6, 'right neighbour');
      assert.ok(Math.abs(spread[3 * 9 + 5] - k[2] * k[4]) < 1e-6, 'diagonal');
      assert.ok(Math.abs(spread[4 * 9 + 7] - k[3] * k[6]) < 1e-7, 'three to the right'); assert.strictEqual(spread[4 * 9 + 8], 0, 'beyond the radius');
      tf.dispose([flat, blurredFlat, impulse]);
    });

    it("'noise' is k seeded images of uniform noise in the pixels' range, the same for every image", () => {
      const a = noiseBaseline([4, 5, 3], BLACK.mean, BLACK.std, 6, 9);
      assert.deepStrictEqual(a.shape, [6, 4, 5, 3]);
      const v = a.dataSync();
      // Raw pixel = value · std + mean lies in [0, 1); over 360 values its mean is near ½ and its spread near 1/√12.
      const raw = Array.from(v, (x, i) => x * BLACK.std[i % 3] + BLACK.mean[i % 3]);
      assert.ok(raw.every((u) => u >= -1e-6 && u < 1 + 1e-6));
      const mean = raw.reduce((s, u) => s + u, 0) / raw.length;
      const sd = Math.sqrt(raw.reduce((s, u) => s + (u - mean) ** 2, 0) / raw.length);
      assert.ok(Math.abs(mean - 0.5) < 0.05 && Math.abs(sd - 1 / Math.sqrt(12)) < 0.03, `mean ${mean}, sd ${sd}`);
      assert.deepStrictEqual(noiseBaseline([4, 5, 3], BLACK.mean, BLACK.std, 6, 9).dataSync(), v);
      assert.notDeepStrictEqual(noiseBaseline([4, 5, 3], BLACK.mean, BLACK.std, 6, 10).dataSync(), v);
      const image = tf.zeros([1, 4, 5, 3]) as tf.Tensor4D;
      const made = baselinesFor({ kind: 'noise', mean: BLACK.mean, std: BLACK.std, count: 6, seed: 9 }, image);
      assert.strictEqual(made.fixed, true);
      assert.deepStrictEqual(made.images.dataSync(), v);
      tf.dispose([a, image, made.images]);
      assert.throws(() => noiseBaseline([2, 2, 3], BLACK.mean, BLACK.std, 0, 1), /count must be a positive integer/);
    });
  });

  describe('on a model linear in its input (conv without activation → GAP → dense)', () => {
    // y_c(x) = w_c·x + b_c, so ∇y_c is the same everywhere and
    // ∇y_c·(x̃ − b) = y_c(x̃) − y_c(b) exactly: every sample's delta is 0.
    const model = (() => {
      const input = tf.input({ shape: [8, 8, 3] });
      const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', biasInitializer: 'ones', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
      const gap = tf.layers.globalAveragePooling2d({}).apply(conv) as tf.SymbolicTensor;
      const scores = tf.layers.dense({ units: 3, biasInitializer: 'ones', kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }).apply(gap) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: scores });
    })();
    const images = randomImages(2, 8, 3, 40);
    const training = randomImages(5, 8, 3, 41);
    after(() => tf.dispose([images, training]));

    it('every per-sample convergence delta is 0 (noise, training-set and uniform-noise baselines)', () => {
      const results = [
        ...gradientShap(model, images, { baseline: { kind: 'training', images: training }, samples: 16, stdev: 0.5, seed: 3, batchSize: 5 }),
        ...gradientShap(model, images, { baseline: { kind: 'noise', mean: BLACK.mean, std: BLACK.std, count: 4, seed: 2 }, samples: 16, stdev: 0.5, seed: 3, batchSize: 5 }),
      ];
      for (const r of results) {
        assert.strictEqual(r.sampleDeltas.length, 16);
        // Scale: |y(x̃) − y(b)| is of order 1; float32 sums of 192 terms round at ~1e-6.
        assert.ok(maxAbs(r.sampleDeltas) < 1e-4, `deltas ${Array.from(r.sampleDeltas)}`);
        assert.ok(Math.abs(r.noisyScore - r.score) > 1e-3, 'the noise should move the score');
      }
    });

    it('with one baseline and no noise, φ = ∇y_c ⊙ (x − b) exactly, whatever the seed', () => {
      const black = blackBaseline([8, 8, 3], BLACK.mean, BLACK.std);
      const g = classScoreGradient(model, images, { classIndex: 1 });
      const expected = tf.tidy(() => tf.mul(g.gradient, tf.sub(images, black)).dataSync());
      tf.dispose([g.activations, g.gradient, g.scores, black]);
      for (const seed of [0, 9]) {
        const results = gradientShap(model, images, { baseline: BLACK, samples: 7, seed, classIndex: 1 });
        results.forEach((r, b) => {
          const mine = expected.slice(b * 192, (b + 1) * 192);
          assert.ok(maxAbsDiff(r.attributions, mine) < 1e-6 * Math.max(1, maxAbs(mine)));
          assert.ok(Math.abs(r.total + r.frameAttribution - (r.score - r.baselineScore)) < 1e-4, 'completeness');
          // the H×W map is the channel sum
          assert.ok(Math.abs(r.map[5] - (r.attributions[15] + r.attributions[16] + r.attributions[17])) < 1e-6);
        });
      }
    });
  });

  describe('on the paper network (32 px), with a fixed seed', () => {
    // Per sample, δ_s has mean 0 over α but is far from 0 on a ReLU network
    // (measured mean |δ_s| ≈ 1.0–1.9 against y(x) − y(b) ≈ 1.5–2). The mean
    // over n samples, δ̄ = Σφ − (y(x) − y(b)) when σ = 0, shrinks like 1/√n:
    // measured mean |δ̄| over 4 images × 3 seeds is 0.62 at n = 8, 0.086 at
    // n = 256 and 0.07 at n = 512. Asserted: at n = 256 it is below 0.4× its
    // n = 8 value (1/√32 = 0.18 expected; measured 0.14) and Σφ is within 10 %
    // (RMS over the 12 runs; measured 5.3 %) of y(x) − y(b).
    const model = paperNetForTests(32, 7, [8, 16, 16], 16);
    const images = randomImages(4, 32, 3, 12);
    after(() => images.dispose());

    it('the sum of attributions approaches y(x) − y(black) as n grows', () => {
      const runs = (n: number): GradientShapResult[] =>
        [1, 2, 3].flatMap((seed) => gradientShap(model, images, { baseline: BLACK, samples: n, seed }));
      const few = runs(8);
      const many = runs(256);
      for (const r of [...few, ...many]) {
        // bookkeeping identities: mean of per-sample deltas = delta of the mean attribution
        const mean = r.sampleDeltas.reduce((s, d) => s + d, 0) / r.samples;
        assert.ok(Math.abs(mean - r.meanDelta) < 1e-9);
        assert.ok(Math.abs(r.meanDelta - (r.total + r.frameAttribution - (r.score - r.baselineScore))) < 1e-4);
        assert.strictEqual(r.noisyScore, r.score); // σ = 0
      }
      const meanAbs = (rs: GradientShapResult[]) => rs.reduce((s, r) => s + Math.abs(r.meanDelta), 0) / rs.length;
      assert.ok(many.every((r) => r.meanAbsDelta > 0.3), 'fixture: the network should be far from linear');
      assert.ok(meanAbs(many) < 0.4 * meanAbs(few), `mean |δ̄|: n=8 ${meanAbs(few)}, n=256 ${meanAbs(many)}`);
      assert.ok(many.some((r) => Math.abs(r.frameAttribution) > 1e-3), 'the black reference is a plane: its padding takes part');
      const rms = Math.sqrt(many.reduce((s, r) => s + (r.meanDelta / (r.score - r.baselineScore)) ** 2, 0) / many.length);
      assert.ok(rms < 0.1, `relative RMS gap at n = 256: ${rms}`);
    });

    it('with noise and a set of baselines, Σφ approaches mean y(x̃) − mean y(b)', () => {
      // measured at n = 200: δ̄ = 0.018 against mean y(x̃) − mean y(b) = 0.57.
      const training = randomImages(6, 32, 3, 77);
      const [r] = gradientShap(model, images.slice([0, 0, 0, 0], [1, 32, 32, 3]), { baseline: { kind: 'training', images: training }, samples: 200, stdev: 0.2, seed: 4 });
      training.dispose();
      assert.ok(r.noisyScore !== r.score);
      assert.ok(Math.abs(r.meanDelta) < 0.1 * Math.abs(r.noisyScore - r.baselineScore) + 0.05, JSON.stringify({ d: r.meanDelta, s: r.noisyScore, b: r.baselineScore }));
    });
  });

  describe('sampling and bookkeeping', () => {
    const model = paperNetForTests(16, 2);
    const images = randomImages(3, 16, 3, 50);
    after(() => images.dispose());
    const options = { baseline: { kind: 'blur' as const, sigma: 2 }, samples: 10, stdev: 0.2, seed: 5 };

    it('is deterministic for a seed and independent of chunking and of the other images', () => {
      const a = gradientShap(model, images, options);
      const b = gradientShap(model, images, { ...options, batchSize: 3 });
      const other = gradientShap(model, images, { ...options, seed: 6 });
      const alone = gradientShap(model, images.slice([2, 0, 0, 0], [1, 16, 16, 3]), { ...options, imageKeys: [2] });
      for (let i = 0; i < 3; i++) {
        assert.ok(maxAbsDiff(a[i].attributions, b[i].attributions) <= 1e-6 * maxAbs(a[i].attributions));
        assert.ok(maxAbsDiff(a[i].attributions, other[i].attributions) > 1e-3 * maxAbs(a[i].attributions), 'another seed, other samples');
      }
      assert.deepStrictEqual(Array.from(alone[0].attributions), Array.from(a[2].attributions));
      assert.deepStrictEqual(Array.from(gradientShap(model, images, options)[1].sampleDeltas), Array.from(a[1].sampleDeltas));
    });

    it("scores the 'blur' baseline of each image itself, and explains the predicted class", () => {
      const results = gradientShap(model, images, options);
      const predicted = Array.from(tf.tidy(() => tf.argMax(model.predict(images) as tf.Tensor, 1).dataSync()));
      const blurredScores = tf.tidy(() => (model.predict(gaussianBlur(images, 2)) as tf.Tensor).arraySync() as number[][]);
      results.forEach((r, i) => {
        assert.strictEqual(r.classIndex, predicted[i]);
        assert.ok(Math.abs(r.baselineScore - blurredScores[i][r.classIndex]) < 1e-5);
        assert.deepStrictEqual(r.shape, [16, 16, 3]);
        assert.strictEqual(r.map.length, 256);
      });
    });

    it("explains log p_c with target 'log-prob': scores are log-probabilities, and completeness holds for them", () => {
      const [lp] = gradientShap(model, images.slice([0, 0, 0, 0], [1, 16, 16, 3]), { baseline: BLACK, samples: 200, seed: 2, target: 'log-prob', classIndex: 3 });
      const [logit] = gradientShap(model, images.slice([0, 0, 0, 0], [1, 16, 16, 3]), { baseline: BLACK, samples: 200, seed: 2, classIndex: 3 });
      assert.strictEqual(lp.target, 'log-prob');
      assert.strictEqual(logit.target, 'logit');
      const y = (model.predict(images.slice([0, 0, 0, 0], [1, 16, 16, 3])) as tf.Tensor).arraySync() as number[][];
      const logP = y[0][3] - Math.log(y[0].reduce((s, v) => s + Math.exp(v), 0));
      assert.ok(Math.abs(lp.score - logP) < 1e-5 && lp.score < 0);
      assert.ok(Math.abs(lp.meanDelta) < 3 * lp.meanDeltaStdError + 0.05 * Math.abs(lp.score - lp.baselineScore), JSON.stringify({ d: lp.meanDelta, se: lp.meanDeltaStdError }));
      assert.ok(maxAbsDiff(lp.map, logit.map) > 1e-3 * maxAbs(logit.map), 'another output, another map');
      assert.throws(() => gradientShap(model, images, { ...options, target: 'p' as never }), /GradientSHAP: target must be one of logit, log-prob/);
    });

    it('leaves no tensors behind', () => {
      const before = tf.memory().numTensors;
      gradientShap(model, images, { ...options, batchSize: 4 });
      gradientShap(model, images, { baseline: BLACK, samples: 3, classIndex: 4 });
      assert.strictEqual(tf.memory().numTensors, before);
    });

    it('rejects bad parameters', () => {
      assert.throws(() => gradientShap(model, images, { ...options, samples: 0 }), /samples must be a positive integer/);
      assert.throws(() => gradientShap(model, images, { ...options, stdev: -1 }), /stdev must be ≥ 0/);
      assert.throws(() => gradientShap(model, images, { ...options, imageKeys: [1] }), /1 image keys for 3 images/);
      const wrong = randomImages(2, 8, 3, 1);
      assert.throws(() => gradientShap(model, images, { baseline: { kind: 'training', images: wrong } }), /does not fit images of 16×16×3/);
      wrong.dispose();
    });
  });

  describe('sampling error of the completeness delta', () => {
    const model = paperNetForTests(16, 6);
    const images = randomImages(2, 16, 3, 60);
    after(() => images.dispose());

    it('reports sd(δ_s)/√n, and it predicts how much the mean delta moves from seed to seed', () => {
      const runs = Array.from({ length: 16 }, (_, seed) => gradientShap(model, images, { baseline: BLACK, samples: 16, seed }));
      for (const [r] of runs) {
        const m = r.sampleDeltas.reduce((a, b) => a + b, 0) / r.samples;
        const sd = Math.sqrt(r.sampleDeltas.reduce((a, d) => a + (d - m) ** 2, 0) / (r.samples - 1));
        assert.ok(Math.abs(r.meanDeltaStdError - sd / Math.sqrt(16)) < 1e-12);
      }
      for (const i of [0, 1]) {
        const deltas = runs.map((r) => r[i].meanDelta);
        const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;
        const spread = Math.sqrt(deltas.reduce((a, d) => a + (d - mean) ** 2, 0) / (deltas.length - 1));
        const predicted = runs.reduce((a, r) => a + r[i].meanDeltaStdError, 0) / runs.length;
        // 16 seeds: the spread's own relative error is about 1/√30 ≈ 18%.
        assert.ok(spread > 0.6 * predicted && spread < 1.6 * predicted, `image ${i}: spread of δ̄ ${spread}, predicted ${predicted}`);
      }
      assert.ok(Number.isNaN(gradientShap(model, images, { baseline: BLACK, samples: 1 })[0].meanDeltaStdError));
    });

    it('chooses n for a target standard error: (sd/target)² from a pilot, capped', () => {
      assert.strictEqual(samplesForStandardError(2, 0.1), 400);
      assert.strictEqual(samplesForStandardError(2, 0.1, { max: 300 }), 300);
      assert.strictEqual(samplesForStandardError(0, 0.1), 2);
      assert.throws(() => samplesForStandardError(1, 0), /target standard error must be > 0/);
      const choice = chooseSamples(model, images, { baseline: BLACK, seed: 3 }, { standardError: 0.25, relative: true, pilot: 16 });
      assert.strictEqual(choice.images.length, 2);
      assert.ok(!choice.capped && choice.samples > 16, JSON.stringify(choice));
      const [r] = gradientShap(model, images.slice([0, 0, 0, 0], [1, 16, 16, 3]), { baseline: BLACK, seed: 4, samples: choice.samples });
      const goal = 0.25 * Math.abs(r.noisyScore - r.baselineScore);
      assert.ok(r.meanDeltaStdError < 1.5 * goal, `standard error ${r.meanDeltaStdError} at n = ${choice.samples}, target ${goal}`);
      const capped = chooseSamples(model, images, { baseline: BLACK }, { standardError: 1e-4, pilot: 4, max: 50 });
      assert.ok(capped.capped && capped.samples === 50);
    });

    it('--shap-standard-error: the explainer chooses n for it, records it, and states the standard error beside y(x) − y(b)', () => {
      const context = { normalisation: { mean: [0.5, 0.45, 0.4] as [number, number, number], std: [0.25, 0.2, 0.3] as [number, number, number], images: 1 }, trainingImages: () => { throw new Error('not used'); } };
      const options = resolveOptions(gradientShapExplainer, { standardError: 0.05, samples: 7 });
      const request = { model, images, classIndex: [0, 1], imageKeys: [0, 1], target: 'logit' as const, context };
      const out = gradientShapExplainer.attribute(request, options);
      const n = out[0].parameters.samples as number;
      assert.strictEqual(out[0].parameters.standardError, 0.05);
      assert.ok(n !== 7 && n >= 2 && n <= SE_MAX_SAMPLES, `n = ${n}`);
      // n is enough for both images (from the pilot): each standard error is near the target or below.
      for (const a of out) assert.ok(a.diagnostics.deltaStdError < 1.5 * 0.05 || a.diagnostics.samplesCapped === 1, JSON.stringify(a.diagnostics));
      // Without a target, --samples decides.
      assert.strictEqual(gradientShapExplainer.attribute(request, resolveOptions(gradientShapExplainer, { samples: 7 }))[0].parameters.samples, 7);
      // The words: a warning where the standard error is as large as y(x) − y(b).
      const sidecar = (seed: number, se: number, change: number) => ({ method: 'gradientshap', seed, parameters: { samples: 50 }, diagnostics: { delta: 0.1, deltaStdError: se, scoreChange: change } }) as unknown as ExplanationSidecar;
      const rows = completenessRows([sidecar(1, 0.5, 0.3), sidecar(1, 0.1, 2), sidecar(2, 0.1, 2)]);
      assert.deepStrictEqual(rows.map((r) => [r.seed, r.maps, r.unresolved]), [[1, 2, 1], [2, 1, 0]]);
      const words = completenessInWords(rows).split('\n');
      assert.match(words[0], /GradientSHAP, seed 1 \(2 maps, n = 50\): mean \|Σφ − \(y\(x\) − y\(b\)\)\| 0\.100 logit, standard error 0\.300, against \|y\(x\) − y\(b\)\| 1\.150\. \*\*Warning: for 1 of 2 maps the standard error of the delta is as large as y\(x\) − y\(b\)/);
      assert.doesNotMatch(words[1], /Warning/);
    });
  });

  describe('the padding frame (the right/bottom edge stripe)', () => {
    // TF 'same' padding at stride 2 pads only the bottom and right, with the
    // model's 0 (the mean colour in the image, no activation in feature maps).
    // Along a path from a black reference, that frame is the only edge in the
    // picture; by default the black reference is an infinite black plane and
    // every padding travels the path with the image.
    it('a frame-filled convolution equals the convolution of the input padded with that colour', () => {
      for (const [size, stride] of [[8, 2], [7, 2], [6, 1]]) {
        const input = tf.input({ shape: [size, size, 3] });
        const out = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: stride, padding: 'same', useBias: true, biasInitializer: 'ones', kernelInitializer: tf.initializers.glorotNormal({ seed: size }), activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
        const layer = tf.model({ inputs: input, outputs: out }).layers[1];
        const x = randomImages(2, size, 3, size);
        const colour = tf.tensor4d(normals(6, 3), [2, 1, 1, 3]);
        const [kernel, bias] = layer.getWeights();
        const expected = tf.tidy(() => {
          const total = Math.max((Math.ceil(size / stride) - 1) * stride + 3 - size, 0);
          const before = paddingBefore('same', size, 3, stride);
          const pads: [number, number][] = [[0, 0], [before, total - before], [before, total - before], [0, 0]];
          // pad(x − F, 0) + F is x inside and F outside.
          const canvas = tf.add(tf.pad(tf.sub(x, colour), pads), colour) as tf.Tensor4D;
          return tf.tanh(tf.add(tf.conv2d(canvas, kernel as tf.Tensor4D, stride, 'valid'), bias)).dataSync();
        });
        const mine = tf.tidy(() => applyConv2DUnfused(layer, x, colour)!.dataSync());
        assert.ok(maxAbsDiff(mine, expected) < 1e-5, `size ${size}, stride ${stride}`);
        const model = tf.tidy(() => applyConv2DUnfused(layer, x)!.dataSync());
        assert.ok(maxAbsDiff(model, expected) > 1e-2, 'the colour should matter');
        tf.dispose([x, colour]);
      }
    });

    it("planeFrames make a one-colour image a plane: every block's activations are the same at every position", () => {
      const model = paperNetForTests(16, 3);
      const graph = layerGraph(model);
      const black = blackBaseline([16, 16, 3], BLACK.mean, BLACK.std);
      const spread = (frames: boolean) => tf.tidy(() => {
        const values = graph.start(black, frames ? graph.planeFrames(black) : undefined);
        return ['block1_relu', 'block2_relu', 'block3_relu'].map((name) => {
          const a = graph.evaluate(graph.layerOutput(name), values);
          return tf.sub(tf.max(a, [1, 2]), tf.min(a, [1, 2])).max().dataSync()[0];
        });
      });
      assert.ok(spread(true).every((v) => v < 1e-5), `plane: ${spread(true)}`);
      assert.ok(spread(false).some((v) => v > 1e-2), `the model's own padding should make edges: ${spread(false)}`);
      black.dispose();
    });

    it("returns the padding colours' gradients, equal to central differences", () => {
      const model = paperNetForTests(16, 4);
      const graph = layerGraph(model);
      const x = randomImages(1, 16, 3, 8);
      const black = blackBaseline([16, 16, 3], BLACK.mean, BLACK.std);
      const frames = new Map(tf.tidy(() => [...graph.planeFrames(black)].map(([id, f]) => [id, tf.mul(f, 0.5)] as [number, tf.Tensor])));
      assert.strictEqual(frames.size, 3, 'one frame per block convolution');
      const g = classScoreGradient(model, x, { classIndex: 2, frames });
      const eps = 1e-2;
      for (const [id, frame] of frames) {
        const analytic = g.frameGradients!.get(id)!.dataSync();
        assert.ok(maxAbs(analytic) > 1e-3, `fixture: the frame of tensor ${id} has no gradient`);
        const values = frame.dataSync();
        for (const k of [0, values.length - 1]) {
          const shifted = (d: number) => {
            const v = Float32Array.from(values);
            v[k] += d;
            const moved = new Map(frames);
            moved.set(id, tf.tensor(v, frame.shape));
            const y = tf.tidy(() => classScores(model, x, { frames: moved }).dataSync()[2]);
            moved.get(id)!.dispose();
            return y;
          };
          const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
          assert.ok(Math.abs(numeric - analytic[k]) < 2e-3 + 0.02 * Math.abs(numeric), `frame of tensor ${id}, channel ${k}: ${analytic[k]} vs ${numeric}`);
        }
      }
      tf.dispose([x, black, g.activations, g.gradient, g.scores, ...g.frameGradients!.values(), ...frames.values()]);
    });

    it('a map of a model with no edge signal has no edge excess (and has one when the padding stays the model\'s)', () => {
      const excess = (padding: 'baseline' | 'model') => meanEdgeExcess([1, 2, 3], (model, images) => gradientShap(model, images, { baseline: BLACK, samples: 32, seed: 0, padding }));
      // Measured (3 seeds × 2 images): model's padding right 1.6, bottom 2.8 (left 0.3,
      // top 0.2); the plane: right 0.5, bottom 0.6, left 0.2, top 0.2.
      const plane = excess('baseline');
      assert.ok(plane.right < 1 && plane.bottom < 1, `default: ${JSON.stringify(plane)}`);
      const stripe = excess('model');
      assert.ok(stripe.bottom > 2 && stripe.bottom > 3 * stripe.top && stripe.right > 2 * stripe.left, `model's padding: ${JSON.stringify(stripe)}`);
    });
  });
});
