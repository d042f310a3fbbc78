// The speed work on the wasm training kernels must not change a single bit of
// any result (issue 16: the main job's metrics and audit tables stay byte for
// byte what they were). Each faster kernel is compared with the one it
// replaced, on random inputs of the paper network's shapes and on odd ones
// (stride 1 and 2, 'same' and 'valid', batch 1, channel counts that are not
// multiples of the SIMD width, NCHW), as raw float32 bit patterns.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { directFilterGradientApplies, useIm2colFilterGradient } from '../lib/backend/wasm-kernels/conv2d-backprop-filter';
import { directInputGradientApplies, usePhaseInputGradient } from '../lib/backend/wasm-kernels/conv2d-backprop-input';
import { directConv2DApplies, useXnnpackConv2D } from '../lib/backend/wasm-kernels/conv2d';
import { useUnfusedBatchNorm } from '../lib/backend/wasm-kernels/batch-norm-kernels';
import { useOriginalSlice } from '../lib/backend/wasm-kernels/slice';
import { tileVectors } from '../lib/backend/wasm-kernels/simd/conv-tiles';
import { nativeKernels, useNativeKernels } from '../lib/backend/native/native-kernels';
import { buildPaperNet } from '../lib/model/paper-net';
import { paperOptimizer, trainStep } from '../lib/train/step';
import { createRandom } from '../lib/util/random';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const random = createRandom(seed);
  return tf.tensor(Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => random.normal(0, 1)), shape);
}

/** Index and bit patterns of the first differing element, or undefined when all bits agree. */
function firstBitDifference(a: Float32Array, b: Float32Array): string | undefined {
  assert.strictEqual(a.length, b.length, 'sizes differ');
  const ai = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const bi = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let differing = 0;
  let first = -1;
  for (let i = 0; i < ai.length; i++) {
    if (ai[i] !== bi[i]) {
      differing++;
      if (first < 0) first = i;
    }
  }
  if (differing === 0) return undefined;
  return `${differing} of ${a.length} values differ, first at ${first}: ${a[first]} vs ${b[first]}`;
}

function values(t: tf.Tensor): Float32Array {
  const v = Float32Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return v;
}

interface FilterCase {
  x: [number, number, number, number];
  kernel: number;
  outChannels: number;
  stride: number;
  pad: 'same' | 'valid';
  dataFormat?: 'NHWC' | 'NCHW';
}

/** Runs `run` with the previous kernel (`usePrevious(true)`), then with the new one, and compares the bits. */
function assertSameBits(usePrevious: (on: boolean) => void, run: () => Float32Array): void {
  usePrevious(true);
  const before = run();
  usePrevious(false);
  const after = run();
  assert.ok(before.some((v) => v !== 0), 'all zeros: the comparison would prove nothing');
  assert.strictEqual(firstBitDifference(after, before), undefined);
}

function outSize(size: number, c: FilterCase): number {
  return c.pad === 'same' ? Math.ceil(size / c.stride) : Math.ceil((size - c.kernel + 1) / c.stride);
}

/** A gradient case's name and shapes: its input channels, the filter's and the output gradient's. */
function gradientCase(c: FilterCase, what: string) {
  const nchw = c.dataFormat === 'NCHW';
  const [n, d1, d2, d3] = c.x;
  const [h, w, cin] = nchw ? [d2, d3, d1] : [d1, d2, d3];
  const [ho, wo] = [outSize(h, c), outSize(w, c)];
  return {
    label: `${what} [${c.x}] ${c.dataFormat ?? 'NHWC'}, ${c.kernel}×${c.kernel}→${c.outChannels}, stride ${c.stride}, ${c.pad}`,
    cin,
    filterShape: [c.kernel, c.kernel, cin, c.outChannels],
    dyShape: nchw ? [n, c.outChannels, ho, wo] : [n, ho, wo, c.outChannels],
  };
}

