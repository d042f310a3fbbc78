// Batch-norm in inference mode written out as the per-channel affine map it
// is: y = (x − moving_mean)·γ/√(moving_variance + ε) + β. tfjs' own op gives
// the same values, but its gradient (FusedBatchNorm's) tiles the per-channel
// factor to the full activation shape, which on the wasm backend took ~60 %
// of a GradientSHAP backward pass; a broadcast multiply costs almost nothing.
import * as tf from '@tensorflow/tfjs';

interface BatchNormConfig {
  axis?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

/** The layer's inference output for `x`; undefined when the layer is not a last-axis BatchNormalization. */
export function applyBatchNormInference(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor | undefined {
  if (layer.getClassName() !== 'BatchNormalization') return undefined;
  const config = layer.getConfig() as unknown as BatchNormConfig;
  const axis = config.axis ?? -1;
  if (axis !== -1 && axis !== x.rank - 1) return undefined;
  // The layer creates its weights in this order: gamma (if scale), beta (if
  // center), moving mean, moving variance. (Names are no help: a second model
  // with the same layer names gets variables called …/gamma_1.)
  const weights = layer.weights;
  let next = 0;
  const gamma = config.scale === false ? undefined : weights[next++];
  const beta = config.center === false ? undefined : weights[next++];
  const mean = weights[next++];
  const variance = weights[next++];
  if (weights.length !== next || !/moving_mean/.test(mean.originalName) || !/moving_variance/.test(variance.originalName)) return undefined;
  return tf.tidy(() => {
    let factor = tf.rsqrt(tf.add(variance.read(), config.epsilon ?? 1e-3));
    if (gamma) factor = tf.mul(factor, gamma.read());
    const y = tf.mul(tf.sub(x, mean.read()), factor);
    return beta ? tf.add(y, beta.read()) : y;
  });
}
