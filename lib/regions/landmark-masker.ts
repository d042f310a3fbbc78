// The landmark masker on one photo file: decoded like the network's input
// (sRGB, no alpha) at a working resolution that keeps the photo's aspect,
// the face found by the landmark model, the regions placed from its
// landmarks (lib/regions/landmark-regions.ts). No face: a warning and no
// label map, never a guessed one.
//
// Model choice and its measurements: lib/regions/face-landmarks.ts. Quality
// (`smile-lens masks --quality`, 122 images of `smile-lens synth --subjects
// 60 --expressive 16`, 128×128, pooled IoU %, landmarks vs the old colour
// rules): background 99.2/92.4, hair 93.3/42.2, face 94.8/64.7, face skin
// 92.1/58.9, mouth 83.7/–, eyes 81.6/–, brows 65.5/–, shirt 97.7/33.1, neck
// and ears 79.1/– (the colour rules place no parts); every drawn face found;
// about 0.18 s/image on wasm, the model included.
import sharp from 'sharp';
import type { Size } from '../audit/checks';
import { LandmarkDetector, landmarkDetector } from './face-landmarks';
import { LandmarkRegionOptions, landmarkRegions } from './landmark-regions';
import type { MaskWarning } from './mask-warnings';
import { workingSize } from './input-labels';
import { Crop, cropPixels } from '../data/crop';

export interface LandmarkMaskerOptions {
  /** Long side of the working copy the landmarks are found on (default 640). */
  workingSide: number;
  /**
   * Region pixels per input pixel (default 2): the regions are computed on a
   * copy of the whole photo at which the input's crop is this many times the
   * input's side (never more than the working copy), so the masks cost what
   * the network's input needs, not what the photo has.
   */
  oversampling: number;
  regions: Partial<LandmarkRegionOptions>;
  /** Default: the shared detector (loaded once per process). */
  detector?: LandmarkDetector;
}

/** Bump when the same photo would get other labels (the regions' rules, the model); keys cached label maps. */
export const LANDMARK_MASKER_VERSION = 2;

export const LANDMARK_MASKER_DEFAULTS: LandmarkMaskerOptions = { workingSide: 640, oversampling: 3, regions: {} };

/** The network's input the masks are for: its side and the crop of the photo it shows. */
export interface InputGeometry {
  size: number;
  crop: Crop;
}

export interface PhotoRegions {
  /** Whether a face was found; without one there is no label map. */
  found: boolean;
  /** Label map at `work` size covering the whole photo. */
  labels?: Uint8Array;
  /** Size of the copy the regions were computed on. */
  work: Size;
  original: Size;
  /** Landmarks of the face used (x, y interleaved, in `work` pixels). */
  points?: Float64Array;
  score?: number;
  warnings: MaskWarning[];
}

/** The photo's pixels at its working size, decoded as lib/data/decode.ts does. */
export async function workingImage(file: string, longSide: number): Promise<{ rgb: Uint8Array; work: Size; original: Size }> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch (e) {
    throw new Error(`${file}: cannot read the image (${(e as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new Error(`${file}: no image size in its header`);
  const original = { height: meta.height, width: meta.width };
  const work = workingSize(original, longSide);
  const { data, info } = await sharp(file, { failOn: 'warning' })
    .toColourspace('srgb')
    .removeAlpha()
    .resize(work.width, work.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: decoded to ${info.channels} channels, expected 3`);
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), work, original };
}

/** Size of the copy the regions are computed on, for an input of `input.size` pixels showing `input.crop` of the photo. */
export function regionSize(original: Size, work: Size, input: InputGeometry | undefined, oversampling: number): Size {
  if (!input) return work;
  const box = cropPixels(input.crop, original.width, original.height);
  const scale = Math.min(work.width / original.width, (oversampling * input.size) / Math.min(box.width, box.height));
  return { height: Math.max(1, Math.round(original.height * scale)), width: Math.max(1, Math.round(original.width * scale)) };
}

export async function landmarkPhotoRegions(file: string, options: Partial<LandmarkMaskerOptions> = {}, input?: InputGeometry): Promise<PhotoRegions> {
  const o = { ...LANDMARK_MASKER_DEFAULTS, ...options };
  const { rgb, work, original } = await workingImage(file, o.workingSide);
  const detector = o.detector ?? (await landmarkDetector());
  const faces = await detector.detect(rgb, work);
  const region = regionSize(original, work, input, o.oversampling);
  if (faces.length === 0) {
    return { found: false, work: region, original, warnings: [{ kind: 'no face found', message: 'the landmark model found no face; the image is left out of the shares' }] };
  }
  const warnings: MaskWarning[] = [];
  // The largest face is the subject (a poster or a reflection is smaller).
  const extent = (p: Float64Array) => {
    let lo = Infinity, hi = -Infinity;
    for (let k = 1; k < p.length; k += 2) {
      lo = Math.min(lo, p[k]);
      hi = Math.max(hi, p[k]);
    }
    return hi - lo;
  };
  const face = faces.reduce((a, b) => (extent(b.points) > extent(a.points) ? b : a));
  if (faces.length > 1) warnings.push({ kind: 'several faces', message: `${faces.length} faces found; the largest is masked` });
  const sx = region.width / work.width;
  const sy = region.height / work.height;
  const points = sx === 1 && sy === 1 ? face.points : face.points.map((v, k) => (k % 2 ? v * sy : v * sx));
  const pixels = sx === 1 && sy === 1 ? rgb : await resizeRgb(rgb, work, region);
  const r = landmarkRegions(pixels, region, points, o.regions);
  return { found: true, labels: r.labels, work: region, original, points, score: face.score, warnings: [...warnings, ...r.warnings] };
}

async function resizeRgb(rgb: Uint8Array, from: Size, to: Size): Promise<Uint8Array> {
  const data = await sharp(rgb, { raw: { width: from.width, height: from.height, channels: 3 } }).resize(to.width, to.height, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
