// Routes tf.layers.batchNormalization's training-mode call, on the wasm
// backend only, through the fused kernels of batch-norm-kernels.ts with one
// custom gradient. Everything else (inference, other backends, other axes,
// layers without centre or scale) still runs tfjs-layers' own code, so the cpu
// backend stays an independent reference for the parity tests.
//
// The moving-average update copies tfjs-layers' arithmetic exactly
// (moving ← moving − (moving − batch)·(1 − momentum)).
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_BACKWARD, BATCH_NORM_FORWARD } from './batch-norm-kernels';

interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tf.Tensor };
  beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(value: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(value: tf.Tensor): void };
}
type Call = (this: BatchNormLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/**
 * Normalises x over all axes but the last with the batch's own statistics.
 * Differentiable in x, gamma and beta; mean and variance are returned for the
 * moving averages (kept: the caller disposes them).
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): { normed: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  let mean: tf.Tensor | undefined;
  let variance: tf.Tensor | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, gammaIn, betaIn] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, m, v, xHat] = tf.engine().runKernel(BATCH_NORM_FORWARD, { x: xIn, gamma: gammaIn, beta: betaIn }, { epsilon }) as tf.Tensor[];
    mean = tf.keep(m);
    variance = tf.keep(v);
    // x̂ rather than x: the gradient needs only x̂, and x can be freed sooner.
    save([xHat, v, gammaIn]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHatSaved, varianceSaved, gammaSaved] = saved;
        return tf.engine().runKernel(BATCH_NORM_BACKWARD, { xHat: xHatSaved, dy, variance: varianceSaved, gamma: gammaSaved }, { epsilon }) as tf.Tensor[];
      },
    };
  });
  const normed = op(x, gamma, beta);
  return { normed, mean: mean!, variance: variance! };
}

function eligible(layer: BatchNormLayer, input: tf.Tensor, kwargs: Record<string, unknown>): boolean {
  const rank = input.rank;
  const axis = layer.axis >= 0 ? layer.axis : layer.axis + rank;
  return (
    !!kwargs['training'] &&
    tf.getBackend() === 'wasm' &&
    input.dtype === 'float32' &&
    rank >= 2 &&
    axis === rank - 1 &&
    layer.center &&
    layer.scale
  );
}

let installed = false;

export function installBatchNormTraining(): void {
  if (installed) return;
  const map = (tf.serialization.SerializationMap.getMap() as unknown as { classNameMap: Record<string, [{ prototype: { call: Call } }]> })
    .classNameMap;
  const proto = map['BatchNormalization']?.[0]?.prototype;
  if (!proto) throw new Error('tfjs-layers BatchNormalization is not registered; cannot install the wasm training path');
  const original = proto.call;
  proto.call = function (this: BatchNormLayer, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (Array.isArray(inputs) && inputs.length !== 1) return original.call(this, inputs, kwargs);
    if (!eligible(this, input, kwargs)) return original.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const { normed, mean, variance } = batchNormTraining(input, this.gamma.read(), this.beta.read(), this.epsilon);
      for (const [variable, value] of [
        [this.movingMean, mean],
        [this.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const origValue = variable.read();
          variable.write(tf.sub(origValue, tf.mul(tf.sub(origValue, value), 1 - this.momentum)));
        });
      }
      tf.dispose([mean, variance]);
      return normed;
    });
  };
  installed = true;
}
