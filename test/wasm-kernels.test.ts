// The wasm backend's training kernels (lib/backend/wasm-kernels) against the
// cpu backend, which runs tfjs' own reference implementations.
//
// Tolerance: max |wasm − cpu| ≤ 1e-5 × max |cpu| over a whole tensor (float32
// sums of up to a few thousand terms in a different order; measured ≤ 2e-6).
// A wrong tap, phase, padding offset or channel order gives errors of order 1.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { buildPaperNet } from '../lib/model/paper-net';
import { paperOptimizer, trainStep } from '../lib/train/step';
import { createRandom } from '../lib/util/random';

const TOLERANCE = 1e-5;

function randomArray(size: number, seed: number, mean = 0, std = 1): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: size }, () => random.normal(mean, std));
}

/** max |a − b| / max |b|; throws on a shape mismatch or an all-zero reference. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.strictEqual(actual.length, expected.length, 'sizes differ');
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
  }
  assert.ok(scale > 0, 'reference is all zeros: the comparison would prove nothing');
  return diff / scale;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = TOLERANCE): void {
  const err = relativeError(actual, expected);
  assert.ok(err <= tolerance, `${what}: relative error ${err.toExponential(2)} > ${tolerance}`);
}

/** Runs `fn` on a backend and returns its tensors' values (the tensors are disposed). */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const tensors = fn();
  const values = tensors.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(tensors);
  return values;
}

async function kernelsRun(fn: () => void): Promise<string[]> {
  const profile = await tf.profile(fn);
  return profile.kernels.map((k) => k.name);
}

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: 'same' | 'valid';
}

function convCaseName(c: ConvCase): string {
  return `x [${c.batch},${c.height},${c.width},${c.inChannels}] * ${c.kernel}×${c.kernel}→${c.outChannels}, stride ${c.stride}, ${c.pad}`;
}

/** dx and dW of Σ conv2d(x, w)·r, through tfjs' Conv2D gradient (Conv2DBackpropInput/Filter). */
function convGradients(c: ConvCase, seed: number): () => tf.Tensor[] {
  return () =>
    tf.tidy(() => {
      const x = tf.tensor4d(randomArray(c.batch * c.height * c.width * c.inChannels, seed), [c.batch, c.height, c.width, c.inChannels]);
      const w = tf.tensor4d(randomArray(c.kernel * c.kernel * c.inChannels * c.outChannels, seed + 1), [c.kernel, c.kernel, c.inChannels, c.outChannels]);
      const yShape = tf.conv2d(x, w, c.stride, c.pad).shape;
      const r = tf.tensor(randomArray(tf.util.sizeFromShape(yShape), seed + 2), yShape);
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r));
      return tf.grads(f)([x, w]);
    });
}

