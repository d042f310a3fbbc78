// The one primitive both explainers need: the gradient of the explained
// output for class c with respect to the input image or to a layer's
// activations A, for a batch of images at once. The output is the class
// score y_c before the softmax (the default: Grad-CAM's paper defines y^c so)
// or its log-probability log p_c = y_c − log Σ_k e^{y_k}, what the paper's
// network ends in; then ∂log p_c = ∂y_c − Σ_k p_k ∂y_k: the evidence for c
// minus the probability-weighted evidence for every class. The batch is differentiated as the sum
// Σ_b y_{c_b}(x_b): in inference mode the images do not interact, so the
// gradient of the sum with respect to image b's activations is image b's own
// ∂y_{c_b}/∂A_b, and one forward + one backward pass serves the whole batch.
import * as tf from '@tensorflow/tfjs';
import { frameKey, layerGraph } from './layer-graph';
import { Target, TARGETS } from './explainer';

/** The target asked for, checked (default 'logit'). */
export function checkTarget(target: unknown, who: string): Target {
  if (target === undefined) return 'logit';
  if (!(TARGETS as readonly unknown[]).includes(target)) throw new Error(`${who}: target must be one of ${TARGETS.join(', ')}, got "${String(target)}"`);
  return target as Target;
}

export interface ScoreGradientOptions {
  /** Layer whose output A the gradient is taken with respect to; null/undefined: the input image. */
  layer?: string | null;
  /** Class c per image (one number: the same for all); default: the predicted class, argmax_c y_c. */
  classIndex?: number | readonly number[];
  /**
   * Padding colours of 'same' convolutions, by the id of their input tensor
   * (batch × 1 × 1 × C each; layer-graph.ts); default the model's 0. With
   * respect to the input, their gradients are returned too.
   */
  frames?: ReadonlyMap<number, tf.Tensor>;
  /** The output differentiated: 'logit' (default, y_c) or 'log-prob' (log-softmax). */
  target?: Target;
}

export interface ScoreGradient {
  /** The activations A (for the input: a copy of the images). */
  activations: tf.Tensor;
  /** ∂y_{c_b}/∂A_b (of the target output) for each image b; the shape of `activations`. */
  gradient: tf.Tensor;
  /** The target output for every class (batch × classes): the scores y, or log-probabilities. */
  scores: tf.Tensor2D;
  /** The class c_b explained for each image. */
  classIndices: number[];
  /** ∂y_{c_b}/∂frame for each given frame (same keys and shapes), when the gradient is taken at the input. */
  frameGradients?: Map<number, tf.Tensor>;
}

/** Checks the requested classes against the batch and the number of classes. */
export function resolveClassIndices(
  classIndex: number | readonly number[] | undefined,
  batch: number,
  classes: number,
  predicted: () => number[],
): number[] {
  const indices = classIndex === undefined
    ? predicted()
    : typeof classIndex === 'number'
      ? new Array<number>(batch).fill(classIndex)
      : [...classIndex];
  if (indices.length !== batch) throw new Error(`explain: ${indices.length} class indices for ${batch} images`);
  for (const c of indices) {
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new Error(`explain: class index ${c} is not one of the model's ${classes} classes (0…${classes - 1})`);
    }
  }
  return indices;
}

/** The explained output (batch × classes) as the target says. */
export function targetOutput(scores: tf.Tensor2D, target: Target = 'logit'): tf.Tensor2D {
  return target === 'log-prob' ? tf.logSoftmax(scores) : scores;
}

/**
 * The class scores y (batch × classes) in inference mode, by the same graph
 * walk the gradients use; log-probabilities for target 'log-prob'; with
 * padding colours `frames` if given.
 */
export function classScores(model: tf.LayersModel, images: tf.Tensor4D, options: { frames?: ReadonlyMap<number, tf.Tensor>; target?: Target } = {}): tf.Tensor2D {
  const graph = layerGraph(model);
  return tf.tidy(() => targetOutput(graph.evaluate(graph.output, graph.start(images, options.frames)) as tf.Tensor2D, options.target));
}

/** Scores of every image (chunked; with the padding colours `planes` if given, one per padding for all images), read back as a row-major Float32Array. */
export function classScoresChunked(model: tf.LayersModel, images: tf.Tensor4D, batchSize: number, target: Target = 'logit', planes?: ReadonlyMap<number, tf.Tensor>): Float32Array {
  const [m, h, w, c] = images.shape;
  const rows: Float32Array[] = [];
  for (let start = 0; start < m; start += batchSize) {
    const k = Math.min(batchSize, m - start);
    const frames = (): Map<number, tf.Tensor> | undefined => (planes ? new Map([...planes].map(([id, colour]) => [id, tf.tile(colour, [k, 1, 1, 1])])) : undefined);
    const y = tf.tidy(() => classScores(model, tf.slice(images, [start, 0, 0, 0], [k, h, w, c]), { frames: frames(), target }));
    rows.push(y.dataSync() as Float32Array);
    y.dispose();
  }
  if (rows.length === 1) return rows[0];
  const out = new Float32Array(rows.reduce((t, r) => t + r.length, 0));
  let offset = 0;
  for (const r of rows) {
    out.set(r, offset);
    offset += r.length;
  }
  return out;
}

