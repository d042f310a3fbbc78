// Grad-CAM's neuron-importance weights (Selvaraju et al.; the paper's eq. in
// section IV): α_k^c = (1/Z) Σ_i Σ_j ∂y_c/∂A^k_ij, the gradients flowing back
// into feature map k, global-average-pooled over its Z = u·v positions.
import * as tf from '@tensorflow/tfjs';
import { classScoreGradient } from './gradients';
import type { Target } from './explainer';

/** α (batch × K) from ∂y_c/∂A (batch × u × v × K). */
export function importanceFromGradients(gradients: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(gradients, [1, 2]) as tf.Tensor2D;
}

/**
 * α_k^c for each image (batch × K) at a convolutional layer (NHWC output).
 * Class: the predicted one unless given; target: y_c (default) or log p_c.
 * The tensor belongs to the caller.
 */
export function neuronImportanceWeights(
  model: tf.LayersModel,
  layer: string,
  images: tf.Tensor4D,
  classIndex?: number | readonly number[],
  target?: Target,
): tf.Tensor2D {
  return tf.tidy(() => {
    const { gradient } = classScoreGradient(model, images, { layer, classIndex, target });
    if (gradient.rank !== 4) throw new Error(`Grad-CAM: layer "${layer}" outputs rank ${gradient.rank}, not feature maps (batch × u × v × K)`);
    return importanceFromGradients(gradient as tf.Tensor4D);
  });
}
