// One optimisation step of the paper's objective: NLL of log-softmax(scores),
// Adam. Shared by training, the benchmark and the smoke command.
import * as tf from '@tensorflow/tfjs';

/** Mean negative log-likelihood of the integer labels under log-softmax(scores). */
export function nllLoss(scores: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(scores);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(labels, scores.shape[1])), 1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}

export function paperOptimizer(learningRate = 0.001): tf.Optimizer {
  // PyTorch's Adam defaults (betas 0.9/0.999, eps 1e-8).
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
}

export interface StepResult {
  loss: number;
  correct: number;
}

/**
 * Runs one training step (batch-norm in training mode) and returns the batch
 * loss and the number of correct predictions, measured on the forward pass
 * that produced the gradients.
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  varList?: tf.Variable[],
): StepResult {
  let correct: tf.Scalar | undefined;
  const loss = optimizer.minimize(() => {
    const scores = model.apply(images, { training: true }) as tf.Tensor2D;
    correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(scores, 1), tf.cast(labels, 'int32')), 'float32')) as tf.Scalar);
    return nllLoss(scores, labels);
  }, true, varList) as tf.Scalar;
  const [lossValue] = loss.dataSync();
  const [correctValue] = correct!.dataSync();
  loss.dispose();
  correct!.dispose();
  return { loss: lossValue, correct: correctValue };
}
