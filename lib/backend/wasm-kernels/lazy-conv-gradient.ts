// On wasm, tf.fused.conv2d without bias or activation — what tfjs-layers'
// Conv2D calls for the paper's bias-free convolutions — runs as plain
// tf.conv2d. Same kernel and values, but the fused op's custom gradient
// computes the input and the filter gradient eagerly, while Conv2D's are
// lazy: a training step skips the first layer's input gradient (nobody needs
// the image's), and a gradient w.r.t. the input skips every filter gradient.
import * as tf from '@tensorflow/tfjs';

type FusedConv2d = typeof tf.fused.conv2d;
type FusedArgs = Parameters<FusedConv2d>[0];

let installed = false;

export function installLazyConvGradient(): void {
  if (installed) return;
  const fused = tf.fused as { conv2d: FusedConv2d };
  const original = fused.conv2d;
  fused.conv2d = function (args: FusedArgs) {
    const linear = args.activation == null || args.activation === 'linear';
    if (tf.getBackend() !== 'wasm' || args.bias != null || !linear || args.preluActivationWeights != null) return original(args);
    return tf.conv2d(args.x, args.filter, args.strides, args.pad, args.dataFormat, args.dilations, args.dimRoundingMode);
  } as FusedConv2d;
  installed = true;
}
