// Ground-truth regions of a face photograph, for the bias audit: how much of
// an explanation falls on hair or background rather than on the face.
//
// A data set with regions has a legend `regions.json` at its root and one
// label map per image: an 8-bit grayscale PNG whose pixel value is the region
// id, at <root>/<folder>/<image's path relative to root, with .png>.
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Crop, cropPixels } from './crop';
import { readJson } from '../util/atomic-write';

export const REGIONS = [
  { id: 0, name: 'background', description: 'the plain backdrop around the subject' },
  { id: 1, name: 'hair', description: 'hair on and around the head (and anything worn in it)' },
  { id: 2, name: 'face skin', description: 'the face inside its outline, except the parts below' },
  { id: 3, name: 'mouth', description: 'lips, and teeth and mouth opening when open' },
  { id: 4, name: 'eyes', description: 'both eyes including the lids’ line' },
  { id: 5, name: 'brows', description: 'both eyebrows' },
  { id: 6, name: 'shirt', description: 'the shirt on the shoulders' },
  { id: 7, name: 'neck and ears', description: 'skin that is not face: neck and ears' },
] as const;

export type RegionName = (typeof REGIONS)[number]['name'];

/** Unions the audit asks about. */
export const REGION_GROUPS: Record<string, RegionName[]> = {
  face: ['face skin', 'mouth', 'eyes', 'brows'],
  'facial features': ['mouth', 'eyes', 'brows'],
  skin: ['face skin', 'neck and ears'],
  'not face': ['background', 'hair', 'shirt', 'neck and ears'],
};

export interface RegionLegend {
  version: 1;
  /** Folder (relative to the data set root) holding the label maps. */
  folder: string;
  regions: { id: number; name: string; description?: string }[];
  groups: Record<string, string[]>;
}

export const REGIONS_FILE = 'regions.json';
export const REGIONS_FOLDER = 'regions';

export function defaultLegend(): RegionLegend {
  return { version: 1, folder: REGIONS_FOLDER, regions: REGIONS.map((r) => ({ ...r })), groups: REGION_GROUPS };
}

export function regionId(name: RegionName): number {
  return REGIONS.find((r) => r.name === name)!.id;
}

/** The legend of a data set, or undefined when it has no regions.json. */
export function readRegionLegend(root: string): RegionLegend | undefined {
  const file = path.join(root, REGIONS_FILE);
  if (!fs.existsSync(file)) return undefined;
  const legend = readJson<RegionLegend>(file, 'a region legend');
  if (typeof legend.folder !== 'string' || !Array.isArray(legend.regions) || legend.regions.some((r) => !Number.isInteger(r.id) || r.id < 0 || r.id > 255 || typeof r.name !== 'string')) {
    throw new Error(`${file}: expected {"folder": "...", "regions": [{"id": 0-255, "name": "..."}]}`);
  }
  legend.groups ??= {};
  return legend;
}

/** Where the label map of an image lives. */
export function regionMapPath(root: string, legend: RegionLegend, imagePath: string): string {
  const rel = path.relative(root, path.resolve(root, imagePath));
  return path.join(root, legend.folder, rel.replace(/\.[^./\\]+$/, '') + '.png');
}

/**
 * Reads a label map, cropped like the image and resized to size×size with
 * nearest neighbour (so every pixel stays a valid id). Row-major, one byte
 * per pixel.
 */
export async function loadRegionMap(file: string, options: { size: number; crop?: Crop }): Promise<Uint8Array> {
  const { size, crop = 'none' } = options;
  let meta: sharp.Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch (e) {
    throw new Error(`${file}: cannot read the region label map (${(e as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new Error(`${file}: region label map without a size`);
  const { data, info } = await sharp(file)
    .extractChannel(0)
    .extract(cropPixels(crop, meta.width, meta.height))
    .resize(size, size, { fit: 'fill', kernel: 'nearest' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || data.length !== size * size) throw new Error(`${file}: expected a one-channel label map, got ${info.channels} channels`);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** One 0/1 mask per region name (and group) for a label map. */
export function regionMasks(ids: Uint8Array, legend: RegionLegend): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const r of legend.regions) out[r.name] = regionMask(ids, [r.id]);
  for (const [group, names] of Object.entries(legend.groups)) {
    const groupIds = legend.regions.filter((r) => names.includes(r.name)).map((r) => r.id);
    out[group] = regionMask(ids, groupIds);
  }
  return out;
}

export function regionMask(ids: Uint8Array, regionIds: number[]): Uint8Array {
  const want = new Uint8Array(256);
  for (const id of regionIds) want[id] = 1;
  const mask = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) mask[i] = want[ids[i]];
  return mask;
}

/** Label of pixels in no region: a masker's leftovers, an image without a label map. */
export const UNLABELLED = 255;
/** The name its share goes by, so that an image's shares sum to 100%. */
export const UNLABELLED_NAME = 'unlabelled';

/**
 * Fraction of the picture per region of the legend, plus UNLABELLED_NAME for
 * every pixel whose id is in no region: the values sum to 1.
 */
export function regionAreas(ids: Uint8Array, legend: RegionLegend = defaultLegend()): Record<string, number> {
  const counts = new Float64Array(256);
  for (const v of ids) counts[v]++;
  const out: Record<string, number> = {};
  let claimed = 0;
  for (const r of legend.regions) {
    out[r.name] = counts[r.id] / ids.length;
    claimed += counts[r.id];
  }
  out[UNLABELLED_NAME] = (ids.length - claimed) / ids.length;
  return out;
}

/** Fraction of pixels per region id in a label map (for checks and notebooks). */
export function regionShares(ids: Uint8Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of ids) counts.set(v, (counts.get(v) ?? 0) + 1);
  return new Map([...counts].map(([k, c]) => [k, c / ids.length]));
}
