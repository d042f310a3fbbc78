// Shared input checks for the audit's measurements. Maps and masks are flat,
// row-major H×W arrays; a wrong length or a NaN would otherwise turn into a
// plausible-looking number, so every public function checks and says what it
// expected.

/** Height × width of a map, a mask or an image. */
export interface Size {
  height: number;
  width: number;
}

/** An H×W attribution map, row-major. */
export type AttributionMap = ArrayLike<number>;

/** An H×W region mask, row-major: non-zero / true means inside. */
export type Mask = ArrayLike<number | boolean>;

export function checkSize(size: Size, what = 'size'): void {
  const { height, width } = size;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new Error(`${what}: expected positive integer height and width, got ${height}×${width}`);
  }
}

/** Checks a map's length (against `size` or `length`) and that every value is finite. */
export function checkMap(map: AttributionMap, expected: Size | number, what = 'map'): void {
  const n = typeof expected === 'number' ? expected : expected.height * expected.width;
  const shape = typeof expected === 'number' ? `${n} values` : `${expected.height}×${expected.width} = ${n} values`;
  if (map.length !== n) throw new Error(`${what}: expected ${shape}, got ${map.length}`);
  for (let i = 0; i < map.length; i++) {
    if (!Number.isFinite(map[i])) throw new Error(`${what}: expected finite values, found ${map[i]} at index ${i}`);
  }
}

export function checkMask(mask: Mask, expected: Size | number, what = 'mask'): void {
  const n = typeof expected === 'number' ? expected : expected.height * expected.width;
  const shape = typeof expected === 'number' ? `${n} values (the map's size)` : `${expected.height}×${expected.width} = ${n} values`;
  if (mask.length !== n) throw new Error(`${what}: expected ${shape}, got ${mask.length}`);
}

/** Number of pixels inside a mask. */
export function maskCount(mask: Mask): number {
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) k++;
  return k;
}

/** For metrics that need a ground-truth region: an empty one has no answer. */
export function checkNonEmptyMask(mask: Mask, expected: Size | number, what = 'mask'): number {
  checkMask(mask, expected, what);
  const k = maskCount(mask);
  if (k === 0) throw new Error(`${what}: expected a non-empty ground-truth region, but the mask has no pixel inside`);
  return k;
}