describe('wasm training kernels (parity with the cpu backend)', function () {
  before(async () => {
    await chooseBackend('wasm');
    require('@tensorflow/tfjs-backend-cpu');
  });
  // Later test files choose their backend through chooseBackend, which
  // remembers wasm as current: leave wasm active.
  after(async () => {
    await tf.setBackend('wasm');
  });

  describe('Conv2DBackpropInput and Conv2DBackpropFilter', () => {
    // Even sizes with 'same' at stride 2 take the input gradient's tiling path;
    // odd sizes, 'valid' and other strides take its general scatter.
    const cases: ConvCase[] = [
      { batch: 1, height: 7, width: 7, inChannels: 1, outChannels: 3, kernel: 3, stride: 1, pad: 'same' },
      { batch: 5, height: 8, width: 8, inChannels: 3, outChannels: 32, kernel: 3, stride: 2, pad: 'same' },
      { batch: 3, height: 9, width: 9, inChannels: 32, outChannels: 1, kernel: 3, stride: 2, pad: 'same' },
      { batch: 4, height: 9, width: 10, inChannels: 3, outChannels: 3, kernel: 3, stride: 2, pad: 'valid' },
      { batch: 2, height: 10, width: 10, inChannels: 32, outChannels: 32, kernel: 3, stride: 1, pad: 'valid' },
      { batch: 1, height: 11, width: 11, inChannels: 32, outChannels: 32, kernel: 3, stride: 2, pad: 'valid' },
      { batch: 6, height: 12, width: 12, inChannels: 1, outChannels: 32, kernel: 3, stride: 1, pad: 'same' },
      { batch: 2, height: 16, width: 16, inChannels: 32, outChannels: 3, kernel: 3, stride: 2, pad: 'same' },
      // Filters that do not divide into the stride: 5×5 at stride 3, 2×2, and 1×1 at stride 2 (empty phases).
      { batch: 2, height: 11, width: 11, inChannels: 3, outChannels: 4, kernel: 5, stride: 3, pad: 'same' },
      { batch: 2, height: 7, width: 7, inChannels: 2, outChannels: 3, kernel: 2, stride: 2, pad: 'same' },
      { batch: 2, height: 12, width: 12, inChannels: 4, outChannels: 4, kernel: 1, stride: 2, pad: 'valid' },
    ];
    cases.forEach((c, i) => {
      it(convCaseName(c), async () => {
        const [dxCpu, dwCpu] = await on('cpu', convGradients(c, 100 + 10 * i));
        const [dxWasm, dwWasm] = await on('wasm', convGradients(c, 100 + 10 * i));
        assertClose(dxWasm, dxCpu, 'input gradient');
        assertClose(dwWasm, dwCpu, 'filter gradient');
      });
    });

    it('NCHW (called as kernels)', async () => {
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(randomArray(2 * 3 * 9 * 8, 7), [2, 3, 9, 8]);
          const w = tf.tensor4d(randomArray(3 * 3 * 3 * 5, 8), [3, 3, 3, 5]);
          const dy = tf.tensor4d(randomArray(2 * 5 * 5 * 4, 9), [2, 5, 5, 4]);
          const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW' };
          const inputAttrs = { ...attrs, inputShape: [2, 3, 9, 8] } as unknown as tf.NamedAttrMap;
          const filterAttrs = { ...attrs, filterShape: [3, 3, 3, 5] } as unknown as tf.NamedAttrMap;
          const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, inputAttrs) as tf.Tensor;
          const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, filterAttrs) as tf.Tensor;
          return [dx, dw];
        });
      const [dxCpu, dwCpu] = await on('cpu', run);
      const [dxWasm, dwWasm] = await on('wasm', run);
      assertClose(dxWasm, dxCpu, 'input gradient');
      assertClose(dwWasm, dwCpu, 'filter gradient');
    });

    it('are the smile-lens kernels, and leave no tensors or buffers behind', async () => {
      await tf.setBackend('wasm');
      const kernels = await kernelsRun(() => tf.dispose(convGradients(cases[1], 1)()));
      assert.ok(kernels.includes('Conv2DBackpropFilter') && kernels.includes('Conv2DBackpropInput'), kernels.join(','));
      const before = tf.memory();
      tf.dispose(convGradients(cases[5], 1)());
      const after = tf.memory();
      assert.strictEqual(after.numTensors, before.numTensors);
      assert.strictEqual(after.numBytes, before.numBytes);
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const ids = backend.numDataIds();
      tf.dispose(convGradients(cases[2], 1)());
      assert.strictEqual(backend.numDataIds(), ids, 'wasm buffers leaked');
    });
  });

  describe('batch normalisation in training mode (fused kernels, one custom gradient)', () => {
    // x has a large mean (3) so that the mean really has to be subtracted.
    const makeRun = (shape: number[]) => () =>
      tf.tidy(() => {
        const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
        const x = tf.tensor(randomArray(tf.util.sizeFromShape(shape), 21, 3, 2), shape);
        layer.build(x.shape);
        layer.setWeights([tf.tensor1d(randomArray(7, 22, 1, 0.5)), tf.tensor1d(randomArray(7, 23)), tf.zeros([7]), tf.ones([7])]);
        const r = tf.tensor(randomArray(x.size, 24), x.shape);
        const [gamma, beta] = layer.trainableWeights.map((w) => w.read());
        const y = layer.apply(x, { training: true }) as tf.Tensor;
        // The layer reads γ and β itself; passing the same variables as xs differentiates through them.
        const [dx, dGamma, dBeta] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a, { training: true }) as tf.Tensor, r)))([x, gamma, beta]);
        const [movingMean, movingVariance] = layer.getWeights().slice(2);
        return [y, dx, dGamma, dBeta, movingMean, movingVariance];
      });

    const run = makeRun([6, 5, 4, 7]);
    for (const shape of [[6, 5, 4, 7], [40, 7], [3, 10, 7]]) {
      it(`output, gradients (x, γ, β) and moving statistics match tfjs-layers on cpu, x [${shape}]`, async () => {
        const cpu = await on('cpu', makeRun(shape));
        const wasm = await on('wasm', makeRun(shape));
        ['output', 'dx', 'dγ', 'dβ', 'moving mean', 'moving variance'].forEach((what, i) => assertClose(wasm[i], cpu[i], what));
      });
    }

    it('runs the fused kernels on wasm only', async () => {
      await tf.setBackend('wasm');
      const onWasm = await kernelsRun(() => tf.dispose(run()));
      assert.ok(onWasm.includes('SmileLensBatchNormTrainForward') && onWasm.includes('SmileLensBatchNormTrainBackward'), onWasm.join(','));
      assert.ok(!onWasm.includes('FusedBatchNorm'), 'tfjs-core batch norm still ran');
      await tf.setBackend('cpu');
      const onCpu = await kernelsRun(() => tf.dispose(run()));
      assert.ok(onCpu.includes('FusedBatchNorm') && !onCpu.includes('SmileLensBatchNormTrainForward'), onCpu.join(','));
    });
  });

  describe('replaced helper kernels', () => {
    it('Equal with broadcasting (float32, int32, scalar)', async () => {
      const ints = (n: number, seed: number) => Float32Array.from(randomArray(n, seed), (v) => Math.round(v));
      const run = () =>
        tf.tidy(() => [
          tf.equal(tf.tensor(ints(120, 31), [2, 3, 4, 5]), tf.tensor(ints(10, 32), [2, 1, 1, 5])),
          tf.equal(tf.tensor(ints(3, 33), [3, 1], 'int32'), tf.tensor(ints(4, 34), [1, 4], 'int32')),
          tf.equal(tf.tensor(ints(12, 35), [4, 3]), tf.scalar(0)),
          tf.equal(tf.tensor(ints(12, 36), [4, 3]), tf.tensor(ints(12, 37), [4, 3])),
        ]);
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      cpu.forEach((expected, i) => {
        assert.deepStrictEqual(Array.from(wasm[i]), Array.from(expected), `case ${i}`);
        assert.ok(expected.includes(1) && expected.includes(0), `case ${i} has no ties: it tests nothing`);
      });
    });

    it('Tile', async () => {
      const run = () =>
        tf.tidy(() => [
          tf.tile(tf.tensor(randomArray(3, 41), [1, 1, 1, 3]), [2, 3, 4, 1]),
          tf.tile(tf.tensor(randomArray(6, 42), [2, 3]), [3, 2]),
          tf.tile(tf.tensor(randomArray(6, 43), [2, 1, 3]), [1, 4, 2]),
          tf.cast(tf.tile(tf.tensor([1, 2, 3], [3], 'int32'), [4]), 'float32'),
        ]);
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      cpu.forEach((expected, i) => assert.deepStrictEqual(Array.from(wasm[i]), Array.from(expected), `case ${i}`));
    });

    it('FusedBatchNorm (inference mode) and its input gradient', async () => {
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(randomArray(3 * 4 * 5 * 6, 71, 5, 2), [3, 4, 5, 6]);
          const [mean, variance, offset, scale] = [72, 73, 74, 75].map((seed, i) => tf.abs(tf.tensor1d(randomArray(6, seed, i === 0 ? 5 : 1))));
          const r = tf.tensor(randomArray(x.size, 76), x.shape);
          const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, mean, variance, offset, scale, 1e-3), r));
          return [tf.batchNorm(x, mean, variance, offset, scale, 1e-3), tf.grad(f)(x), tf.batchNorm(x, mean, variance)];
        });
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      ['output', 'input gradient', 'output without scale and offset'].forEach((what, i) => assertClose(wasm[i], cpu[i], what));
    });

    it('Identity shares the buffer and keeps it alive for the clone', async () => {
      await tf.setBackend('wasm');
      const a = tf.tensor([1, 2, 3]);
      const b = tf.clone(a);
      a.dispose();
      assert.deepStrictEqual(Array.from(b.dataSync()), [1, 2, 3]);
      b.dispose();
      assert.ok(b.isDisposed);
    });

    it('bias-free fused conv2d on wasm differentiates lazily (no filter gradient for an input gradient)', async () => {
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(randomArray(2 * 8 * 8 * 3, 51), [2, 8, 8, 3]);
          const w = tf.tensor4d(randomArray(3 * 3 * 3 * 4, 52), [3, 3, 3, 4]);
          return [tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.fused.conv2d({ x: a as tf.Tensor4D, filter: w, strides: 2, pad: 'same' }))))(x)];
        });
      const [cpu] = await on('cpu', run);
      const [wasm] = await on('wasm', run);
      assertClose(wasm, cpu, 'input gradient');
      const kernels = await kernelsRun(() => tf.dispose(run()));
      assert.ok(kernels.includes('Conv2DBackpropInput') && !kernels.includes('Conv2DBackpropFilter'), kernels.join(','));
    });
  });

  describe('the paper network', () => {
    // The paper's channels (32, 64, 128) at 24×24, batch 6, seed 7.
    const size = 24;
    const batch = 6;
    const steps = 3;
    const images = () => tf.tensor4d(randomArray(batch * size * size * 3, 61), [batch, size, size, 3]);
    const labels = () => tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32');

    async function trajectory(backend: 'cpu' | 'wasm') {
      await tf.setBackend(backend);
      const model = buildPaperNet({ size, seed: 7 });
      const optimizer = paperOptimizer();
      const x = images();
      const y = labels();
      const initial = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
      const losses: number[] = [];
      const tensorCounts: number[] = [];
      for (let s = 0; s < steps; s++) {
        losses.push(trainStep(model, optimizer, x, y).loss);
        tensorCounts.push(tf.memory().numTensors);
      }
      // A GradientSHAP-style batch: ∂ Σ log-softmax(scores)[:, 0] / ∂ images, batch norm in inference mode.
      const inputGradient = tf.tidy(() =>
        tf.grad((input: tf.Tensor) => tf.sum(tf.logSoftmax(model.apply(input, { training: false }) as tf.Tensor2D).slice([0, 0], [-1, 1])))(x),
      );
      const gradientValues = Float32Array.from(inputGradient.dataSync());
      const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
      tf.dispose([x, y, inputGradient]);
      optimizer.dispose();
      model.dispose();
      return { initial, losses, tensorCounts, gradientValues, weights };
    }

    let cpu: Awaited<ReturnType<typeof trajectory>>;
    let wasm: Awaited<ReturnType<typeof trajectory>>;
    before(async () => {
      cpu = await trajectory('cpu');
      wasm = await trajectory('wasm');
    });

    it('starts from identical weights on both backends (seeded initialisers)', () => {
      assert.strictEqual(wasm.initial.length, cpu.initial.length);
      wasm.initial.forEach((w, i) => assert.deepStrictEqual(w, cpu.initial[i], `weight ${i}`));
    });

    it(`follows the cpu loss trajectory over ${steps} Adam steps (relative 1e-4)`, () => {
      assert.ok(cpu.losses[steps - 1] < cpu.losses[0], `training does not lower the loss: ${cpu.losses}`);
      wasm.losses.forEach((loss, s) => {
        const rel = Math.abs(loss - cpu.losses[s]) / Math.abs(cpu.losses[s]);
        assert.ok(rel <= 1e-4, `step ${s}: wasm ${loss} vs cpu ${cpu.losses[s]} (relative ${rel.toExponential(2)})`);
      });
    });

    it('ends with the same weights (relative 1e-3 of each tensor’s largest value: Adam normalises tiny gradients)', () => {
      wasm.weights.forEach((w, i) => assertClose(w, cpu.weights[i], `weight ${i}`, 1e-3));
    });

    it('gives the same input gradient in inference mode', () => {
      assertClose(wasm.gradientValues, cpu.gradientValues, 'input gradient', 1e-4);
    });

    it('gives the same input gradient in the first and last rows and columns at 64 px (where TF pads only the bottom/right)', async () => {
      // An edge-only error of the sub-pixel input gradient would hide in a
      // whole-tensor comparison; here each border band is compared on its own scale.
      const size = 64;
      const run = () =>
        tf.tidy(() => {
          const model = buildPaperNet({ size, channels: [8, 16, 16], dense: 16, seed: 11 });
          const x = tf.tensor4d(randomArray(2 * size * size * 3, 62), [2, size, size, 3]);
          const g = tf.grad((input: tf.Tensor) => tf.sum(tf.slice(model.apply(input, { training: false }) as tf.Tensor2D, [0, 1], [-1, 1])))(x);
          model.dispose();
          return [g];
        });
      const [cpu] = await on('cpu', run);
      const [wasm] = await on('wasm', run);
      const band = (v: Float32Array, inside: (y: number, x: number) => boolean) =>
        Float32Array.from({ length: v.length }, (_, i) => {
          const p = Math.floor(i / 3) % (size * size);
          return inside(Math.floor(p / size), p % size) ? v[i] : 0;
        });
      const sides: [string, (y: number, x: number) => boolean][] = [
        ['last 4 rows', (y) => y >= size - 4],
        ['last 4 columns', (_y, x) => x >= size - 4],
        ['first 4 rows', (y) => y < 4],
        ['first 4 columns', (_y, x) => x < 4],
      ];
      for (const [what, inside] of sides) assertClose(band(wasm, inside), band(cpu, inside), what, 1e-4);
    });

    it('does not leak tensors from step to step', () => {
      assert.strictEqual(wasm.tensorCounts[2], wasm.tensorCounts[1], `tensor counts ${wasm.tensorCounts}`);
    });
  });

  describe('threaded wasm (SMILE_LENS_WASM_THREADS=2, in a child process)', () => {
    it('computes the same training step and input gradient as single-threaded wasm', function () {
      const root = path.resolve(__dirname, '..');
      const script = `
        const tf = require('@tensorflow/tfjs');
        const { chooseBackend } = require('./lib/backend/select.ts');
        const { buildPaperNet } = require('./lib/model/paper-net.ts');
        const { paperOptimizer, trainStep } = require('./lib/train/step.ts');
        (async () => {
          await chooseBackend('wasm');
          const wasm = require('@tensorflow/tfjs-backend-wasm');
          const model = buildPaperNet({ size: 32, seed: 3 });
          const x = tf.randomNormal([8, 32, 32, 3], 0, 1, 'float32', 5);
          const y = tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32');
          const opt = paperOptimizer();
          const losses = [trainStep(model, opt, x, y).loss, trainStep(model, opt, x, y).loss];
          const g = tf.grad((i) => tf.sum(model.apply(i, { training: false })))(x);
          // Every 37th value: enough to catch a wrong result, small enough for one pipe write.
          const sample = Array.from(g.dataSync()).filter((_, i) => i % 37 === 0);
          require('fs').writeSync(1, JSON.stringify({ threads: wasm.getThreadsCount(), losses, g: sample }));
          process.exit(0);
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const runChild = (threads: string) => {
        const out = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
          cwd: root,
          encoding: 'utf8',
          timeout: 60_000,
          maxBuffer: 64 << 20,
          // The threaded wasm build itself (the native kernels, where they build, would take the threads).
          env: { ...process.env, SMILE_LENS_WASM_THREADS: threads, SMILE_LENS_NATIVE: 'off' },
        });
        assert.strictEqual(out.status, 0, out.stderr);
        return JSON.parse(out.stdout) as { threads: number; losses: number[]; g: number[] };
      };
      const single = runChild('1');
      const threaded = runChild('2');
      assert.strictEqual(single.threads, 1);
      assert.strictEqual(threaded.threads, 2, 'the threaded build did not start 2 threads');
      threaded.losses.forEach((l, i) => assert.ok(Math.abs(l - single.losses[i]) <= 1e-5 * Math.abs(single.losses[i]), `loss ${i}: ${l} vs ${single.losses[i]}`));
      assertClose(threaded.g, single.g, 'input gradient');
    });
  });
});
