// Label maps computed on a photo (at any working resolution of the whole
// photo) brought to the network's input: the data set's crop, then a square
// of size×size, exactly as lib/data/decode.ts makes the input pixels, so a
// mask pixel sits under the attribution pixel it describes. Nearest
// neighbour at pixel centres keeps ids intact.
import { Size, checkSize } from '../audit/checks';
import { Crop, cropPixels } from '../data/crop';

/**
 * `labels` (work.height × work.width) cover the whole photo of size
 * `original`; returns the size×size labels of the input's crop.
 */
export function labelsAtInput(labels: Uint8Array, work: Size, original: Size, crop: Crop, size: number): Uint8Array {
  checkSize(work, 'labelsAtInput working size');
  checkSize(original, 'labelsAtInput original size');
  if (labels.length !== work.height * work.width) throw new Error(`labelsAtInput: expected ${work.height}×${work.width} labels, got ${labels.length}`);
  if (!Number.isInteger(size) || size < 1) throw new Error(`labelsAtInput: expected a positive integer input size, got ${size}`);
  const box = cropPixels(crop, original.width, original.height);
  const sx = work.width / original.width;
  const sy = work.height / original.height;
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    const oy = box.top + ((y + 0.5) * box.height) / size;
    const wy = Math.min(work.height - 1, Math.floor(oy * sy));
    for (let x = 0; x < size; x++) {
      const ox = box.left + ((x + 0.5) * box.width) / size;
      const wx = Math.min(work.width - 1, Math.floor(ox * sx));
      out[y * size + x] = labels[wy * work.width + wx];
    }
  }
  return out;
}

/** The working size of a photo: its long side at most `longSide`, the aspect kept. */
export function workingSize(original: Size, longSide: number): Size {
  checkSize(original, 'workingSize original size');
  const scale = Math.min(1, longSide / Math.max(original.height, original.width));
  return { height: Math.max(1, Math.round(original.height * scale)), width: Math.max(1, Math.round(original.width * scale)) };
}
