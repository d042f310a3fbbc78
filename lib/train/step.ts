// One optimisation step of the paper's objective: NLL of log-softmax(scores),
// Adam. Shared by training, the benchmark and the smoke command. Beside the
// paper's plain NLL, a class-weighted NLL (PyTorch's NLLLoss(weight=w) with
// its mean reduction: Σ_i w_{y_i}·(−log p_{y_i}) / Σ_i w_{y_i}) with
// 'balanced' weights w_c = N / (K·n_c) from the training split's counts, so
// that every class weighs as much as it would in a balanced set (the CFD is
// about half neutral).
import * as tf from '@tensorflow/tfjs';
import { metered } from '../util/compute-meter';

/**
 * Mean negative log-likelihood of the integer labels under
 * log-softmax(scores); with `classWeights` (one per class), the weighted mean.
 */
export function nllLoss(scores: tf.Tensor2D, labels: tf.Tensor1D, classWeights?: readonly number[]): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(scores);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(labels, scores.shape[1])), 1);
    if (!classWeights) return tf.neg(tf.mean(picked)) as tf.Scalar;
    if (classWeights.length !== scores.shape[1]) throw new Error(`loss: ${classWeights.length} class weights for ${scores.shape[1]} classes`);
    const w = tf.gather(tf.tensor1d(classWeights as number[]), tf.cast(labels, 'int32'));
    return tf.neg(tf.div(tf.sum(tf.mul(picked, w)), tf.sum(w))) as tf.Scalar;
  });
}

/**
 * scikit-learn's 'balanced' weights from a training split's class counts:
 * w_c = N / (K·n_c), K the classes present; 0 for a class with no images.
 */
export function balancedClassWeights(counts: readonly number[]): number[] {
  if (counts.some((c) => !(Number.isInteger(c) && c >= 0))) throw new Error(`class weights: counts must be non-negative integers, got ${counts.join(', ')}`);
  const n = counts.reduce((s, c) => s + c, 0);
  const present = counts.filter((c) => c > 0).length;
  if (n === 0) throw new Error('class weights: the training split has no images');
  return counts.map((c) => (c > 0 ? n / (present * c) : 0));
}

export function paperOptimizer(learningRate = 0.001): tf.AdamOptimizer {
  // PyTorch's Adam defaults (betas 0.9/0.999, eps 1e-8).
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
}

type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

/** Adam's running powers β1^(t+1) and β2^(t+1), by their names in a checkpoint. */
const POWERS = { 'adam/accBeta1': 'accBeta1', 'adam/accBeta2': 'accBeta2' } as const;

function powers(optimizer: tf.AdamOptimizer): Record<keyof typeof POWERS, tf.Variable> {
  // Private in tfjs's types; the checkpoint needs their exact values (below).
  return { 'adam/accBeta1': optimizer['accBeta1'], 'adam/accBeta2': optimizer['accBeta2'] };
}

/**
 * Everything Adam carries from one step to the next, for a checkpoint: tfjs's
 * own weights (the step count and both moments) and the running powers of
 * β1 and β2. tfjs's setWeights recomputes those as pow(β, t + 1), which in
 * float32 differs in the last bit from the product training keeps (for most
 * step counts: 291 of the first 400 for β1 = 0.9), so a run resumed from a
 * checkpoint drifted about 1e-7 from an uninterrupted one. Restored exactly,
 * a resumed run is bit-identical.
 */
export async function optimizerState(optimizer: tf.AdamOptimizer): Promise<NamedTensor[]> {
  const own = await optimizer.getWeights();
  return [...own, ...Object.entries(powers(optimizer)).map(([name, tensor]) => ({ name, tensor }))];
}

/** Restores what optimizerState saved (checkpoints without the powers get tfjs's recomputed ones). */
export async function restoreOptimizerState(optimizer: tf.AdamOptimizer, state: NamedTensor[]): Promise<void> {
  const isPower = (n: NamedTensor) => n.name in POWERS;
  await optimizer.setWeights(state.filter((n) => !isPower(n)));
  const target = powers(optimizer);
  for (const n of state.filter(isPower)) target[n.name as keyof typeof POWERS].assign(n.tensor);
}

export interface StepResult {
  loss: number;
  correct: number;
}

/**
 * Runs one training step (batch-norm in training mode) and returns the batch
 * loss and the number of correct predictions, measured on the forward pass
 * that produced the gradients. `classWeights`: the weighted NLL (default: the paper's plain NLL).
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  varList?: tf.Variable[],
  classWeights?: readonly number[],
): StepResult {
  return metered('training step', 1, () => step(model, optimizer, images, labels, varList, classWeights));
}

function step(model: tf.LayersModel, optimizer: tf.Optimizer, images: tf.Tensor4D, labels: tf.Tensor1D, varList?: tf.Variable[], classWeights?: readonly number[]): StepResult {
  let correct: tf.Scalar | undefined;
  const loss = optimizer.minimize(() => {
    const scores = model.apply(images, { training: true }) as tf.Tensor2D;
    correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(scores, 1), tf.cast(labels, 'int32')), 'float32')) as tf.Scalar);
    return nllLoss(scores, labels, classWeights);
  }, true, varList) as tf.Scalar;
  const [lossValue] = loss.dataSync();
  const [correctValue] = correct!.dataSync();
  loss.dispose();
  correct!.dispose();
  return { loss: lossValue, correct: correctValue };
}
