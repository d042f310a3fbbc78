// Tiny models with weights set by hand, for exercises whose answer must be
// known exactly: image (H × W × C) → flatten → dense layers. A functional
// tf.model, like the paper network, so the explainers take it as it is.
import * as tf from '@tensorflow/tfjs';

export interface DenseSpec {
  /** inputs × units, inputs in row-major H × W × C order for the first layer. */
  weights: number[][];
  /** One per unit (default zeros). */
  bias?: number[];
  activation?: 'linear' | 'relu';
}

export function handMadeModel(inputShape: [number, number, number], layers: DenseSpec[]): tf.LayersModel {
  if (layers.length === 0) throw new Error('handMadeModel: give at least one dense layer');
  const input = tf.input({ shape: inputShape });
  let x = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  let width = inputShape[0] * inputShape[1] * inputShape[2];
  const dense: { layer: tf.layers.Layer; spec: DenseSpec }[] = [];
  layers.forEach((spec, i) => {
    const units = spec.weights[0]?.length ?? 0;
    if (spec.weights.length !== width || units === 0 || spec.weights.some((row) => row.length !== units)) {
      throw new Error(`handMadeModel: layer ${i + 1} needs a ${width} × units weight matrix, got ${spec.weights.length} rows`);
    }
    if (spec.bias && spec.bias.length !== units) throw new Error(`handMadeModel: layer ${i + 1} has ${units} units but ${spec.bias.length} biases`);
    const layer = tf.layers.dense({ units, activation: spec.activation ?? 'linear' });
    x = layer.apply(x) as tf.SymbolicTensor;
    dense.push({ layer, spec });
    width = units;
  });
  const model = tf.model({ inputs: input, outputs: x });
  for (const { layer, spec } of dense) {
    const units = spec.weights[0].length;
    const values = [tf.tensor2d(spec.weights), tf.tensor1d(spec.bias ?? new Array<number>(units).fill(0))];
    layer.setWeights(values); // copies them
    tf.dispose(values);
  }
  return model;
}
