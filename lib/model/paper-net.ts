// The paper's network, as smile-lens reads it (Čík et al., section VII.A):
// three blocks of conv 3×3 (stride 2, 'same', no bias) → batch norm → ReLU,
// concat pooling (global max ‖ global average), dense 128 + ReLU, dense 5.
// The model outputs the pre-softmax class scores y_c, because Grad-CAM is
// defined on them; log-softmax and the NLL loss are applied in training.
import * as tf from '@tensorflow/tfjs';
import { EXPRESSIONS } from '../data/expressions';


export interface PaperNetConfig {
  size: number;
  channels: number[];
  strides: number[];
  dense: number;
  classes: number;
  /** Fixes the weight initialisation. */
  seed: number;
}

export const PAPER_NET_DEFAULTS: PaperNetConfig = {
  size: 128,
  channels: [32, 64, 128],
  strides: [2, 2, 2],
  dense: 128,
  classes: EXPRESSIONS.length,
  seed: 0,
};

/** Name of block i's output (after ReLU): the layers Grad-CAM can explain. */
export function blockOutputName(i: number): string {
  return `block${i + 1}_relu`;
}

/** The default Grad-CAM layer: the last convolutional block's output. */
export function lastConvLayerName(model: tf.LayersModel): string {
  const names = model.layers.map((l) => l.name).filter((n) => /^block\d+_relu$/.test(n));
  if (names.length === 0) throw new Error('model has no blockN_relu layer; is it a smile-lens paper network?');
  return names[names.length - 1];
}

export function buildPaperNet(config: Partial<PaperNetConfig> = {}): tf.LayersModel {
  const c = { ...PAPER_NET_DEFAULTS, ...config };
  if (c.channels.length !== c.strides.length) {
    throw new Error(`paper network: ${c.channels.length} channel counts but ${c.strides.length} strides`);
  }
  // Each initialiser gets its own seed derived from the run's seed, so that
  // the same seed gives the same weights on every backend.
  let k = c.seed * 1000;
  const init = () => tf.initializers.heNormal({ seed: ++k });
  const glorot = () => tf.initializers.glorotUniform({ seed: ++k });

  const input = tf.input({ shape: [c.size, c.size, 3], name: 'image' });
  let x: tf.SymbolicTensor = input;
  c.channels.forEach((filters, i) => {
    x = tf.layers
      .conv2d({
        filters,
        kernelSize: 3,
        strides: c.strides[i],
        padding: 'same',
        useBias: false,
        kernelInitializer: init(),
        name: `block${i + 1}_conv`,
      })
      .apply(x) as tf.SymbolicTensor;
    // momentum 0.9 / epsilon 1e-5 are PyTorch's BatchNorm2d defaults (its momentum 0.1).
    x = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `block${i + 1}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: blockOutputName(i) }).apply(x) as tf.SymbolicTensor;
  });
  const maxPool = tf.layers.globalMaxPooling2d({ name: 'concat_pool_max' }).apply(x) as tf.SymbolicTensor;
  const avgPool = tf.layers.globalAveragePooling2d({ name: 'concat_pool_avg' }).apply(x) as tf.SymbolicTensor;
  let h = tf.layers.concatenate({ name: 'concat_pool' }).apply([maxPool, avgPool]) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: c.dense, activation: 'relu', kernelInitializer: glorot(), name: 'dense1' }).apply(h) as tf.SymbolicTensor;
  const scores = tf.layers.dense({ units: c.classes, kernelInitializer: glorot(), name: 'scores' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: scores, name: 'paper_net' });
}