/** y_{c_b} per image: each row's entry at its class (batch). */
export function scoresOfClasses(scores: tf.Tensor2D, classIndices: readonly number[]): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(scores, tf.oneHot(tf.tensor1d(classIndices as number[], 'int32'), scores.shape[1]).toFloat()), 1) as tf.Tensor1D);
}

/**
 * The scores at the inputs, once for the batch: the class explained for each
 * image (the given one, else the predicted one) and the target output of
 * every class, row-major (batch × classes).
 */
export function scoresAtInputs(model: tf.LayersModel, images: tf.Tensor4D, classIndex?: number | readonly number[], target: Target = 'logit'): { classes: number; classIndices: number[]; scores: Float32Array } {
  const y = classScores(model, images, { target });
  try {
    const classes = y.shape[1];
    const classIndices = resolveClassIndices(classIndex, images.shape[0], classes, () => argMaxRows(y));
    return { classes, classIndices, scores: y.dataSync() as Float32Array };
  } finally {
    y.dispose();
  }
}

/** argmax per row, read back to numbers. */
export function argMaxRows(scores: tf.Tensor2D): number[] {
  return tf.tidy(() => Array.from(tf.argMax(scores, 1).dataSync()));
}

/**
 * ∂y_c/∂A for a batch of images (NHWC, in the model's input space). The
 * returned tensors belong to the caller (dispose them, or call inside tf.tidy).
 */
export function classScoreGradient(model: tf.LayersModel, images: tf.Tensor4D, options: ScoreGradientOptions = {}): ScoreGradient {
  const graph = layerGraph(model);
  const classes = graph.output.shape[graph.output.shape.length - 1];
  if (typeof classes !== 'number') throw new Error('explain: the model output has no fixed number of classes');
  const target = checkTarget(options.target, 'explain');
  const frames = options.frames && options.frames.size > 0 ? options.frames : undefined;
  const frameIds = frames ? [...frames.keys()] : [];
  const { frameGrads, ...result } = tf.tidy(() => {
    const front = graph.start(images, frames);
    const split = options.layer ? graph.layerOutput(options.layer) : graph.input;
    // Forward to the split point once; everything it needed stays in `front`
    // and is a constant for the backward pass below.
    const activations = graph.evaluate(split, front);
    const classIndices = resolveClassIndices(options.classIndex, images.shape[0], classes, () =>
      argMaxRows(graph.evaluate(graph.output, new Map(front)) as tf.Tensor2D),
    );
    const selector = tf.oneHot(tf.tensor1d(classIndices, 'int32'), classes).toFloat();
    let scores: tf.Tensor2D | undefined;
    const scoreOfClass = (a: tf.Tensor, frameValues: tf.Tensor[] = []): tf.Scalar => {
      const values = new Map(front);
      values.set(split.id, a);
      frameValues.forEach((f, i) => values.set(frameKey(frameIds[i]), f));
      const y = targetOutput(graph.evaluate(graph.output, values) as tf.Tensor2D, target);
      scores = tf.keep(y);
      return tf.sum(tf.mul(y, selector));
    };
    let grad: tf.Tensor;
    let frameGrads: tf.Tensor[] = [];
    if (frames && split === graph.input) {
      [grad, ...frameGrads] = tf.valueAndGrads((...xs: tf.Tensor[]) => scoreOfClass(xs[0], xs.slice(1)))([activations, ...frameIds.map((id) => frames.get(id)!)]).grads;
    } else {
      grad = tf.valueAndGrad((a: tf.Tensor) => scoreOfClass(a))(activations).grad;
    }
    // tf.keep exempts a tensor from every enclosing tidy for good; hand out a
    // clone that tidy tracks again, so callers inside tf.tidy need no dispose.
    const kept = scores!;
    const scoresOut = kept.clone();
    kept.dispose();
    return {
      activations: split === graph.input ? activations.clone() : activations,
      gradient: grad,
      scores: scoresOut,
      classIndices,
      frameGrads,
    };
  });
  // (A Map is no tensor container for tf.tidy: it is built outside.)
  return frameGrads.length ? { ...result, frameGradients: new Map(frameIds.map((id, i) => [id, frameGrads[i]])) } : result;
}
