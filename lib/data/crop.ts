// Which part of a photograph goes into the network. The paper resizes the
// whole 2444×1718 photograph to 128×128 ('none', squashing the aspect ratio).
// 'face' first cuts a square around the head: CFD photographs are
// standardised (subject centred, same framing), so a fixed box does it
// without a face detector. Boxes are fractions of the image's width/height.

export interface CropBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type Crop = 'none' | 'face' | CropBox;

/** Side of the face square as a fraction of the image height, and its top. */
const FACE_SIDE = 0.8;
const FACE_TOP = 0.04;

export function cropBox(crop: Crop, width: number, height: number): CropBox {
  if (crop === 'none') return { left: 0, top: 0, width: 1, height: 1 };
  if (crop === 'face') {
    const side = Math.min(FACE_SIDE * height, width);
    return { left: (1 - side / width) / 2, top: FACE_TOP, width: side / width, height: side / height };
  }
  for (const k of ['left', 'top', 'width', 'height'] as const) {
    if (!(crop[k] >= 0 && crop[k] <= 1)) throw new Error(`crop box: ${k} must be a fraction in [0, 1], got ${crop[k]}`);
  }
  if (crop.left + crop.width > 1 + 1e-9 || crop.top + crop.height > 1 + 1e-9) {
    throw new Error(`crop box ${JSON.stringify(crop)} reaches outside the image`);
  }
  return crop;
}

/** The crop in whole pixels, as sharp's extract() wants it (at least 1×1). */
export function cropPixels(crop: Crop, width: number, height: number) {
  const b = cropBox(crop, width, height);
  const left = Math.min(width - 1, Math.round(b.left * width));
  const top = Math.min(height - 1, Math.round(b.top * height));
  return {
    left,
    top,
    width: Math.max(1, Math.min(width - left, Math.round(b.width * width))),
    height: Math.max(1, Math.min(height - top, Math.round(b.height * height))),
  };
}

export function describeCrop(crop: Crop): string {
  if (typeof crop === 'string') return crop;
  return `box(${crop.left},${crop.top},${crop.width},${crop.height})`;
}
