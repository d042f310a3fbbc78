// Grad-CAM (Selvaraju et al. 2017; the paper's section IV):
//   L^c = ReLU(Σ_k α_k^c A^k),  α_k^c = (1/Z) Σ_ij ∂y_c/∂A^k_ij,
// with y_c the class score before the softmax (the default; or its
// log-probability, target 'log-prob') and A^k the feature maps of a
// convolutional layer (default: the last block's output). The stored map is
// the raw L^c at the layer's resolution plus its bilinear upsampling to the
// input size, each cell placed on its receptive field's centre (derived from
// the layers, receptive-field.ts; or half-pixel, as a plain resize would);
// neither is normalised (normalising is for display only). A map
// that is zero everywhere (every weighted sum ≤ 0) is flagged, not divided
// by zero.
import * as tf from '@tensorflow/tfjs';
import { checkTarget, classScoreGradient } from './gradients';
import { layerGraph } from './layer-graph';
import { importanceFromGradients } from './neuron-importance';
import { halfPixelGeometry, layerGeometry, MapGeometry } from './receptive-field';
import { UPSAMPLE_ALIGNMENTS, upsampleBilinear, UpsampleAlignment } from './upsample';
import type { Explainer, Target } from './explainer';
import { choice, text } from '../config/schema';

export interface GradCamOptions {
  /** Convolutional layer to explain; default: the last block's output (see defaultGradCamLayer). */
  layer?: string;
  /** Class per image (or one for all); default: the predicted class. */
  classIndex?: number | readonly number[];
  /** Images per forward/backward pass (default 32). */
  batchSize?: number;
  /** How `upsampled` is aligned: on the cells' receptive-field centres (default) or half-pixel (a plain resize, Captum's 'bilinear'). */
  upsampling?: UpsampleAlignment;
  /** y^c: the class score before the softmax ('logit', default, as Grad-CAM's paper) or log p_c ('log-prob'). */
  target?: Target;
}

export interface GradCamMap {
  layer: string;
  classIndex: number;
  /** y_c(x), the explained output (the target) of the explained class. */
  score: number;
  target: Target;
  /** α_k^c, one per feature map k. */
  alpha: Float32Array;
  /** L^c = ReLU(Σ_k α_k^c A^k), row-major at the layer's resolution. */
  raw: Float32Array;
  rawShape: [number, number];
  /** `raw` upsampled bilinearly to the input size, aligned as `geometry` says. */
  upsampled: Float32Array;
  size: [number, number];
  upsampling: UpsampleAlignment;
  /** Cell j's centre in input pixels (offset + stride·j per axis), as used for `upsampled`. */
  geometry: MapGeometry;
  /** True when L^c is 0 everywhere: nothing in this layer speaks for the class. */
  allZero: boolean;
}

/**
 * The layer Grad-CAM explains by default: the paper network's last block
 * output (blockN_relu), else the last layer with feature maps (rank-4 output).
 */
export function defaultGradCamLayer(model: tf.LayersModel): string {
  const blocks = model.layers.map((l) => l.name).filter((n) => /^block\d+_relu$/.test(n));
  if (blocks.length > 0) return blocks[blocks.length - 1];
  const maps = model.layers.filter((l) => l.inboundNodes.length === 1 && l.inboundNodes[0].outputTensors[0]?.rank === 4 && l.inboundNodes[0].inputTensors.length > 0);
  if (maps.length === 0) throw new Error('Grad-CAM: the model has no layer with feature maps (rank-4 output)');
  return maps[maps.length - 1].name;
}

/** L^c = ReLU(Σ_k α_k A^k) for each image: (batch × u × v × K, batch × K) → batch × u × v. */
export function gradCamMaps(activations: tf.Tensor4D, alpha: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, , , k] = activations.shape;
    return tf.relu(tf.sum(tf.mul(activations, tf.reshape(alpha, [b, 1, 1, k])), 3)) as tf.Tensor3D;
  });
}

