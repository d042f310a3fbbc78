import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { defaultGradCamLayer, gradCam } from '../lib/explain/grad-cam';
import { layerGraph } from '../lib/explain/layer-graph';
import { neuronImportanceWeights } from '../lib/explain/neuron-importance';
import { upsampleBilinear } from '../lib/explain/upsample';
import { halfPixelGeometry, layerGeometry, MapGeometry } from '../lib/explain/receptive-field';
import { buildPaperNet } from '../lib/model/paper-net';
import { gradientShap } from '../lib/explain/gradient-shap';
import { loadModel, saveModel } from '../lib/model/model-files';
import { maxAbs, maxAbsDiff, normals, paperNetForTests, randomImages } from './explain-fixtures';

/** The activations of `layer` for the images, as a nested array [b][i][j][k]. */
function activationsOf(model: tf.LayersModel, images: tf.Tensor4D, layer: string): number[][][][] {
  const graph = layerGraph(model);
  return tf.tidy(() => graph.evaluate(graph.layerOutput(layer), graph.start(images)).arraySync() as number[][][][]);
}

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-6, what = ''): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length`);
  assert.ok(maxAbsDiff(actual, expected) <= tol, `${what}: got [${Array.from(actual).join(', ')}], expected [${expected.join(', ')}]`);
}

describe('explain: Grad-CAM', function () {
  this.timeout(60_000);
  before(async () => {
    await chooseBackend('cpu');
  });

  describe('a network small enough to work out by hand', () => {
    // Input 4×4×1:            x = 1 2 1 1
    //                             0 1 3 0
    //                             2 0 1 1
    //                             1 1 0 2
    // 'conv': 2×2 kernels, stride 2, valid → 2×2 maps, 2 channels;
    //   filter 0 = [[1,0],[0,1]], bias 0     (main diagonal of each 2×2 patch)
    //   filter 1 = [[0,1],[1,0]], bias −1.5  (anti-diagonal − 1.5)
    //   patches: P00=[[1,2],[0,1]] P01=[[1,1],[3,0]] P10=[[2,0],[1,1]] P11=[[1,1],[0,2]]
    //   Z0 = [[1+1, 1+0], [2+1, 1+2]]           = [[2, 1], [3, 3]]
    //   Z1 = [[2+0, 1+3], [0+1, 1+0]] − 1.5     = [[0.5, 2.5], [−0.5, −0.5]]
    // 'relu': A0 = Z0, A1 = [[0.5, 2.5], [0, 0]]; no pre-activation is 0 (no kink).
    // 'gap': a0 = 9/4 = 2.25, a1 = 3/4 = 0.75.
    // 'scores' (dense): y0 = a0 − a1 + 0.5 = 2, y1 = −a0 + 2a1 = −0.75, y2 = −a0 − a1 = −3.
    const model = (() => {
      const input = tf.input({ shape: [4, 4, 1] });
      const conv = tf.layers.conv2d({ filters: 2, kernelSize: 2, strides: 2, padding: 'valid', name: 'conv' }).apply(input) as tf.SymbolicTensor;
      const relu = tf.layers.reLU({ name: 'relu' }).apply(conv) as tf.SymbolicTensor;
      const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(relu) as tf.SymbolicTensor;
      const scores = tf.layers.dense({ units: 3, name: 'scores' }).apply(gap) as tf.SymbolicTensor;
      const m = tf.model({ inputs: input, outputs: scores });
      tf.tidy(() => {
        // kernel[kh][kw][in][out]
        m.getLayer('conv').setWeights([tf.tensor4d([[[[1, 0]], [[0, 1]]], [[[0, 1]], [[1, 0]]]]), tf.tensor1d([0, -1.5])]);
        m.getLayer('scores').setWeights([tf.tensor2d([[1, -1, -1], [-1, 2, -1]]), tf.tensor1d([0.5, 0, 0])]);
      });
      return m;
    })();
    const x = tf.tensor4d([1, 2, 1, 1, 0, 1, 3, 0, 2, 0, 1, 1, 1, 1, 0, 2], [1, 4, 4, 1]);
    after(() => x.dispose());

    it('class 0 (predicted) at the ReLU output', () => {
      // ∂y0/∂A^k_ij = w_k0 / Z (through the average pool, Z = 4): ∂/∂A0 = 1/4, ∂/∂A1 = −1/4,
      // so α = (1/4, −1/4) and Σ_k α_k A^k = (A0 − A1)/4 = [[1.5, −1.5], [3, 3]]/4
      // = [[0.375, −0.375], [0.75, 0.75]] → ReLU → [[0.375, 0], [0.75, 0.75]].
      const [map] = gradCam(model, x, { layer: 'relu' });
      assert.strictEqual(map.classIndex, 0);
      close([map.score], [2], 1e-6, 'score');
      close(map.alpha, [0.25, -0.25], 1e-7, 'alpha');
      close(map.raw, [0.375, 0, 0.75, 0.75], 1e-6, 'raw');
      assert.deepStrictEqual(map.rawShape, [2, 2]);
      assert.strictEqual(map.allZero, false);
      // Bilinear, half-pixel centres, 2 → 4: output rows/cols 0,1,2,3 sample
      // source positions 0 (clamped), 0.25, 0.75, 1 (clamped). Row 0 of the map
      // [0.375, 0] becomes [0.375, 0.28125, 0.09375, 0]; row 1 [0.75, 0.75] stays
      // 0.75; output row 1 = 0.75·row0 + 0.25·row1 = [0.46875, 0.3984375, 0.2578125, 0.1875],
      // row 2 = 0.25·row0 + 0.75·row1 = [0.65625, 0.6328125, 0.5859375, 0.5625].
      close(map.upsampled, [
        0.375, 0.28125, 0.09375, 0,
        0.46875, 0.3984375, 0.2578125, 0.1875,
        0.65625, 0.6328125, 0.5859375, 0.5625,
        0.75, 0.75, 0.75, 0.75,
      ], 1e-6, 'upsampled');
    });

    it('class 1 at the ReLU output', () => {
      // α = (−1/4, 2/4): (−A0 + 2A1)/4 = [[−2+1, −1+5], [−3, −3]]/4 → ReLU → [[0, 1], [0, 0]].
      const [map] = gradCam(model, x, { layer: 'relu', classIndex: 1 });
      close([map.score], [-0.75], 1e-6, 'score');
      close(map.alpha, [-0.25, 0.5], 1e-7, 'alpha');
      close(map.raw, [0, 1, 0, 0], 1e-6, 'raw');
    });

    it('class 0 at the convolution output (before the ReLU)', () => {
      // Now the gradient passes the ReLU: ∂y0/∂Z^k_ij = (w_k0 / 4)·[Z^k_ij > 0].
      // Z0 > 0 everywhere → α0 = 1/4; Z1 > 0 at 2 of 4 positions → α1 = (−1/4)(2/4) = −1/8.
      // Z0/4 − Z1/8 = [[0.5 − 0.0625, 0.25 − 0.3125], [0.75 + 0.0625, 0.75 + 0.0625]]
      //             = [[0.4375, −0.0625], [0.8125, 0.8125]] → ReLU → [[0.4375, 0], [0.8125, 0.8125]].
      const [map] = gradCam(model, x, { layer: 'conv', classIndex: 0 });
      close(map.alpha, [0.25, -0.125], 1e-7, 'alpha');
      close(map.raw, [0.4375, 0, 0.8125, 0.8125], 1e-6, 'raw');
    });

    it('a class nothing speaks for gives an all-zero map, flagged and finite', () => {
      // α = (−1/4, −1/4): −(A0 + A1)/4 < 0 wherever A0 > 0, which is everywhere.
      const [map] = gradCam(model, x, { layer: 'relu', classIndex: 2 });
      close([map.score], [-3], 1e-6, 'score');
      assert.strictEqual(map.allZero, true);
      assert.ok(map.raw.every((v) => v === 0) && map.upsampled.every((v) => v === 0));
    });
  });

  describe('on conv → ReLU → global average pooling → dense, Grad-CAM is CAM / Z', () => {
    // y_c = b_c + Σ_k w_kc (1/Z) Σ_ij A^k_ij, so ∂y_c/∂A^k_ij = w_kc / Z and
    // α_k^c = w_kc / Z: Grad-CAM = ReLU(Σ_k w_kc A^k) / Z = ReLU(CAM_c) / Z.
    const size = 8;
    const model = (() => {
      const input = tf.input({ shape: [size, size, 3] });
      const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(input) as tf.SymbolicTensor;
      const relu = tf.layers.reLU({ name: 'relu' }).apply(conv) as tf.SymbolicTensor;
      const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(relu) as tf.SymbolicTensor;
      const scores = tf.layers.dense({ units: 3, name: 'scores', kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: 4 }) }).apply(gap) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: scores });
    })();
    const images = randomImages(2, size, 3, 21);
    after(() => images.dispose());

    it('for every class and image, to float32 rounding', () => {
      const w = model.getLayer('scores').getWeights()[0].arraySync() as number[][]; // [k][c]
      const a = activationsOf(model, images, 'relu');
      const Z = size * size;
      let informative = 0;
      for (let c = 0; c < 3; c++) {
        const maps = gradCam(model, images, { layer: 'relu', classIndex: c });
        maps.forEach((map, b) => {
          close(map.alpha, w.map((row) => row[c] / Z), 1e-7, `alpha, class ${c}`);
          const cam: number[] = [];
          for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) cam.push(Math.max(0, a[b][i][j].reduce((s, v, k) => s + w[k][c] * v, 0)));
          if (maxAbs(cam) > 0.1) informative++;
          close(map.raw.map((v) => v * Z), cam, 1e-5 * maxAbs(cam), `class ${c}, image ${b}`);
        });
      }
      assert.ok(informative >= 4, `fixture: only ${informative} of 6 CAMs are non-zero`);
    });
  });

  describe('on the paper network', () => {
    const model = paperNetForTests(16, 5);
    const images = randomImages(5, 16, 3, 31);
    after(() => images.dispose());

    it('defaults to the last block and the predicted class; raw maps at the layer resolution', () => {
      assert.strictEqual(defaultGradCamLayer(model), 'block3_relu');
      const predicted = Array.from(tf.tidy(() => tf.argMax(model.predict(images) as tf.Tensor, 1).dataSync()));
      const scores = (model.predict(images) as tf.Tensor).arraySync() as number[][];
      const maps = gradCam(model, images);
      assert.deepStrictEqual(maps.map((m) => m.classIndex), predicted);
      maps.forEach((m, b) => {
        assert.strictEqual(m.layer, 'block3_relu');
        assert.deepStrictEqual(m.rawShape, [2, 2]); // 16 / 2 / 2 / 2
        assert.deepStrictEqual(m.size, [16, 16]);
        assert.strictEqual(m.alpha.length, 8);
        assert.ok(Math.abs(m.score - scores[b][m.classIndex]) < 1e-5);
      });
      const early = gradCam(model, images, { layer: 'block1_relu', classIndex: 2 });
      assert.deepStrictEqual(early[0].rawShape, [8, 8]);
      assert.ok(early.every((m) => m.classIndex === 2));
      assert.throws(() => gradCam(model, images, { layer: 'dense1' }), /rank 2, not feature maps/);
    });

    it('equals ReLU(Σ_k α_k A^k) from the neuron-importance weights, upsampled on the receptive-field centres, or half-pixel as tf.image.resizeBilinear(halfPixelCenters)', () => {
      const layer = 'block2_relu';
      const alpha = neuronImportanceWeights(model, layer, images, 1);
      const alphaValues = alpha.arraySync();
      alpha.dispose();
      const a = activationsOf(model, images, layer);
      const maps = gradCam(model, images, { layer, classIndex: 1 });
      maps.forEach((map, b) => {
        close(map.alpha, alphaValues[b], 1e-7, 'alpha');
        const expected: number[] = [];
        for (const row of a[b]) for (const pixel of row) expected.push(Math.max(0, pixel.reduce((s, v, k) => s + alphaValues[b][k] * v, 0)));
        close(map.raw, expected, 1e-6 * Math.max(1, maxAbs(expected)), `image ${b}`);
        // Default: on the receptive-field centres (block 2 of 16 px: cell j on pixel 4j + 3).
        assert.strictEqual(map.upsampling, 'receptive-field');
        assert.deepStrictEqual(map.geometry.rows, { offset: 3, stride: 4, size: 7 });
        close(map.upsampled, Array.from(upsampleBilinear(map.raw, 4, 4, 16, 16, map.geometry)), 0, 'receptive-field upsampling');
      });
      // Half-pixel on request: exactly tf.image.resizeBilinear with half-pixel centres.
      gradCam(model, images, { layer, classIndex: 1, upsampling: 'half-pixel' }).forEach((map) => {
        assert.strictEqual(map.upsampling, 'half-pixel');
        assert.deepStrictEqual(map.geometry.rows, { offset: 1.5, stride: 4, size: 4 });
        const resized = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(map.raw, [4, 4, 1]), [16, 16], false, true).dataSync());
        assert.ok(maxAbsDiff(map.upsampled, resized) <= 1e-6 * Math.max(1, maxAbs(resized)));
      });
      assert.throws(() => gradCam(model, images, { upsampling: 'nearest' as never }), /upsampling must be 'receptive-field' or 'half-pixel'/);
    });

    it("explains log p_c with target 'log-prob': α from its gradients, score the log-probability", () => {
      const layer = 'block2_relu';
      const maps = gradCam(model, images, { layer, classIndex: 2, target: 'log-prob' });
      const alpha = neuronImportanceWeights(model, layer, images, 2, 'log-prob');
      const alphaValues = alpha.arraySync();
      alpha.dispose();
      const y = (model.predict(images) as tf.Tensor).arraySync() as number[][];
      maps.forEach((map, b) => {
        assert.strictEqual(map.target, 'log-prob');
        close(map.alpha, alphaValues[b], 1e-7, 'alpha');
        close([map.score], [y[b][2] - Math.log(y[b].reduce((s, v) => s + Math.exp(v), 0))], 1e-5, 'score');
      });
      const logit = gradCam(model, images, { layer, classIndex: 2 });
      assert.ok(logit.every((m) => m.target === 'logit'));
      assert.ok(maps.some((m, b) => maxAbsDiff(m.alpha, logit[b].alpha) > 1e-3 * maxAbs(logit[b].alpha)), 'the softmax term changes α');
    });

    it('gives the same maps in one batch, in chunks, and one image at a time', () => {
      const all = gradCam(model, images, { classIndex: [0, 1, 2, 3, 4] });
      const chunked = gradCam(model, images, { classIndex: [0, 1, 2, 3, 4], batchSize: 2 });
      for (let b = 0; b < 5; b++) {
        const one = tf.slice(images, [b, 0, 0, 0], [1, 16, 16, 3]);
        const [single] = gradCam(model, one, { classIndex: b });
        one.dispose();
        for (const other of [chunked[b], single]) {
          assert.ok(maxAbsDiff(all[b].raw, other.raw) <= 1e-5 * Math.max(1, maxAbs(other.raw)));
          assert.ok(maxAbsDiff(all[b].alpha, other.alpha) <= 1e-6);
        }
      }
    });

    it('explains a model saved and loaded in the layers format exactly as the original', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-explain-'));
      try {
        await saveModel(model, dir);
        const loaded = await loadModel(dir);
        const [a, b] = [gradCam(model, images), gradCam(loaded, images)];
        a.forEach((m, i) => assert.deepStrictEqual(Array.from(b[i].raw), Array.from(m.raw)));
        const options = { baseline: { kind: 'blur' as const, sigma: 1 }, samples: 4, seed: 1 };
        assert.deepStrictEqual(Array.from(gradientShap(loaded, images, options)[0].map), Array.from(gradientShap(model, images, options)[0].map));
        loaded.dispose();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('leaves no tensors behind', () => {
      const before = tf.memory().numTensors;
      gradCam(model, images, { batchSize: 2 });
      gradCam(model, images, { layer: 'block1_relu', classIndex: 0 });
      assert.strictEqual(tf.memory().numTensors, before);
    });
  });

  describe('bilinear upsampling', () => {
    it('keeps a constant map constant and reproduces a linear ramp in the interior', () => {
      const flat = upsampleBilinear(new Float32Array(9).fill(2.5), 3, 3, 12, 12);
      assert.ok(flat.every((v) => Math.abs(v - 2.5) < 1e-6));
      // ramp along x: value = column index; at output column X the source
      // position is (X + 0.5)/4 − 0.5, so away from the clamped borders value = that.
      const ramp = upsampleBilinear(Float32Array.from({ length: 9 }, (_, i) => i % 3), 3, 3, 12, 12);
      for (let X = 2; X < 10; X++) assert.ok(Math.abs(ramp[12 * 5 + X] - ((X + 0.5) / 4 - 0.5)) < 1e-6);
      const values = normals(12, 3);
      assert.ok(maxAbsDiff(upsampleBilinear(values, 3, 4, 3, 4), values) === 0, 'same size is the identity');
    });
  });

  describe('alignment on the receptive field', () => {
    /**
     * The receptive field of every cell of `layer`, measured rather than derived:
     * with every kernel set to ones and no nonlinearity, an impulse at input
     * pixel p gives a positive output exactly in the cells that see p. Returns,
     * per cell, the first and last row and column that reach it.
     */
    function measuredFields(model: tf.LayersModel, layer: string): { rows: [number, number]; cols: [number, number] }[][] {
      const graph = layerGraph(model);
      const [, H, W] = model.inputs[0].shape as number[];
      const out = tf.tidy(() => {
        const impulses = tf.reshape(tf.oneHot(tf.range(0, H * W, 1, 'int32'), H * W).toFloat(), [H * W, H, W, 1]);
        return graph.evaluate(graph.layerOutput(layer), graph.start(impulses)).arraySync() as number[][][][];
      });
      const [u, v] = [out[0].length, out[0][0].length];
      const fields = Array.from({ length: u }, () => Array.from({ length: v }, () => ({ rows: [Infinity, -Infinity] as [number, number], cols: [Infinity, -Infinity] as [number, number] })));
      out.forEach((cells, p) => {
        const [y, x] = [Math.floor(p / W), p % W];
        for (let i = 0; i < u; i++) {
          for (let j = 0; j < v; j++) {
            if (!(cells[i][j][0] > 0)) continue;
            const f = fields[i][j];
            f.rows = [Math.min(f.rows[0], y), Math.max(f.rows[1], y)];
            f.cols = [Math.min(f.cols[0], x), Math.max(f.cols[1], x)];
          }
        }
      });
      return fields;
    }

    /** A linear stack of window layers with all-ones kernels (so gradients mark the receptive field). */
    function onesStack(size: [number, number], layers: tf.layers.Layer[]): tf.LayersModel {
      const input = tf.input({ shape: [size[0], size[1], 1] });
      let x: tf.SymbolicTensor = input;
      for (const l of layers) x = l.apply(x) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: x });
      for (const l of model.layers) tf.tidy(() => l.setWeights(l.getWeights().map((w) => tf.onesLike(w))));
      return model;
    }
    const conv = (name: string, kernelSize: number, strides: number, padding: 'same' | 'valid', dilationRate = 1) =>
      tf.layers.conv2d({ name, filters: 1, kernelSize, strides, padding, dilationRate, useBias: false });

    it("derives the paper network's geometry from its layers: block 3 cell j centred on pixel 8j + 7 at 128 px (TF 'same' pads only bottom/right)", () => {
      const paper = buildPaperNet({ size: 128, seed: 1 });
      assert.deepStrictEqual(layerGeometry(paper, 'block1_relu').rows, { offset: 1, stride: 2, size: 3 });
      assert.deepStrictEqual(layerGeometry(paper, 'block2_relu').cols, { offset: 3, stride: 4, size: 7 });
      assert.deepStrictEqual(layerGeometry(paper, 'block3_relu'), { rows: { offset: 7, stride: 8, size: 15 }, cols: { offset: 7, stride: 8, size: 15 } });
      // The half-pixel resize would put it on 8j + 3.5.
      assert.deepStrictEqual(halfPixelGeometry(16, 16, 128, 128).rows, { offset: 3.5, stride: 8, size: 8 });
      paper.dispose();
    });

    const stacks: { name: string; size: [number, number]; layers: () => tf.layers.Layer[]; layer: string }[] = [
      { name: "the paper's three 3×3 stride-2 'same' convolutions, 32 px", size: [32, 32], layers: () => [conv('c1', 3, 2, 'same'), conv('c2', 3, 2, 'same'), conv('c3', 3, 2, 'same')], layer: 'c3' },
      { name: "odd sizes ('same' pads one pixel before): 21×19", size: [21, 19], layers: () => [conv('c1', 3, 2, 'same'), conv('c2', 3, 2, 'same')], layer: 'c2' },
      { name: "'valid', a 5×5 kernel at stride 3, dilation and max pooling", size: [40, 40], layers: () => [conv('c1', 5, 3, 'valid'), conv('c2', 3, 1, 'same', 2), tf.layers.maxPooling2d({ name: 'p', poolSize: 2 })], layer: 'p' },
      { name: 'explicit symmetric padding (PyTorch-style) then valid convolutions', size: [32, 32], layers: () => [tf.layers.zeroPadding2d({ name: 'z1', padding: 1 }), conv('c1', 3, 2, 'valid'), tf.layers.zeroPadding2d({ name: 'z2', padding: 1 }), conv('c2', 3, 2, 'valid')], layer: 'c2' },
    ];
    for (const stack of stacks) {
      it(`matches the measured receptive field of every cell: ${stack.name}`, () => {
        const model = onesStack(stack.size, stack.layers());
        const g = layerGeometry(model, stack.layer);
        const fields = measuredFields(model, stack.layer);
        // Where an earlier layer's padding or a 'valid' remainder cuts a field,
        // the measured span is the nominal one clipped to the pixels any cell
        // reaches; elsewhere they are equal.
        const reach = (axis: 'rows' | 'cols'): [number, number] => [
          Math.min(...fields.flat().map((f) => f[axis][0])),
          Math.max(...fields.flat().map((f) => f[axis][1])),
        ];
        const nominal = (a: { offset: number; stride: number; size: number }, k: number, [lo, hi]: [number, number]): [number, number] => {
          const half = (a.size - 1) / 2;
          return [Math.max(lo, a.offset + a.stride * k - half), Math.min(hi, a.offset + a.stride * k + half)];
        };
        const [rows, cols] = [reach('rows'), reach('cols')];
        let interior = 0;
        for (let i = 0; i < fields.length; i++) {
          for (let j = 0; j < fields[i].length; j++) {
            assert.deepStrictEqual(fields[i][j].rows, nominal(g.rows, i, rows), `cell (${i}, ${j}) rows`);
            assert.deepStrictEqual(fields[i][j].cols, nominal(g.cols, j, cols), `cell (${i}, ${j}) cols`);
            if (fields[i][j].rows[1] - fields[i][j].rows[0] + 1 === g.rows.size) interior++;
          }
        }
        assert.ok(interior > 0, 'fixture: no cell has its whole field inside the image');
        model.dispose();
      });
    }

    it("puts a single active cell's peak on its receptive field's centre (half-pixel puts it 3.5 px up and left)", () => {
      const paper = buildPaperNet({ size: 128, seed: 1 });
      const geometry: MapGeometry = layerGeometry(paper, 'block3_relu');
      paper.dispose();
      for (const [ci, cj] of [[5, 9], [0, 0], [15, 15], [15, 3]]) {
        const raw = new Float32Array(256);
        raw[ci * 16 + cj] = 1;
        const peak = (m: Float32Array) => {
          const best = Math.max(...m);
          const at: [number, number][] = [];
          m.forEach((value, p) => value === best && at.push([Math.floor(p / 128), p % 128]));
          return { best, at };
        };
        const field = peak(upsampleBilinear(raw, 16, 16, 128, 128, geometry));
        // Exactly 1 at the centre of the cell's 15×15 field, 8j + 7; for an
        // interior cell there only (before cell 0's centre the map is clamped,
        // so cell 0's plateau runs to the top/left border).
        const centre: [number, number] = [8 * ci + 7, 8 * cj + 7];
        assert.strictEqual(field.best, 1);
        if (ci > 0 && cj > 0) assert.deepStrictEqual(field.at, [centre], `cell (${ci}, ${cj})`);
        else assert.ok(field.at.some(([y, x]) => y === centre[0] && x === centre[1]) && field.at.every(([y, x]) => y <= centre[0] && x <= centre[1]), `cell (${ci}, ${cj})`);
        const half = peak(upsampleBilinear(raw, 16, 16, 128, 128));
        const mid = (at: [number, number][]) => [at.reduce((s, p) => s + p[0], 0) / at.length, at.reduce((s, p) => s + p[1], 0) / at.length];
        if (ci > 0 && ci < 15 && cj > 0 && cj < 15) assert.deepStrictEqual(mid(half.at), [8 * ci + 3.5, 8 * cj + 3.5]);
      }
    });
  });
});