describe('wasm kernels: faster and bit-identical to the kernels they replaced', function () {
  this.timeout(120_000);
  before(async () => {
    await chooseBackend('wasm');
  });
  after(() => {
    useIm2colFilterGradient(false);
    usePhaseInputGradient(false);
    useXnnpackConv2D(false);
    useUnfusedBatchNorm(false);
    useOriginalSlice(false);
  });

  describe('Slice: one copy inside the heap vs tfjs-backend-wasm (which first copies the whole input out)', () => {
    // Contiguous (a batch's images, a row block), strided (falls back), int32, the whole tensor, an empty slice.
    const cases: { shape: number[]; begin: number[]; size: number[]; dtype?: 'int32' }[] = [
      { shape: [64, 16, 16, 3], begin: [32, 0, 0, 0], size: [32, -1, -1, -1] },
      { shape: [10, 7], begin: [3, 0], size: [4, 7] },
      { shape: [6, 5, 4], begin: [1, 2, 0], size: [1, 2, 4] },
      { shape: [6, 5, 4], begin: [1, 1, 1], size: [3, 2, 2] },
      { shape: [12, 9], begin: [2, 0], size: [5, -1], dtype: 'int32' },
      { shape: [8, 3], begin: [0, 0], size: [-1, -1] },
      { shape: [8, 3], begin: [4, 0], size: [0, 3] },
    ];
    cases.forEach((c, i) => {
      it(`slice [${c.shape}] at [${c.begin}] size [${c.size}]${c.dtype ? ` (${c.dtype})` : ''}`, () => {
        const x = tf.cast(randomTensor(c.shape, 1200 + i).mul(100), c.dtype ?? 'float32');
        useOriginalSlice(true);
        const before = tf.slice(x, c.begin, c.size);
        useOriginalSlice(false);
        const after = tf.slice(x, c.begin, c.size);
        assert.deepStrictEqual(after.shape, before.shape);
        assert.strictEqual(after.dtype, before.dtype);
        const [a, b] = [after.dataSync(), before.dataSync()];
        if (a.length) assert.ok(Array.from(b).some((v) => v !== 0), 'all zeros: the comparison would prove nothing');
        assert.strictEqual(firstBitDifference(new Float32Array(a.buffer, a.byteOffset, a.length), new Float32Array(b.buffer, b.byteOffset, b.length)), undefined);
        tf.dispose([x, before, after]);
      });
    });
  });

  describe('batch normalisation in training mode: fused SIMD passes vs XNNPACK passes', () => {
    // Output, gradients (x, γ, β) and moving statistics, concatenated; x has a large mean (3).
    const run = (shape: number[], seed: number) => () =>
      tf.tidy(() => {
        const channels = shape[shape.length - 1];
        const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
        const random = createRandom(seed);
        const normal = (n: number, mean: number, std: number) => Float32Array.from({ length: n }, () => random.normal(mean, std));
        const x = tf.tensor(normal(tf.util.sizeFromShape(shape), 3, 2), shape);
        layer.build(x.shape);
        layer.setWeights([tf.tensor1d(normal(channels, 1, 0.5)), tf.tensor1d(normal(channels, 0, 1)), tf.zeros([channels]), tf.ones([channels])]);
        const r = tf.tensor(normal(x.size, 0, 1), x.shape);
        const [gamma, beta] = layer.trainableWeights.map((w) => w.read());
        const y = layer.apply(x, { training: true }) as tf.Tensor;
        const grads = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a, { training: true }) as tf.Tensor, r)))([x, gamma, beta]);
        return values(tf.concat([y, ...grads, ...layer.getWeights().slice(2)].map((t) => t.flatten())));
      });
    for (const shape of [[2, 64, 64, 32], [2, 32, 32, 64], [4, 16, 16, 128], [1, 5, 3, 8], [40, 12], [3, 10, 4]]) {
      it(`x [${shape}]`, () => assertSameBits(useUnfusedBatchNorm, run(shape, 1000 + shape.length)));
    }
  });

  // Each convolution suite runs on both engines: the native twins where they
  // build (output channels in 16-float vectors) and the wasm SIMD kernels.
  for (const engine of [
    { name: 'native kernels', native: true },
    { name: 'wasm SIMD kernels', native: false },
  ]) {
    describe(`on the ${engine.name}`, function () {
      before(function () {
        const state = nativeKernels();
        if (engine.native && !state.kernels) {
          console.log(`      (skipped: ${state.reason})`);
          this.skip();
        }
        useNativeKernels(engine.native);
        // The paper network's channel counts must reach the engine under test.
        assert.strictEqual(tileVectors(64), engine.native ? 16 : 2);
      });
      after(() => useNativeKernels(true));

    describe('Conv2D: direct SIMD kernel vs XNNPACK', () => {
      const cases: (FilterCase & { dilation?: number })[] = [
        // The paper network's second and third layers.
        { x: [4, 64, 64, 32], kernel: 3, outChannels: 64, stride: 2, pad: 'same' },
        // Its first (3 input channels): the native kernel only; the wasm one leaves it to XNNPACK.
        { x: [4, 128, 128, 3], kernel: 3, outChannels: 32, stride: 2, pad: 'same' },
        { x: [2, 9, 10, 5], kernel: 3, outChannels: 16, stride: 1, pad: 'valid' },
        { x: [4, 32, 32, 64], kernel: 3, outChannels: 128, stride: 2, pad: 'same' },
        // Odd shapes: batch 1, stride 1 and 3, 'valid', odd sizes, dilation 2, 1×1, channels 4 and 12.
        { x: [1, 9, 9, 16], kernel: 3, outChannels: 12, stride: 2, pad: 'same' },
        { x: [2, 10, 7, 20], kernel: 3, outChannels: 4, stride: 1, pad: 'valid' },
        { x: [3, 11, 11, 17], kernel: 5, outChannels: 8, stride: 3, pad: 'same' },
        { x: [2, 9, 9, 16], kernel: 3, outChannels: 8, stride: 1, pad: 'same', dilation: 2 },
        { x: [2, 8, 8, 24], kernel: 1, outChannels: 36, stride: 1, pad: 'valid' },
        { x: [1, 7, 6, 16], kernel: 2, outChannels: 20, stride: 2, pad: 'same' },
      ];
      cases.forEach((c, i) => {
        const label = `y of x [${c.x}], ${c.kernel}×${c.kernel}→${c.outChannels}, stride ${c.stride}, ${c.pad}${c.dilation ? `, dilation ${c.dilation}` : ''}`;
        it(label, function () {
          const info = tf.backend_util.computeConv2DInfo(c.x, [c.kernel, c.kernel, c.x[3], c.outChannels], c.stride, c.dilation ?? 1, c.pad);
          if (!directConv2DApplies(info, 'NHWC')) {
            assert.ok(!engine.native && c.x[3] < 16, 'the case would not take the direct path');
            this.skip();
          }
          const x = randomTensor(c.x, 700 + i) as tf.Tensor4D;
          const filter = randomTensor([c.kernel, c.kernel, c.x[3], c.outChannels], 800 + i) as tf.Tensor4D;
          assertSameBits(useXnnpackConv2D, () => values(tf.conv2d(x, filter, c.stride, c.pad, 'NHWC', c.dilation ?? 1)));
          tf.dispose([x, filter]);
        });
      });
    });

    describe('Conv2DBackpropFilter: direct SIMD kernel vs im2col + XNNPACK GEMM', () => {
      const cases: FilterCase[] = [
        // The paper network's three layers (batch 4 instead of 32: the same code path per row).
        { x: [4, 128, 128, 3], kernel: 3, outChannels: 32, stride: 2, pad: 'same' },
        { x: [4, 64, 64, 32], kernel: 3, outChannels: 64, stride: 2, pad: 'same' },
        { x: [4, 32, 32, 64], kernel: 3, outChannels: 128, stride: 2, pad: 'same' },
        // Odd shapes: batch 1, stride 1, 'valid', odd sizes, channels that are no multiple of 4 or 8.
        { x: [1, 9, 9, 5], kernel: 3, outChannels: 12, stride: 2, pad: 'same' },
        { x: [2, 10, 7, 6], kernel: 3, outChannels: 20, stride: 1, pad: 'valid' },
        { x: [3, 11, 11, 7], kernel: 3, outChannels: 4, stride: 2, pad: 'valid' },
        { x: [2, 12, 12, 1], kernel: 5, outChannels: 8, stride: 3, pad: 'same' },
        { x: [2, 8, 8, 2], kernel: 1, outChannels: 16, stride: 1, pad: 'same' },
        { x: [1, 7, 7, 9], kernel: 2, outChannels: 36, stride: 2, pad: 'same' },
        { x: [2, 9, 8, 6], kernel: 3, outChannels: 8, stride: 2, pad: 'same', dataFormat: 'NCHW' },
      ];
      cases.forEach((c, i) => {
        const { label, filterShape, dyShape } = gradientCase(c, 'x');
        it(label, () => {
          assert.ok(directFilterGradientApplies(c.outChannels), 'the case would not take the direct path');
          const x = randomTensor(c.x, 300 + i);
          const dy = randomTensor(dyShape, 400 + i);
          const attrs = { strides: c.stride, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC', filterShape };
          assertSameBits(useIm2colFilterGradient, () => values(tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor));
          tf.dispose([x, dy]);
        });
      });
    });
    describe('Conv2DBackpropInput: direct SIMD kernel vs one XNNPACK Conv2D per sub-pixel phase', () => {
      const cases: FilterCase[] = [
        // The layers whose input gradient training needs (the first layer's is never computed).
        { x: [4, 64, 64, 32], kernel: 3, outChannels: 64, stride: 2, pad: 'same' },
        // The first layer's, which an attribution needs (the image's 3 channels: padded to one vector by the native kernel).
        { x: [2, 128, 128, 3], kernel: 3, outChannels: 32, stride: 2, pad: 'same' },
        { x: [4, 32, 32, 64], kernel: 3, outChannels: 128, stride: 2, pad: 'same' },
        // Odd shapes: batch 1, stride 1 and 3, 'valid', odd sizes, filters smaller than the stride, channels 4 and 12.
        { x: [1, 9, 9, 8], kernel: 3, outChannels: 12, stride: 2, pad: 'same' },
        { x: [2, 10, 7, 4], kernel: 3, outChannels: 6, stride: 1, pad: 'valid' },
        { x: [3, 11, 11, 12], kernel: 3, outChannels: 5, stride: 2, pad: 'valid' },
        { x: [2, 12, 12, 4], kernel: 5, outChannels: 3, stride: 3, pad: 'same' },
        { x: [2, 8, 8, 8], kernel: 1, outChannels: 16, stride: 2, pad: 'valid' },
        { x: [1, 7, 7, 16], kernel: 2, outChannels: 3, stride: 2, pad: 'same' },
        { x: [2, 8, 9, 8], kernel: 3, outChannels: 8, stride: 2, pad: 'same', dataFormat: 'NCHW' },
        // Padded channels (native): 1, 5 and 6 input channels, stride 1 and 3.
        { x: [2, 9, 9, 1], kernel: 3, outChannels: 16, stride: 1, pad: 'same' },
        { x: [2, 10, 11, 5], kernel: 3, outChannels: 12, stride: 2, pad: 'valid' },
        { x: [1, 12, 12, 6], kernel: 5, outChannels: 20, stride: 3, pad: 'same' },
      ];
      cases.forEach((c, i) => {
        const { label, cin, filterShape, dyShape } = gradientCase(c, 'dx');
        it(label, function () {
          if (!directInputGradientApplies(cin)) {
            // Only the native kernels pad channels that are no multiple of 4; the wasm ones keep the per-phase path.
            assert.ok(!engine.native && cin % 4 !== 0, 'the case would not take the direct path');
            this.skip();
          }
          const filter = randomTensor(filterShape, 500 + i);
          const dy = randomTensor(dyShape, 600 + i);
          const attrs = { strides: c.stride, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC', inputShape: c.x };
          assertSameBits(usePhaseInputGradient, () => values(tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor));
          tf.dispose([filter, dy]);
        });
      });
    });
    describe('the paper network end to end', () => {
      /** Weights after Adam steps, the losses, and an inference-mode input gradient, with the previous kernels or the new ones. */
      function trajectory(previous: boolean) {
        useIm2colFilterGradient(previous);
        usePhaseInputGradient(previous);
        useXnnpackConv2D(previous);
        const model = buildPaperNet({ size: 40, seed: 5 });
        const optimizer = paperOptimizer();
        const x = randomTensor([6, 40, 40, 3], 900) as tf.Tensor4D;
        const y = tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32');
        const losses = [0, 1, 2].map(() => trainStep(model, optimizer, x, y).loss);
        const gradient = tf.grad((input: tf.Tensor) => tf.sum(tf.logSoftmax(model.apply(input, { training: false }) as tf.Tensor2D).slice([0, 0], [-1, 1])))(x);
        const result = { losses, weights: model.getWeights().map((w) => Float32Array.from(w.dataSync())), gradient: values(gradient) };
        tf.dispose([x, y]);
        optimizer.dispose();
        model.dispose();
        return result;
      }

      it('three training steps and a GradientSHAP-style input gradient give the same bits as with the previous kernels', () => {
        const before = trajectory(true);
        const after = trajectory(false);
        assert.deepStrictEqual(after.losses, before.losses);
        assert.strictEqual(after.weights.length, before.weights.length);
        after.weights.forEach((w, i) => assert.strictEqual(firstBitDifference(w, before.weights[i]), undefined, `weight ${i}`));
        assert.strictEqual(firstBitDifference(after.gradient, before.gradient), undefined, 'input gradient');
      });
    });
    });
  }
});

