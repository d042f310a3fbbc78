// Region masks for the REAL Chicago Face Database photos, which come without
// ground truth. The photos are standardised (Ma, Correll & Wittenbrink 2015):
// one person, frontal, in the same grey T-shirt, before a near-white
// backdrop, under the same light. So classical colour rules get far:
//
//   background  near-white (every channel ≥ backgroundMinValue, chroma ≤
//               backgroundMaxChroma) AND connected to the image border, so
//               eye whites and teeth do not count as backdrop;
//   face        skin by the chroma box of Chai & Ngan (1999, "Face
//               segmentation using skin-color map in videophone
//               applications", IEEE TCSVT 9(4)): 77 ≤ Cb ≤ 127 and
//               133 ≤ Cr ≤ 173 (full-range BT.601 YCbCr, as a decoded JPEG
//               has it), plus a luma floor of ours (skinMinLuma: near-black
//               hair has a faint chroma that can fall inside the box); then
//               opening, the largest connected skin component, closing, and
//               hole filling (eyes, brows, lips, nostrils become face);
//   shirt       low-chroma grey pixels below the face's centroid, in a
//               component that reaches the bottom edge of the picture;
//   hair        what is left that is neither backdrop, face nor shirt, not
//               brighter than hairMaxLuma, in components that come within
//               hairReach of the face (above and around it).
//
// Ids are those of the data sets' legend (lib/data/regions.ts): 'background',
// 'hair', 'face skin', 'shirt' and, with chinRatio, 'neck and ears'.
//
// What this does NOT do, and why:
// - Parts (eyes, brows, mouth) are not placed: they are labelled face skin.
//   Placing them from holes in the skin mask or from the face box's
//   proportions could not be checked against real photos here (the CFD
//   photos cannot be kept in the project), and the face box includes neck
//   and ears, which shifts any proportion. The 'face' group (skin ∪ mouth ∪
//   eyes ∪ brows) is unaffected.
// - The neck and ears are skin connected to the face, and the chin does not
//   show in a skin mask (chin and neck have the same colour). By default they
//   are face skin, so on real photos 'face' includes them, unlike the
//   synthetic ground truth. chinRatio cuts the face at a proportion instead:
//   rows below top + chinRatio × (widest row) become 'neck and ears'. It is a
//   rough anthropometric rule (hairline-to-chin ≈ 1.2 × head width with ears)
//   that bangs or a tilted head break, so it is off until checked on CFD.
// - Brown or blonde hair can have skin chroma (Chai & Ngan's box is
//   chroma-only); where it touches the face it can join the face mask.
//   Tune skinCr / skinMinLuma per set, and look at the masks.
// - Pixels no rule claims (anti-aliased outlines, shadows on the backdrop)
//   get UNLABELLED (255): they belong to no region.
//
// Sizes (radii) are fractions of the picture's shorter side, so the same
// options work on a 2444×1718 original and on its 128×128 copy.
import { Size, checkSize } from './checks';
import { defaultLegend, RegionLegend, UNLABELLED } from '../data/regions';
import { andNot, borderMask, close, componentsTouching, dilate, fillHoles, largestComponent, open } from './binary-morphology';

export interface CfdRegionOptions {
  backgroundMinValue: number;
  backgroundMaxChroma: number;
  /** Chai & Ngan 1999. */
  skinCb: [number, number];
  skinCr: [number, number];
  skinMinLuma: number;
  shirtMaxChroma: number;
  shirtMinLuma: number;
  hairMaxLuma: number;
  /** Opening radius (removes specks), as a fraction of the shorter side; at least 1 pixel. */
  openRadius: number;
  /** Closing radius of the face (bridges gaps at its outline), fraction of the shorter side. */
  closeRadius: number;
  /** How near the face a dark component must come to be hair, fraction of the shorter side. */
  hairReach: number;
  /** Face height / widest face row at which the neck starts (see above); undefined = no cut. */
  chinRatio: number | undefined;
  /** Ids to write: regions 'background', 'hair', 'face skin', 'shirt' (and 'neck and ears' with chinRatio). */
  legend: RegionLegend;
}

/** Label of pixels no rule claims: in no region (lib/data/regions.ts). */
export { UNLABELLED };

export const CFD_REGION_DEFAULTS: CfdRegionOptions = {
  backgroundMinValue: 200,
  backgroundMaxChroma: 30,
  skinCb: [77, 127],
  skinCr: [133, 173],
  skinMinLuma: 40,
  shirtMaxChroma: 30,
  shirtMinLuma: 60,
  hairMaxLuma: 200,
  openRadius: 0.005,
  closeRadius: 0.015,
  hairReach: 0.02,
  chinRatio: undefined,
  legend: defaultLegend(),
};

export interface CfdRegions {
  /** Label map H×W with the legend's ids; UNLABELLED where no rule applies. */
  labels: Uint8Array;
  /** Bounding box of the face mask incl. neck and ears (rows top…bottom, columns left…right, inclusive); null if no skin was found. */
  faceBox: { top: number; bottom: number; left: number; right: number } | null;
  /** What went wrong in a way the caller should look at (no face found, no shirt…). */
  warnings: string[];
}

/** Full-range BT.601 (JPEG) luma and chroma of an 8-bit RGB pixel. */
export function rgbToYCbCr(r: number, g: number, b: number): [number, number, number] {
  return [
    0.299 * r + 0.587 * g + 0.114 * b,
    128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
    128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
  ];
}