/** Grad-CAM for a batch of images (NHWC, in the model's input space). */
export function gradCam(model: tf.LayersModel, images: tf.Tensor4D, options: GradCamOptions = {}): GradCamMap[] {
  const layer = options.layer ?? defaultGradCamLayer(model);
  const rank = layerGraph(model).layerOutput(layer).rank;
  if (rank !== 4) throw new Error(`Grad-CAM: layer "${layer}" outputs rank ${rank}, not feature maps (batch × u × v × K)`);
  const [n, H, W] = images.shape;
  const target = checkTarget(options.target, 'Grad-CAM');
  const upsampling = options.upsampling ?? 'receptive-field';
  if (upsampling !== 'receptive-field' && upsampling !== 'half-pixel') throw new Error(`Grad-CAM: upsampling must be 'receptive-field' or 'half-pixel', got "${upsampling}"`);
  const fieldGeometry = upsampling === 'receptive-field' ? layerGeometry(model, layer) : undefined;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
  const classFor = (start: number, count: number): number | number[] | undefined => {
    // Narrowed by hand: tslab compiles without strictNullChecks.
    const c = options.classIndex;
    if (c === undefined || typeof c === 'number') return c as number | undefined;
    return (c as readonly number[]).slice(start, start + count);
  };
  if (Array.isArray(options.classIndex) && options.classIndex.length !== n) {
    throw new Error(`Grad-CAM: ${options.classIndex.length} class indices for ${n} images`);
  }

  const results: GradCamMap[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const chunk = tf.tidy(() => {
      const x = count === n ? images : images.slice([start, 0, 0, 0], [count, H, W, images.shape[3]]);
      const g = classScoreGradient(model, x, { layer, classIndex: classFor(start, count), target });
      const alpha = importanceFromGradients(g.gradient as tf.Tensor4D);
      const maps = gradCamMaps(g.activations as tf.Tensor4D, alpha);
      const picked = tf.sum(tf.mul(g.scores, tf.oneHot(tf.tensor1d(g.classIndices, 'int32'), g.scores.shape[1]).toFloat()), 1);
      return { alpha, maps, picked, classIndices: g.classIndices };
    });
    const [, u, v] = chunk.maps.shape;
    const geometry = fieldGeometry ?? halfPixelGeometry(u, v, H, W);
    const k = chunk.alpha.shape[1];
    const alpha = chunk.alpha.dataSync() as Float32Array;
    const maps = chunk.maps.dataSync() as Float32Array;
    const picked = chunk.picked.dataSync();
    for (let i = 0; i < count; i++) {
      const raw = maps.slice(i * u * v, (i + 1) * u * v);
      results.push({
        layer,
        classIndex: chunk.classIndices[i],
        score: picked[i],
        target,
        alpha: alpha.slice(i * k, (i + 1) * k),
        raw,
        rawShape: [u, v],
        upsampled: upsampleBilinear(raw, u, v, H, W, fieldGeometry),
        size: [H, W],
        upsampling,
        geometry,
        allZero: raw.every((value) => value === 0),
      });
    }
    tf.dispose([chunk.alpha, chunk.maps, chunk.picked]);
  }
  return results;
}

export interface GradCamExplainerOptions {
  /** The layer explained; '' = the last block's output (defaultGradCamLayer). */
  layer: string;
  /** How the layer's map is put on the image: on the cells' receptive-field centres, or half-pixel (a plain resize). */
  upsampling: UpsampleAlignment;
}

/** Grad-CAM in the explainer registry. */
export const gradCamExplainer: Explainer<GradCamExplainerOptions> = {
  name: 'gradcam',
  label: 'Grad-CAM',
  reference: 'Selvaraju et al. 2017, "Grad-CAM: visual explanations from deep networks via gradient-based localization"',
  formula: String.raw`$L^c = \mathrm{ReLU}\big(\sum_k \alpha_k^c A^k\big)$ with $\alpha_k^c = \frac{1}{Z}\sum_{i,j} \partial y_c / \partial A^k_{ij}$`,
  options: {
    layer: text({ describe: 'Grad-CAM layer (default: the last block, block3_relu)', default: '', nonEmpty: false, placeholder: '<name>' }),
    upsampling: choice(UPSAMPLE_ALIGNMENTS, { describe: "how Grad-CAM's layer map is put on the image: each cell on its receptive field's centre, or half-pixel (a plain resize)", default: 'receptive-field' }),
  },
  flags: { layer: 'layer', upsampling: 'upsampling' },
  mapShape: 'layer',
  sign: 'non-negative',
  display: { scale: 'sequential', unit: 'logit', label: 'Grad-CAM' },
  completeness: false,
  stochastic: false,
  attribute(request, options) {
    return gradCam(request.model, request.images, { layer: options.layer || undefined, classIndex: request.classIndex, upsampling: options.upsampling, target: request.target }).map((m) => ({
      map: m.raw,
      shape: m.rawShape,
      classIndex: m.classIndex,
      score: m.score,
      diagnostics: {},
      parameters: { layer: m.layer, upsampling: m.upsampling, geometry: m.geometry },
    }));
  },
  // With the geometry the sidecar records (maps from before it was recorded: half-pixel, as their overlays).
  atInputSize(map, shape, parameters, size) {
    const geometry = parameters.upsampling === 'receptive-field' ? (parameters.geometry as MapGeometry | undefined) : undefined;
    return shape[0] === size && shape[1] === size ? map : upsampleBilinear(map, shape[0], shape[1], size, size, geometry);
  },
};
