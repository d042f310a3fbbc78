// The paper's loss and its class-weighted variant, against hand computations.
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { balancedClassWeights, nllLoss, paperOptimizer, trainStep } from '../lib/train/step';
import { buildPaperNet } from '../lib/model/paper-net';
import { EXPERIMENT_DEFAULTS } from '../lib/config/experiment';
import { defaultRunId } from '../lib/run/locations';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≠ ${b}`);

describe('training loss: plain and class-weighted NLL', () => {
  before(async () => {
    await chooseBackend('cpu');
  });

  // Three images, three classes. Scores chosen so that log-softmax is easy:
  // row 0 = (0, 0, 0) → log p = −ln 3 for every class;
  // row 1 = (ln 2, 0, 0) → p = (1/2, 1/4, 1/4);
  // row 2 = (0, 0, ln 6) → p = (1/8, 1/8, 3/4).
  const scores = () => tf.tensor2d([[0, 0, 0], [Math.log(2), 0, 0], [0, 0, Math.log(6)]]);
  const labels = () => tf.tensor1d([0, 1, 2], 'int32');
  const nll = [Math.log(3), Math.log(4), Math.log(4 / 3)];

  it('plain NLL: the mean of −log p_y (the paper)', () => {
    const loss = tf.tidy(() => nllLoss(scores(), labels()).dataSync()[0]);
    close(loss, (nll[0] + nll[1] + nll[2]) / 3, 1e-6, 'plain');
  });

  it('weighted NLL: Σ w_y·(−log p_y) / Σ w_y, as PyTorch NLLLoss(weight) with mean reduction', () => {
    const w = [0.5, 2, 1];
    const loss = tf.tidy(() => nllLoss(scores(), labels(), w).dataSync()[0]);
    close(loss, (0.5 * nll[0] + 2 * nll[1] + 1 * nll[2]) / 3.5, 1e-6, 'weighted');
    // Equal weights are the plain loss; weights scale out.
    close(tf.tidy(() => nllLoss(scores(), labels(), [3, 3, 3]).dataSync()[0]), (nll[0] + nll[1] + nll[2]) / 3, 1e-6, 'equal weights');
    close(tf.tidy(() => nllLoss(scores(), labels(), [1, 4, 2]).dataSync()[0]), loss, 1e-6, 'scaled weights');
    assert.throws(() => nllLoss(scores(), labels(), [1, 1]), /2 class weights for 3 classes/);
  });

  it("'balanced' weights are N / (K·n_c) from the training counts (scikit-learn's)", () => {
    // CFD-like: 600 neutral, 150 of each of four expressions: N = 1200, K = 5.
    const w = balancedClassWeights([600, 150, 150, 150, 150]);
    close(w[0], 1200 / (5 * 600), 1e-12, 'N');
    close(w[1], 1200 / (5 * 150), 1e-12, 'A');
    // Every class then weighs the same in total: n_c·w_c = N / K.
    [600, 150, 150, 150, 150].forEach((n, c) => close(n * w[c], 240, 1e-9, `class ${c}`));
    assert.deepStrictEqual(balancedClassWeights([4, 0, 4]), [1, 0, 1]);
    assert.throws(() => balancedClassWeights([0, 0]), /no images/);
  });

  it('a training step with weights minimises the weighted loss; without, the paper step is unchanged', () => {
    const run = (weights?: number[]) => {
      const model = buildPaperNet({ size: 16, channels: [4, 8, 8], dense: 8, seed: 3 });
      const optimizer = paperOptimizer();
      const x = tf.randomNormal([6, 16, 16, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
      const y = tf.tensor1d([0, 0, 0, 0, 1, 2], 'int32');
      const expected = tf.tidy(() => nllLoss(model.apply(x, { training: true }) as tf.Tensor2D, y, weights).dataSync()[0]);
      const r = trainStep(model, optimizer, x, y, undefined, weights);
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
      return { expected, loss: r.loss };
    };
    const plain = run();
    close(plain.loss, plain.expected, 1e-5, 'plain step reports the plain loss');
    const weighted = run(balancedClassWeights([4, 1, 1, 0, 0]));
    close(weighted.loss, weighted.expected, 1e-5, 'weighted step reports the weighted loss');
    assert.ok(Math.abs(weighted.loss - plain.loss) > 1e-3, 'the weights change the loss');
  });

  it("is the paper's plain NLL by default; 'balanced' runs get their own run id", () => {
    assert.strictEqual(EXPERIMENT_DEFAULTS.classWeights, undefined);
    const cfg = { ...EXPERIMENT_DEFAULTS, data: 'data/synthetic-cfd' };
    assert.strictEqual(defaultRunId(cfg), 'synthetic-cfd-128px-12ep-5seeds');
    assert.strictEqual(defaultRunId({ ...cfg, classWeights: 'balanced' }), 'synthetic-cfd-128px-12ep-5seeds-balanced');
  });
});
