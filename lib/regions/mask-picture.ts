// Pictures of a region map: the label image (8-bit grey, pixel value = region
// id, the format of a data set's own label maps, so it can be corrected by
// hand and used as ground truth) and a colour-coded overlay on the photo.
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Size } from '../audit/checks';
import { RegionLegend, UNLABELLED, defaultLegend } from '../data/regions';

/** Colours per region name (others get a grey from their id). */
export const REGION_COLOURS: Record<string, [number, number, number]> = {
  background: [240, 240, 240],
  hair: [140, 70, 20],
  'face skin': [255, 200, 140],
  mouth: [220, 20, 60],
  eyes: [30, 144, 255],
  brows: [110, 40, 160],
  shirt: [90, 110, 130],
  'neck and ears': [255, 150, 0],
  nose: [200, 120, 90],
};
/** Unlabelled pixels: a colour no region uses. */
export const UNLABELLED_COLOUR: [number, number, number] = [0, 230, 0];

export function regionColour(name: string, id: number): [number, number, number] {
  return REGION_COLOURS[name] ?? [id % 256, id % 256, id % 256];
}

/** RGB of a label map in the regions' colours. */
export function colourLabels(labels: Uint8Array, legend: RegionLegend = defaultLegend()): Uint8Array {
  const palette = Array.from({ length: 256 }, () => UNLABELLED_COLOUR);
  for (const r of legend.regions) palette[r.id] = regionColour(r.name, r.id);
  palette[UNLABELLED] = UNLABELLED_COLOUR;
  const out = new Uint8Array(labels.length * 3);
  for (let i = 0; i < labels.length; i++) out.set(palette[labels[i]], i * 3);
  return out;
}

/** The photo (RGB, same size) with the region colours over it at `opacity`. */
export function overlayLabels(rgb: ArrayLike<number>, labels: Uint8Array, legend: RegionLegend = defaultLegend(), opacity = 0.5): Uint8Array {
  if (rgb.length !== labels.length * 3) throw new Error(`overlayLabels: expected an RGB image of ${labels.length} pixels, got ${rgb.length / 3}`);
  const colours = colourLabels(labels, legend);
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = Math.round((1 - opacity) * rgb[i] + opacity * colours[i]);
  return out;
}

export interface MaskPictureFiles {
  labels: string;
  overlay: string;
}

/**
 * Writes `<stem>.labels.png` (the label image) and `<stem>.overlay.png` (the
 * photo with the regions in colour) into `dir`.
 */
export async function writeMaskPictures(dir: string, stem: string, rgb: ArrayLike<number>, labels: Uint8Array, size: Size, legend: RegionLegend = defaultLegend()): Promise<MaskPictureFiles> {
  if (labels.length !== size.height * size.width) throw new Error(`writeMaskPictures: expected ${size.height}×${size.width} labels, got ${labels.length}`);
  fs.mkdirSync(dir, { recursive: true });
  const files = { labels: path.join(dir, `${stem}.labels.png`), overlay: path.join(dir, `${stem}.overlay.png`) };
  await sharp(Buffer.from(labels), { raw: { width: size.width, height: size.height, channels: 1 } }).toColourspace('b-w').png().toFile(files.labels);
  await sharp(Buffer.from(overlayLabels(rgb, labels, legend)), { raw: { width: size.width, height: size.height, channels: 3 } }).png().toFile(files.overlay);
  return files;
}
