// A tiny learnable image set for smoke tests and unit tests: class c is a
// bright square in one of c-many positions over Gaussian noise. It needs no
// files, so the training pipeline can be exercised before any data exists.
import { createRandom } from '../util/random';
import type { TrainingData } from './train-seed';

export function makeToyData(count: number, size: number, classes: number, seed = 0): TrainingData {
  const rnd = createRandom(seed);
  const images = new Float32Array(count * size * size * 3);
  const labels = new Int32Array(count);
  const square = Math.max(2, Math.floor(size / 4));
  for (let n = 0; n < count; n++) {
    const label = n % classes;
    labels[n] = label;
    const angle = (2 * Math.PI * label) / classes;
    const cy = Math.round(size / 2 + (size / 4) * Math.sin(angle) - square / 2);
    const cx = Math.round(size / 2 + (size / 4) * Math.cos(angle) - square / 2);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = y >= cy && y < cy + square && x >= cx && x < cx + square;
        for (let ch = 0; ch < 3; ch++) {
          images[((n * size + y) * size + x) * 3 + ch] = rnd.normal(inside ? 1.5 : 0, 0.5);
        }
      }
    }
  }
  return { size, classes, images, labels };
}
