// Conv2D layers evaluated as plain conv2d + bias + activation instead of
// tfjs-layers' fused conv2d. The result is the same, but the fused op's
// custom gradient computes the kernel gradient (Conv2DBackpropFilter)
// eagerly even when only the gradient with respect to the input is wanted,
// whereas the plain op's gradients are lazy and the kernel's is pruned. The
// explainers differentiate only with respect to images and activations, so
// this removes the costliest kernel of the backward pass (on the cpu backend
// it was ~95 % of GradientSHAP's time) and the need for it on backends that
// lack it (wasm in tfjs 4.22).
//
// A convolution applied to the image itself may be given the colour of the
// frame its 'same' padding adds (`frame`, batch × 1 × 1 × C; the model's own
// is 0): conv(pad(x) with F) = conv_same(x − F) + F·Σ_taps W, since a
// convolution of a canvas that is F everywhere is F·Σ W at every output.
// GradientSHAP uses it so that the padding travels the path with the image
// (gradient-shap.ts); with F = 0 it is the model.
import * as tf from '@tensorflow/tfjs';

interface Conv2DConfig {
  strides: number | [number, number];
  padding: 'valid' | 'same' | 'causal';
  dataFormat?: 'channelsFirst' | 'channelsLast';
  dilationRate?: number | [number, number];
  useBias?: boolean;
}

type WithActivation = { activation?: { apply(x: tf.Tensor): tf.Tensor } };

/** The layer's output for `x` (padding filled with `frame` if given), unfused; undefined when the layer is not a channels-last Conv2D. */
export function applyConv2DUnfused(layer: tf.layers.Layer, x: tf.Tensor, frame?: tf.Tensor): tf.Tensor | undefined {
  if (layer.getClassName() !== 'Conv2D' || x.rank !== 4) return undefined;
  const config = layer.getConfig() as unknown as Conv2DConfig;
  const activation = (layer as unknown as WithActivation).activation;
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast' || config.padding === 'causal' || !activation) return undefined;
  const [kernel, bias] = layer.getWeights(); // the variables themselves, not copies
  const pair = (v: number | [number, number] | undefined): [number, number] => (v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v);
  return tf.tidy(() => {
    const conv = (input: tf.Tensor) => tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, pair(config.strides), config.padding as 'valid' | 'same', 'NHWC', pair(config.dilationRate));
    let y: tf.Tensor = frame && config.padding === 'same'
      ? tf.add(conv(tf.sub(x, frame)), tf.matMul(tf.reshape(frame, [-1, frame.shape[frame.rank - 1]]), tf.sum(kernel, [0, 1])).reshape([-1, 1, 1, kernel.shape[3] as number]))
      : conv(x);
    if (config.useBias && bias) y = tf.add(y, bias);
    return activation.apply(y);
  });
}
