// Gaussian blur of images (NHWC), used for GradientSHAP's 'blur' baseline:
// the input with its detail removed but its colours kept. Separable, one
// kernel per channel (depthwise), radius ⌈3σ⌉, with reflected borders so
// every output pixel is a weighted average with weights summing to 1. Blur
// is then an affine-equivariant operation: blurring in the model's
// normalised space equals normalising the blurred raw image, so it does not
// matter which space the caller works in.
import * as tf from '@tensorflow/tfjs';

/** The normalised 1-D Gaussian taps exp(−d²/2σ²), d = −r…r. */
export function gaussianKernel1d(sigma: number, radius = Math.ceil(3 * sigma)): Float32Array {
  if (!(sigma > 0)) throw new Error(`blur: sigma must be > 0, got ${sigma}`);
  const taps = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let d = -radius; d <= radius; d++) {
    taps[d + radius] = Math.exp(-(d * d) / (2 * sigma * sigma));
    total += taps[d + radius];
  }
  return Float32Array.from(taps, (t) => t / total);
}

/** Blurs each channel of each image with a Gaussian of standard deviation `sigma` pixels. */
export function gaussianBlur(images: tf.Tensor4D, sigma: number): tf.Tensor4D {
  const [, h, w, c] = images.shape;
  // Reflection needs the pad to be smaller than the side; beyond ~side/1 the
  // image is a flat colour anyway.
  const radius = Math.min(Math.ceil(3 * sigma), h - 1, w - 1);
  if (radius < 1) return images.clone();
  const taps = gaussianKernel1d(sigma, radius);
  return tf.tidy(() => {
    const size = taps.length;
    const perChannel = (shape: [number, number]) =>
      tf.tile(tf.tensor4d(taps, [...shape, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
    const padded = tf.mirrorPad(images, [[0, 0], [radius, radius], [radius, radius], [0, 0]], 'reflect');
    const rows = tf.depthwiseConv2d(padded, perChannel([size, 1]), 1, 'valid');
    return tf.depthwiseConv2d(rows, perChannel([1, size]), 1, 'valid');
  });
}

/** Reflects an index into 0 … n − 1 without repeating the edge (tf.mirrorPad 'reflect'). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const k = ((i % period) + period) % period;
  return k < n ? k : period - k;
}

/**
 * The same blur on one H × W map in plain JavaScript (display smoothing of an
 * attribution map): equal to gaussianBlur on a 1 × H × W × 1 tensor.
 */
export function blurMap(map: ArrayLike<number>, width: number, height: number, sigma: number): Float32Array {
  if (map.length !== width * height) throw new Error(`blurMap: ${map.length} values, expected ${height}×${width}`);
  const radius = Math.min(Math.ceil(3 * sigma), height - 1, width - 1);
  if (radius < 1) return Float32Array.from(map);
  const taps = gaussianKernel1d(sigma, radius);
  const rows = new Float64Array(map.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let d = -radius; d <= radius; d++) s += taps[d + radius] * map[reflect(y + d, height) * width + x];
      rows[y * width + x] = s;
    }
  }
  const out = new Float32Array(map.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let d = -radius; d <= radius; d++) s += taps[d + radius] * rows[y * width + reflect(x + d, width)];
      out[y * width + x] = s;
    }
  }
  return out;
}