export function cfdRegions(rgb: ArrayLike<number>, size: Size, options: Partial<CfdRegionOptions> = {}): CfdRegions {
  checkSize(size, 'cfdRegions size');
  const o = { ...CFD_REGION_DEFAULTS, ...options };
  const { height: h, width: w } = size;
  const n = h * w;
  if (rgb.length !== n * 3) throw new Error(`cfdRegions: expected the RGB image to be ${h}×${w}×3 (${n * 3} values), got ${rgb.length}`);
  const needed = ['background', 'hair', 'face skin', 'shirt', ...(o.chinRatio !== undefined ? ['neck and ears'] : [])];
  const id: Record<string, number> = {};
  for (const name of needed) {
    const region = o.legend.regions.find((r) => r.name === name);
    if (!region) throw new Error(`cfdRegions: expected region '${name}' in the legend, which has ${o.legend.regions.map((r) => r.name).join(', ')}`);
    id[name] = region.id;
  }
  if (o.chinRatio !== undefined && !(o.chinRatio > 0)) throw new Error(`cfdRegions: expected chinRatio > 0, got ${o.chinRatio}`);
  const side = Math.min(h, w);
  const radius = (fraction: number) => Math.max(1, Math.round(fraction * side));
  const warnings: string[] = [];

  const luma = new Float32Array(n);
  const backgroundCandidate = new Uint8Array(n);
  const skinCandidate = new Uint8Array(n);
  const grey = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rgb[i * 3];
    const g = rgb[i * 3 + 1];
    const b = rgb[i * 3 + 2];
    const [y, cb, cr] = rgbToYCbCr(r, g, b);
    const chroma = Math.max(r, g, b) - Math.min(r, g, b);
    luma[i] = y;
    backgroundCandidate[i] = Math.min(r, g, b) >= o.backgroundMinValue && chroma <= o.backgroundMaxChroma ? 1 : 0;
    skinCandidate[i] = cb >= o.skinCb[0] && cb <= o.skinCb[1] && cr >= o.skinCr[0] && cr <= o.skinCr[1] && y >= o.skinMinLuma ? 1 : 0;
    grey[i] = chroma <= o.shirtMaxChroma && y >= o.shirtMinLuma ? 1 : 0;
  }

  const background = componentsTouching(backgroundCandidate, borderMask(size), size, 4);

  // Face: the largest skin blob, cleaned, with its holes (eyes, mouth) filled.
  const skin = open(andNot(skinCandidate, background), size, radius(o.openRadius));
  const face = andNot(fillHoles(close(largestComponent(skin, size), size, radius(o.closeRadius)), size), background);
  let faceBox: CfdRegions['faceBox'] = null;
  let centroidRow = 0;
  let facePixels = 0;
  for (let i = 0; i < n; i++) {
    if (!face[i]) continue;
    const y = Math.floor(i / w);
    const x = i - y * w;
    if (!faceBox) faceBox = { top: y, bottom: y, left: x, right: x };
    faceBox.bottom = y;
    faceBox.left = Math.min(faceBox.left, x);
    faceBox.right = Math.max(faceBox.right, x);
    centroidRow += y;
    facePixels++;
  }
  if (!faceBox) warnings.push('no skin found: no face, shirt or hair placed (check skinCb/skinCr/skinMinLuma)');
  centroidRow = facePixels > 0 ? centroidRow / facePixels : h;

  // Shirt: grey below the face's centroid, reaching the bottom edge.
  const shirtCandidate = new Uint8Array(n);
  const startRow = Math.ceil(centroidRow);
  for (let i = startRow * w; i < n; i++) shirtCandidate[i] = grey[i] && !background[i] && !face[i] ? 1 : 0;
  const bottomRow = new Uint8Array(n);
  bottomRow.fill(1, (h - 1) * w);
  const shirt = faceBox
    ? andNot(andNot(close(componentsTouching(open(shirtCandidate, size, radius(o.openRadius)), bottomRow, size), size, radius(o.openRadius)), face), background)
    : new Uint8Array(n);
  if (faceBox && !shirt.some((v) => v)) warnings.push('no shirt found below the face (check shirtMaxChroma/shirtMinLuma)');

  // Hair: the rest, not too bright, in components that reach the face's neighbourhood.
  const hairCandidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) hairCandidate[i] = !background[i] && !face[i] && !shirt[i] && luma[i] <= o.hairMaxLuma ? 1 : 0;
  const hair = faceBox
    ? componentsTouching(open(hairCandidate, size, radius(o.openRadius)), dilate(face, size, radius(o.hairReach)), size)
    : new Uint8Array(n);

  // The neck cut: rows below top + chinRatio × the widest row of the face.
  let chinRow = h;
  if (faceBox && o.chinRatio !== undefined) {
    let widest = 0;
    for (let y = faceBox.top; y <= faceBox.bottom; y++) {
      let left = -1;
      let right = -1;
      for (let x = 0; x < w; x++) {
        if (!face[y * w + x]) continue;
        if (left < 0) left = x;
        right = x;
      }
      if (left >= 0) widest = Math.max(widest, right - left + 1);
    }
    chinRow = faceBox.top + o.chinRatio * widest;
  }

  const labels = new Uint8Array(n).fill(UNLABELLED);
  for (let i = 0; i < n; i++) {
    if (background[i]) labels[i] = id.background;
    else if (face[i]) labels[i] = Math.floor(i / w) > chinRow ? id['neck and ears'] : id['face skin'];
    else if (shirt[i]) labels[i] = id.shirt;
    else if (hair[i]) labels[i] = id.hair;
  }
  return { labels, faceBox, warnings };
}
