// Small networks and inputs shared by the explainer tests.
import * as tf from '@tensorflow/tfjs';
import { edgeExcess } from '../lib/audit/edge-excess';
import { buildPaperNet } from '../lib/model/paper-net';
import { createRandom } from '../lib/util/random';

/** Gaussian values from a seeded generator. */
export function normals(count: number, seed: number, std = 1, mean = 0): Float32Array {
  const rnd = createRandom(seed);
  return Float32Array.from({ length: count }, () => rnd.normal(mean, std));
}

export function randomImages(n: number, size: number, channels: number, seed: number): tf.Tensor4D {
  return tf.tensor4d(normals(n * size * size * channels, seed), [n, size, size, channels]);
}

/** Replaces every weight of a layer by seeded Gaussian values (scaled). */
function randomiseWeights(layer: tf.layers.Layer, seed: number, std: number): void {
  // getWeights() returns the variables themselves: read shapes only, never dispose them.
  tf.tidy(() => layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(normals(w.size, seed * 31 + i, std), w.shape))));
}

/**
 * A smooth DAG (tanh everywhere, so central differences are exact to O(ε²)):
 * c1 (conv 3×3, tanh) feeds both a global average pool and c2 (conv 3×3
 * stride 2, tanh → GAP); the two pools are concatenated, then dense (tanh)
 * and the linear 'scores'. Splitting at c2 leaves the c1 → GAP branch as a
 * bypass, which the split must evaluate from the input.
 */
export function smoothDagNet(seed: number, size = 6, channels = 2): tf.LayersModel {
  const input = tf.input({ shape: [size, size, channels] });
  const c1 = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh', name: 'c1' }).apply(input) as tf.SymbolicTensor;
  const gapA = tf.layers.globalAveragePooling2d({ name: 'gap_a' }).apply(c1) as tf.SymbolicTensor;
  const c2 = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', name: 'c2' }).apply(c1) as tf.SymbolicTensor;
  const gapB = tf.layers.globalAveragePooling2d({ name: 'gap_b' }).apply(c2) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ name: 'joined' }).apply([gapA, gapB]) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: 5, activation: 'tanh', name: 'hidden' }).apply(joined) as tf.SymbolicTensor;
  const scores = tf.layers.dense({ units: 3, name: 'scores' }).apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: scores });
  model.layers.forEach((l, i) => randomiseWeights(l, seed + i, 0.7));
  return model;
}

/**
 * The paper's network at a small size, with batch-norm's moving statistics
 * and affine parameters set away from their initial 0/1 so that inference
 * mode (moving statistics) and training mode (batch statistics) differ.
 */
export function paperNetForTests(size: number, seed: number, channels = [4, 8, 8], dense = 8): tf.LayersModel {
  const model = buildPaperNet({ size, channels, strides: [2, 2, 2], dense, classes: 5, seed });
  const rnd = createRandom(seed + 999);
  for (const layer of model.layers) {
    if (!/_bn$/.test(layer.name)) continue;
    const k = layer.getWeights()[0].size;
    tf.tidy(() => layer.setWeights([
      tf.tensor1d(Array.from({ length: k }, () => rnd.uniform(0.5, 1.5))),
      tf.tensor1d(Array.from({ length: k }, () => rnd.normal(0, 0.2))),
      tf.tensor1d(Array.from({ length: k }, () => rnd.normal(0, 0.3))),
      tf.tensor1d(Array.from({ length: k }, () => rnd.uniform(0.5, 2))),
    ]));
  }
  return model;
}

/** Max |a − b|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export type Sides = { right: number; bottom: number; left: number; top: number };

/**
 * The mean edge excess (the last 4 columns'/rows' share of |φ| over their
 * area's) of a path method's maps, for untrained paper networks (one per
 * seed: nothing learnt, at the edges or anywhere) on two white 64 px
 * pictures with a dark disc in the middle.
 */
export function meanEdgeExcess(seeds: number[], attribute: (model: tf.LayersModel, images: tf.Tensor4D) => { map: ArrayLike<number> }[]): Sides {
  const size = 64;
  const pixels = new Float32Array(2 * size * size * 3);
  for (let b = 0; b < 2; b++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = Math.hypot(y - size / 2 + 0.5 + b, x - size / 2 + 0.5 - b) < size / 4;
        for (let c = 0; c < 3; c++) pixels[((b * size + y) * size + x) * 3 + c] = inside ? -1 + 0.3 * c : 1;
      }
    }
  }
  const images = tf.tensor4d(pixels, [2, size, size, 3]);
  const sides: Sides = { right: 0, bottom: 0, left: 0, top: 0 };
  const keys = Object.keys(sides) as (keyof Sides)[];
  let count = 0;
  for (const seed of seeds) {
    const model = paperNetForTests(size, seed, [8, 16, 16], 16);
    for (const r of attribute(model, images)) {
      const e = edgeExcess(r.map, { height: size, width: size }, 4);
      for (const k of keys) sides[k] += e[k];
      count++;
    }
    model.dispose();
  }
  images.dispose();
  for (const k of keys) sides[k] /= count;
  return sides;
}
