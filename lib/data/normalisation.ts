// "Normalized using the mean and standard deviation of the dataset" (paper,
// section VII), done without leaking: the per-channel statistics come from
// the training split only and are applied to every split. Units are those of
// pixels scaled to 0..1 (as torchvision's ToTensor + Normalize).

export interface NormalisationStats {
  /** Per channel R, G, B, in 0..1 units. */
  mean: [number, number, number];
  std: [number, number, number];
  /** Images the statistics were computed on. */
  images: number;
}

/** The network's inputs for a subset: normalised floats and class labels. */
export interface ModelInputs {
  size: number;
  classes: number;
  /** N×size×size×3, normalised, row-major. */
  images: Float32Array;
  labels: Int32Array;
}

function allIndices(pixels: Uint8Array, size: number): number[] {
  return Array.from({ length: pixels.length / (size * size * 3) }, (_, i) => i);
}

/** Per-channel mean and (population) standard deviation over the given images. */
export function normalisationStats(pixels: Uint8Array, size: number, indices?: ArrayLike<number>): NormalisationStats {
  const which = indices ?? allIndices(pixels, size);
  if (which.length === 0) throw new Error('normalisation statistics need at least one image (the training split is empty)');
  const n = size * size * 3;
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let k = 0; k < which.length; k++) {
    const base = which[k] * n;
    if (base + n > pixels.length) throw new Error(`image index ${which[k]} is outside the ${pixels.length / n} images`);
    // Integer sums per image stay exact; floats only across images.
    let s0 = 0, s1 = 0, s2 = 0, q0 = 0, q1 = 0, q2 = 0;
    for (let p = base; p < base + n; p += 3) {
      const r = pixels[p], g = pixels[p + 1], b = pixels[p + 2];
      s0 += r; s1 += g; s2 += b;
      q0 += r * r; q1 += g * g; q2 += b * b;
    }
    sum[0] += s0; sum[1] += s1; sum[2] += s2;
    sq[0] += q0; sq[1] += q1; sq[2] += q2;
  }
  const count = which.length * size * size;
  const mean = sum.map((s) => s / count / 255) as [number, number, number];
  const std = sq.map((q, c) => Math.sqrt(Math.max(0, q / count / (255 * 255) - mean[c] * mean[c]))) as [number, number, number];
  return { mean, std, images: which.length };
}

/** (pixel/255 − mean) / std for the given images (all when omitted), as floats. */
export function normalise(pixels: Uint8Array, size: number, stats: NormalisationStats, indices?: ArrayLike<number>): Float32Array {
  const which = indices ?? allIndices(pixels, size);
  const n = size * size * 3;
  const out = new Float32Array(which.length * n);
  // A constant channel (std 0) would divide by zero; it carries no information, so it becomes 0.
  const scale = stats.std.map((s) => (s > 1e-8 ? 1 / (255 * s) : 0));
  const shift = stats.mean.map((m, c) => (stats.std[c] > 1e-8 ? m / stats.std[c] : 0));
  for (let k = 0; k < which.length; k++) {
    const from = which[k] * n;
    const to = k * n;
    for (let p = 0; p < n; p += 3) {
      out[to + p] = pixels[from + p] * scale[0] - shift[0];
      out[to + p + 1] = pixels[from + p + 1] * scale[1] - shift[1];
      out[to + p + 2] = pixels[from + p + 2] * scale[2] - shift[2];
    }
  }
  return out;
}

/** Undoes normalise() for display: floats back to 0..1 (clamped). */
export function denormalise(images: Float32Array, stats: NormalisationStats): Float32Array {
  const out = new Float32Array(images.length);
  for (let p = 0; p < images.length; p++) {
    const c = p % 3;
    out[p] = Math.min(1, Math.max(0, images[p] * stats.std[c] + stats.mean[c]));
  }
  return out;
}

/** A split of a dataset as the network takes it (matches lib/train's TrainingData). */
export function modelInputs(
  dataset: { pixels: Uint8Array; size: number; labels: Int32Array },
  indices: ArrayLike<number>,
  stats: NormalisationStats,
  classes = 5,
): ModelInputs {
  return {
    size: dataset.size,
    classes,
    images: normalise(dataset.pixels, dataset.size, stats, indices),
    labels: Int32Array.from(indices as ArrayLike<number>, (i) => dataset.labels[i]),
  };
}
