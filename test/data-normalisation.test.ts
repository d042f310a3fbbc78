import * as assert from 'assert';
import { denormalise, modelInputs, normalise, normalisationStats } from '../lib/data/normalisation';

// Three 2×2 images: image k has R = 10k..., G constant 100, B in {0, 255}.
const size = 2;
const pixels = new Uint8Array(3 * size * size * 3);
for (let k = 0; k < 3; k++) {
  for (let p = 0; p < 4; p++) {
    const at = (k * 4 + p) * 3;
    pixels[at] = 50 * k + 10 * p;
    pixels[at + 1] = 100;
    pixels[at + 2] = p % 2 ? 255 : 0;
  }
}

describe('normalisation (training-split statistics)', () => {
  it('computes per-channel mean and std in 0..1 units on the given images only', () => {
    const s = normalisationStats(pixels, size, [0, 1]);
    const r = [0, 10, 20, 30, 50, 60, 70, 80];
    const mean = r.reduce((a, b) => a + b) / 8;
    const std = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 8);
    assert.ok(Math.abs(s.mean[0] - mean / 255) < 1e-12);
    assert.ok(Math.abs(s.std[0] - std / 255) < 1e-12);
    assert.ok(Math.abs(s.mean[1] - 100 / 255) < 1e-12);
    assert.strictEqual(s.std[1], 0);
    assert.ok(Math.abs(s.mean[2] - 0.5) < 1e-12);
    assert.ok(Math.abs(s.std[2] - 0.5) < 1e-12);
    assert.strictEqual(s.images, 2);
    // image 2 (not in the training split) would change the red mean
    assert.notStrictEqual(normalisationStats(pixels, size).mean[0], s.mean[0]);
  });

  it('normalises any split with the training statistics, and undoes it', () => {
    const s = normalisationStats(pixels, size, [0, 1]);
    const train = normalise(pixels, size, s, [0, 1]);
    let sum = 0;
    let sq = 0;
    for (let p = 0; p < train.length; p += 3) {
      sum += train[p];
      sq += train[p] * train[p];
    }
    assert.ok(Math.abs(sum / 8) < 1e-6, 'red has mean 0 on the training split');
    assert.ok(Math.abs(sq / 8 - 1) < 1e-5, 'and variance 1');
    // a constant channel becomes 0 instead of dividing by zero
    assert.ok(train.filter((_, p) => p % 3 === 1).every((v) => v === 0));
    const other = normalise(pixels, size, s, [2]);
    assert.ok(Math.abs(other[0] - (100 / 255 - s.mean[0]) / s.std[0]) < 1e-5);
    const back = denormalise(other, s);
    assert.ok(Math.abs(back[0] - 100 / 255) < 1e-5);
    assert.ok(Math.abs(back[2] - 0) < 1e-6);
  });

  it('builds the network inputs for a split', () => {
    const s = normalisationStats(pixels, size, [0, 1]);
    const inputs = modelInputs({ pixels, size, labels: Int32Array.from([4, 0, 2]) }, [2, 0], s);
    assert.deepStrictEqual(Array.from(inputs.labels), [2, 4]);
    assert.strictEqual(inputs.images.length, 2 * 12);
    assert.strictEqual(inputs.classes, 5);
    assert.throws(() => normalisationStats(pixels, size, []), /at least one image/);
    assert.throws(() => normalisationStats(pixels, size, [3]), /outside the 3 images/);
  });
});