describe('kernels on 2 threads (the threaded wasm build, or the native kernels): bit-identical to one thread (SMILE_LENS_WASM_THREADS=2, child process)', function () {
  this.timeout(120_000);
  it('convolutions, their filter and input gradients, and training-mode batch norm at the paper network’s layers (the new kernels split over 2 threads vs the previous kernels on 1)', () => {
    const script = `
      const tf = require('@tensorflow/tfjs');
      const crypto = require('crypto');
      const { chooseBackend } = require('./lib/backend/select.ts');
      const { useIm2colFilterGradient } = require('./lib/backend/wasm-kernels/conv2d-backprop-filter.ts');
      const { usePhaseInputGradient } = require('./lib/backend/wasm-kernels/conv2d-backprop-input.ts');
      const { useXnnpackConv2D } = require('./lib/backend/wasm-kernels/conv2d.ts');
      const { useUnfusedBatchNorm } = require('./lib/backend/wasm-kernels/batch-norm-kernels.ts');
      (async () => {
        await chooseBackend('wasm');
        useIm2colFilterGradient(process.env.BEFORE === '1');
        usePhaseInputGradient(process.env.BEFORE === '1');
        useXnnpackConv2D(process.env.BEFORE === '1');
        useUnfusedBatchNorm(process.env.BEFORE === '1');
        const hashes = [];
        let x2;
        for (const [n, h, c, co] of [[2, 128, 3, 32], [2, 64, 32, 64], [2, 32, 64, 128], [1, 9, 5, 12]]) {
          const x = tf.randomNormal([n, h, h, c], 0, 1, 'float32', 11);
          const dy = tf.randomNormal([n, Math.ceil(h / 2), Math.ceil(h / 2), co], 0, 1, 'float32', 12);
          const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, c, co] });
          hashes.push(crypto.createHash('sha256').update(Buffer.from(dw.dataSync().buffer)).digest('hex'));
          const w = tf.randomNormal([3, 3, c, co], 0, 1, 'float32', 13);
          const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [n, h, h, c] });
          hashes.push(crypto.createHash('sha256').update(Buffer.from(dx.dataSync().buffer)).digest('hex'));
          const y = tf.conv2d(x, w, 2, 'same');
          hashes.push(crypto.createHash('sha256').update(Buffer.from(y.dataSync().buffer)).digest('hex'));
          // Batch norm in training mode on the convolution's output: normalised values and all three gradients.
          const gamma = tf.randomNormal([co], 1, 0.5, 'float32', 14);
          const beta = tf.randomNormal([co], 0, 1, 'float32', 15);
          const { batchNormTraining } = require('./lib/backend/wasm-kernels/batch-norm-training.ts');
          const bn = (a, g, b) => tf.sum(tf.mul(batchNormTraining(a, g, b, 1e-5).normed, dy));
          for (const t of [batchNormTraining(x2 = tf.randomNormal([n, Math.ceil(h / 2), Math.ceil(h / 2), co], 3, 2, 'float32', 16), gamma, beta, 1e-5).normed, ...tf.grads(bn)([x2, gamma, beta])]) {
            hashes.push(crypto.createHash('sha256').update(Buffer.from(t.dataSync().buffer)).digest('hex'));
          }
        }
        const wasm = require('@tensorflow/tfjs-backend-wasm');
        const native = require('./lib/backend/native/native-kernels.ts');
        require('fs').writeSync(1, JSON.stringify({ threads: wasm.getThreadsCount(), nativeThreads: native.activeNativeKernels() ? native.nativeThreads() : 0, hashes }));
        process.exit(0);
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const runChild = (threads: string, before: string, native: string) => {
      const out = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
        cwd: path.resolve(__dirname, '..'),
        encoding: 'utf8',
        timeout: 100_000,
        env: { ...process.env, SMILE_LENS_WASM_THREADS: threads, BEFORE: before, SMILE_LENS_NATIVE: native },
      });
      assert.strictEqual(out.status, 0, out.stderr);
      return JSON.parse(out.stdout) as { threads: number; nativeThreads: number; hashes: string[] };
    };
    const before = runChild('1', '1', 'off');
    // Without the native kernels the threads go to the threaded wasm build.
    const threaded = runChild('2', '0', 'off');
    assert.strictEqual(threaded.threads, 2, 'the threaded build did not start 2 threads');
    assert.deepStrictEqual(threaded.hashes, before.hashes);
    // With them, to the native kernels (the threaded build stays off).
    const native = runChild('2', '0', 'on');
    assert.deepStrictEqual([native.threads, native.nativeThreads], [1, 2], 'the native kernels did not take the 2 threads');
    assert.deepStrictEqual(native.hashes, before.hashes);
  });
  it('many back-to-back small kernels on 2 threads all finish (helper hand-over under load)', () => {
    const script = `
      const tf = require('@tensorflow/tfjs');
      const { chooseBackend } = require('./lib/backend/select.ts');
      (async () => {
        await chooseBackend('wasm');
        const x = tf.randomNormal([2, 6, 6, 16], 0, 1, 'float32', 1);
        const w = tf.randomNormal([3, 3, 16, 8], 0, 1, 'float32', 2);
        let sum = 0;
        for (let i = 0; i < 3000; i++) tf.tidy(() => { sum += tf.conv2d(x, w, 1, 'same').dataSync()[i % 100]; });
        require('fs').writeSync(1, JSON.stringify({ sum }));
        process.exit(0);
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const out = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
      cwd: path.resolve(__dirname, '..'),
      encoding: 'utf8',
      timeout: 100_000,
      env: { ...process.env, SMILE_LENS_WASM_THREADS: '2', SMILE_LENS_NATIVE: 'off' },
    });
    assert.strictEqual(out.signal, null, 'the child hung (killed after 100 s)');
    assert.strictEqual(out.status, 0, out.stderr);
    assert.ok(Number.isFinite(JSON.parse(out.stdout).sum));
  });
});
