// Region label map of one face photo from its face-mesh landmarks
// (lib/regions/face-landmarks.ts). The landmarks place every region; colour
// only decides between regions the geometry leaves open, with colour models
// fitted on this very image (lib/regions/colour-model.ts):
//
//   background   the backdrop, estimated from the picture's border
//                (lib/regions/backdrop.ts); everything else is the person;
//   face skin    inside the face oval (forehead to chin), less the parts;
//                above the brows, pixels more like the hair than the skin
//                are bangs (hair); above the oval, skin-like pixels joined
//                to it are forehead (the mesh stops below a high hairline),
//                and so is skin in a thin ring round the oval's sides (the
//                mesh runs a little inside the face's silhouette);
//   eyes, mouth  the eyelid and outer lip outlines, widened by the pixels
//                right beside them that do not look like this face's skin
//                (lid lines, lashes, the lips' edge: the mesh outlines the
//                opening, the region includes its rim);
//   brows        the dark pixels around the mesh's brow outline (the mesh
//                places brows by the face's shape, not by their colour);
//                the outline itself where none stand out (light brows);
//   nose         its hull, only when the legend has a 'nose' region (it
//                stays inside the 'face' group); else face skin;
//   hair         person pixels around and above the face (the head zone)
//                and below the chin that look like the hair sampled just
//                above the forehead, in components that reach the head;
//   neck and ears  skin-like person pixels outside the oval;
//   shirt        below the chin, pixels like the colour at the picture's
//                bottom centre;
//   unlabelled   person pixels far from the head that none of these claims;
//                outlines between two regions (anti-aliased hair against
//                the backdrop) go to the nearer one.
//
// Skin in shadow (under the chin, the neck) keeps its colour but loses
// luma, so luma darker than the cheeks counts for less.
// Colour and texture models decide hair against skin per image: light hair
// falls inside any fixed skin-colour box, but not near this face's own skin,
// and it has strands where skin is smooth.
import { Size, checkSize } from '../audit/checks';
import { componentsTouching, dilate } from '../audit/binary-morphology';
import { RegionLegend, UNLABELLED, defaultLegend } from '../data/regions';
import { Backdrop, BackdropOptions, estimateBackdrop } from './backdrop';
import { ColourModel, FEATURES, distanceMap, fitColourModel, modelSeparation, pixelFeatures } from './colour-model';
import { FACE_OVAL, LEFT_BROW, LEFT_EYE, LIPS, NOSE_POINTS, POINT, RIGHT_BROW, RIGHT_EYE, outline } from './face-mesh-outlines';
import type { MaskWarning } from './mask-warnings';
import { convexHull, polygonMask } from './polygon-fill';

export interface LandmarkRegionOptions {
  legend: RegionLegend;
  backdrop: Partial<BackdropOptions>;
  /** How far the head zone reaches sideways from the face's centre, in face widths. */
  headHalfWidth: number;
  /** How far above the top of the oval the head zone reaches, in face heights. */
  headAbove: number;
  /** Below this fraction of the border agreeing with one backdrop colour, warn. */
  minBackdropInliers: number;
  /** Weight of skin darker than the cheeks' (shadows under the chin, beside the nose) against other deviations. */
  shadowWeight: number;
  /** Width of the ring around the mesh's oval where skin is still face, in face widths. */
  ringWidth: number;
  /** How far around the mesh's eye, lip and brow outlines their pixels are looked for, in face widths. */
  eyeReach: number;
  mouthReach: number;
  browReach: number;
  /** Least squared distance (in spreads) from the skin's colour of a pixel that joins a part. */
  partDistance2: number;
  /** Fewer dark pixels near the brows than this share of the outline: the outline is used. */
  minBrowShare: number;
  /** Unlabelled outlines up to this wide go to their nearest region, in face widths. */
  gapWidth: number;
}

export const LANDMARK_REGION_DEFAULTS: LandmarkRegionOptions = {
  legend: defaultLegend(),
  backdrop: {},
  headHalfWidth: 1.0,
  headAbove: 0.7,
  minBackdropInliers: 0.6,
  shadowWeight: 0.5,
  ringWidth: 0.04,
  gapWidth: 0.03,
  eyeReach: 0.03,
  mouthReach: 0.03,
  browReach: 0.05,
  partDistance2: 9,
  minBrowShare: 0.3,
};

export interface LandmarkRegions {
  /** Label map H×W with the legend's ids; UNLABELLED where no region applies. */
  labels: Uint8Array;
  warnings: MaskWarning[];
  /** The fitted colour models (undefined: not enough pixels to fit). */
  models: { skin?: ColourModel; hair?: ColourModel; shirt?: ColourModel };
  backdrop: Backdrop;
}

const REQUIRED = ['background', 'hair', 'face skin', 'mouth', 'eyes', 'brows', 'shirt', 'neck and ears'] as const;

/** Region ids of the legend the masker writes (nose is optional). */
export function landmarkLegendIds(legend: RegionLegend): Record<(typeof REQUIRED)[number], number> & { nose?: number } {
  const id: Record<string, number> = {};
  for (const name of REQUIRED) {
    const region = legend.regions.find((r) => r.name === name);
    if (!region) throw new Error(`landmark masker: expected region '${name}' in the legend, which has ${legend.regions.map((r) => r.name).join(', ')}`);
    id[name] = region.id;
  }
  const nose = legend.regions.find((r) => r.name === 'nose');
  return { ...(id as Record<(typeof REQUIRED)[number], number>), nose: nose?.id };
}

/**
 * The label map of an RGB image (row-major, 3 bytes per pixel) whose face
 * has the given landmarks (interleaved x, y in this image's pixels).
 */
export function landmarkRegions(rgb: ArrayLike<number>, size: Size, points: ArrayLike<number>, options: Partial<LandmarkRegionOptions> = {}): LandmarkRegions {
  checkSize(size, 'landmark regions image size');
  const o = { ...LANDMARK_REGION_DEFAULTS, ...options };
  const { height: h, width: w } = size;
  const n = h * w;
  if (rgb.length !== n * 3) throw new Error(`landmark regions: expected the RGB image to be ${h}×${w}×3 (${n * 3} values), got ${rgb.length}`);
  const id = landmarkLegendIds(o.legend);
  const warnings: MaskWarning[] = [];

  // Geometry from the landmarks, in the face's own frame (u along the eye line, v down the face), so a tilted head is measured as an upright one.
  const oval = outline(points, FACE_OVAL);
  const pt = (k: number) => [points[2 * k], points[2 * k + 1]] as const;
  const [rx, ry] = pt(POINT.rightEyeOuter);
  const [lx, ly] = pt(POINT.leftEyeOuter);
  const roll = Math.atan2(ly - ry, lx - rx);
  const cos = Math.cos(roll);
  const sin = Math.sin(roll);
  const ox = oval.reduce((a, p) => a + p[0], 0) / oval.length;
  const oy = oval.reduce((a, p) => a + p[1], 0) / oval.length;
  const toU = (x: number, y: number) => (x - ox) * cos + (y - oy) * sin;
  const toV = (x: number, y: number) => -(x - ox) * sin + (y - oy) * cos;
  const ovalU = oval.map(([x, y]) => toU(x, y));
  const ovalV = oval.map(([x, y]) => toV(x, y));
  const top = Math.min(...ovalV);
  const chin = toV(...pt(POINT.chin));
  const faceHeight = Math.max(1, chin - top);
  const faceWidth = Math.max(1, Math.max(...ovalU) - Math.min(...ovalU));
  const centreU = (Math.max(...ovalU) + Math.min(...ovalU)) / 2;
  const brow = Math.max(...[...RIGHT_BROW, ...LEFT_BROW].map((k) => toV(...pt(k))));
  const eyeLine = (toV(rx, ry) + toV(lx, ly)) / 2;
  const lipTop = toV(...pt(POINT.upperLipTop));
  const noseBottom = toV(...pt(POINT.noseBottom));
  const xs = oval.map((p) => p[0]);
  const ys = oval.map((p) => p[1]);
  if (Math.max(...xs) < 0 || Math.min(...xs) >= w || Math.max(...ys) < 0 || Math.min(...ys) >= h) throw new Error('landmark regions: the landmarks lie outside the image');
  const U = new Float32Array(n);
  const V = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      U[y * w + x] = toU(x + 0.5, y + 0.5) - centreU;
      V[y * w + x] = toV(x + 0.5, y + 0.5);
    }
  }

  const ovalMask = polygonMask(size, oval);
  const eyes = polygonMask(size, outline(points, RIGHT_EYE));
  polygonMaskInto(eyes, size, outline(points, LEFT_EYE));
  const brows = polygonMask(size, outline(points, RIGHT_BROW));
  polygonMaskInto(brows, size, outline(points, LEFT_BROW));
  const mouth = polygonMask(size, outline(points, LIPS));
  const nose = polygonMask(size, convexHull(outline(points, NOSE_POINTS)));

  const backdrop = estimateBackdrop(rgb, size, o.backdrop);
  if (backdrop.inliers < o.minBackdropInliers) {
    warnings.push({ kind: 'no uniform backdrop', message: `only ${(100 * backdrop.inliers).toFixed(0)}% of the border matches one backdrop colour` });
  }
  const background = backdrop.mask;

  // Colour and texture models, each from pixels the geometry places in its region.
  const features = pixelFeatures(rgb, size, Math.max(1, Math.round(0.015 * faceWidth)));
  const parts = dilate(orMasks(eyes, brows, mouth), size, Math.max(1, Math.round(0.02 * faceWidth)));
  const pick = (where: (i: number) => boolean) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (!background[i] && where(i)) out.push(i);
    return out;
  };
  // Skin: the cheeks and nose, between the eye line and the upper lip.
  const skin = fitColourModel(features, pick((i) => ovalMask[i] === 1 && !parts[i] && V[i] > eyeLine && V[i] < lipTop));
  // Hair: a band above the forehead, over the face's width (the median holds where some backdrop or skin gets in).
  const hairBand = pick((i) => !ovalMask[i] && V[i] < top - 0.06 * faceHeight && V[i] > top - 0.35 * faceHeight && Math.abs(U[i]) < 0.45 * faceWidth);
  let hair = fitColourModel(features, hairBand, Math.max(20, Math.round(0.01 * faceWidth * faceHeight)));
  // The band looks like the face itself (a bald or shaved head): there is no hair colour to look for.
  if (hair && skin && modelSeparation(hair, skin) <= 2) hair = undefined;
  if (!hair) warnings.push({ kind: 'no hair above the face', message: 'the band above the forehead is backdrop or skin-coloured (bald, or cut off): no hair colour to look for' });
  // Shirt: the bottom centre of the picture, below the chin.
  const bottomRows = Math.max(2, Math.round(0.04 * h));
  const shirt = fitColourModel(features, pick((i) => i >= (h - bottomRows) * w && V[i] > chin + 0.3 * faceHeight && Math.abs(U[i]) < 0.5 * faceWidth));
  if (!shirt) warnings.push({ kind: 'no shirt found', message: 'too few person pixels at the bottom centre of the picture, below the chin' });

  // The face's parts, widened by colour. The mesh outlines the lid opening and the lips' line; what lies right
  // next to them and does not look like this face's skin (lid lines, lashes, the lips' edge) belongs to them.
  // Brows: the mesh places them by shape, not by colour, so they are the dark pixels around its outline, or the
  // outline itself where none stand out (light brows).
  const unlike = skin && distanceMap(skin, features, { features: 3, darker: o.shadowWeight });
  const zoneOf = (mask: Uint8Array, reach: number) => {
    const zone = dilate(mask, size, Math.max(1, Math.round(reach * faceWidth)));
    for (let i = 0; i < n; i++) if (!ovalMask[i] || background[i]) zone[i] = 0;
    return zone;
  };
  const widen = (mask: Uint8Array, reach: number) => {
    if (!unlike) return mask;
    const zone = zoneOf(mask, reach);
    for (let i = 0; i < n; i++) zone[i] = mask[i] || (zone[i] && unlike[i] > o.partDistance2) ? 1 : 0;
    return componentsTouching(zone, mask, size);
  };
  const eyeParts = widen(eyes, o.eyeReach);
  const mouthPart = widen(mouth, o.mouthReach);
  let browParts = brows;
  if (unlike && skin) {
    const zone = zoneOf(brows, o.browReach);
    let dark = 0;
    let outlined = 0;
    for (let i = 0; i < n; i++) {
      zone[i] = zone[i] && !eyes[i] && unlike[i] > o.partDistance2 && features[i * FEATURES] < skin.centre[0] ? 1 : 0;
      dark += zone[i];
      outlined += brows[i];
    }
    if (dark >= o.minBrowShare * outlined) browParts = zone;
    else warnings.push({ kind: 'brows from the outline', message: 'no brow pixels stand out from the skin near the landmarks (light brows?): the mesh outline is used' });
  }

  // Where each region can be, in the face's frame (units: face width W and height H).
  // The mesh's oval runs a little inside the face's silhouette: skin in a ring around it, above the jaw, is face.
  const ring = dilate(ovalMask, size, Math.max(1, Math.round(o.ringWidth * faceWidth)));
  for (let i = 0; i < n; i++) if (ovalMask[i] || V[i] > chin - 0.1 * faceHeight) ring[i] = 0;
  const skinAllowed = (u: number, v: number, i: number) =>
    ring[i] === 1 ||
    (v < top + 0.15 * faceHeight && v > top - 0.25 * faceHeight && Math.abs(u) < 0.45 * faceWidth) || // forehead under a high hairline
    (Math.abs(u) < 0.8 * faceWidth && v > brow - 0.05 * faceHeight && v < noseBottom + 0.15 * faceHeight) || // ears
    (v > chin - 0.15 * faceHeight && Math.abs(u) < 0.4 * faceWidth + 0.8 * Math.max(0, v - chin)); // neck, widening to the chest
  const inHead = (u: number, v: number) => v >= top - o.headAbove * faceHeight && Math.abs(u) <= o.headHalfWidth * faceWidth;

  // Person pixels outside the oval: the most likely region among those allowed there; far from all of them, none.
  const HAIR = 1, SKIN = 2, SHIRT = 3;
  const MAX_DISTANCE2 = 36;
  const d2 = [undefined, hair && distanceMap(hair, features), skin && distanceMap(skin, features, { darker: o.shadowWeight }), shirt && distanceMap(shirt, features)];
  const logSpread = [0, hair?.logSpread ?? 0, skin?.logSpread ?? 0, shirt?.logSpread ?? 0];
  const cost = (k: number, i: number) => 0.5 * d2[k]![i] + logSpread[k];
  const cls = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (background[i]) continue;
    const u = U[i];
    const v = V[i];
    if (ovalMask[i]) {
      // Inside the oval: skin, unless above the brows and more like the hair (bangs).
      if (v < brow && !parts[i] && hair && skin && cost(HAIR, i) + 1 < cost(SKIN, i)) cls[i] = HAIR;
      continue;
    }
    const below = v > chin;
    let best = 0;
    let lowest = Infinity;
    for (let k = HAIR; k <= SHIRT; k++) {
      const allowed = k === SKIN ? skinAllowed(u, v, i) : k === HAIR ? inHead(u, v) || below : below;
      if (!allowed || !d2[k] || d2[k]![i] > MAX_DISTANCE2) continue;
      const c = cost(k, i);
      if (c < lowest) {
        lowest = c;
        best = k;
      }
    }
    cls[i] = best;
  }

  // Hair belongs to the head: components that come near the upper two thirds of the oval.
  const hairMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) hairMask[i] = cls[i] === HAIR ? 1 : 0;
  // Seeds lie outside the oval, so hair-coloured spots on the forehead count only when joined to hair around it (bangs).
  const nearHead = dilate(ovalMask, size, Math.max(1, Math.round(0.08 * faceHeight)));
  for (let i = 0; i < n; i++) if (V[i] > top + 0.66 * faceHeight || ovalMask[i]) nearHead[i] = 0;
  const headHair = componentsTouching(hairMask, nearHead, size);
  // Skin outside the oval must touch it (neck, ears, a high forehead).
  const skinOrOval = new Uint8Array(n);
  for (let i = 0; i < n; i++) skinOrOval[i] = cls[i] === SKIN || ovalMask[i] ? 1 : 0;
  const joinedSkin = componentsTouching(skinOrOval, ovalMask, size);

  const labels = new Uint8Array(n).fill(UNLABELLED);
  for (let i = 0; i < n; i++) {
    if (ovalMask[i]) {
      if (mouthPart[i]) labels[i] = id.mouth;
      else if (eyeParts[i]) labels[i] = id.eyes;
      else if (browParts[i]) labels[i] = id.brows;
      else if (background[i]) labels[i] = id.background;
      else if (cls[i] === HAIR && headHair[i]) labels[i] = id.hair;
      else if (nose[i] && id.nose !== undefined) labels[i] = id.nose;
      else labels[i] = id['face skin'];
    } else if (background[i]) labels[i] = id.background;
    else if (cls[i] === HAIR && headHair[i]) labels[i] = id.hair;
    else if (cls[i] === SKIN && joinedSkin[i]) labels[i] = ring[i] || (V[i] < top + 0.15 * faceHeight && Math.abs(U[i]) < 0.45 * faceWidth) ? id['face skin'] : id['neck and ears'];
    else if (cls[i] === SHIRT || (cls[i] === HAIR && V[i] > chin && shirt)) labels[i] = id.shirt;
  }
  // Outlines between regions (anti-aliased hair against the backdrop, the shirt's seam) belong to their nearest region.
  fillGaps(labels, size, Math.max(1, Math.round(o.gapWidth * faceWidth)));
  return { labels, warnings, models: { skin, hair, shirt }, backdrop };
}

/** Unlabelled pixels within `radius` steps (8-neighbours) of a labelled one take the label that reaches them first. */
export function fillGaps(labels: Uint8Array, size: Size, radius: number): void {
  const { height: h, width: w } = size;
  // A local copy: an imported binding is a property read per use, and this runs per pixel.
  const NONE = UNLABELLED;
  const n = labels.length;
  let front = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === NONE) continue;
    const y = (i / w) | 0;
    const x = i - y * w;
    // Only labelled pixels beside an unlabelled one can spread.
    let edge = false;
    for (let dy = -1; dy <= 1 && !edge; dy++) for (let dx = -1; dx <= 1 && !edge; dx++) {
      const yy = y + dy;
      const xx = x + dx;
      if (yy >= 0 && yy < h && xx >= 0 && xx < w && labels[yy * w + xx] === NONE) edge = true;
    }
    if (edge) front[count++] = i;
  }
  let next = new Int32Array(n);
  for (let step = 0; step < radius && count > 0; step++) {
    let grown = 0;
    for (let k = 0; k < count; k++) {
      const p = front[k];
      const y = (p / w) | 0;
      const x = p - y * w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (labels[q] !== NONE) continue;
          labels[q] = labels[p];
          next[grown++] = q;
        }
      }
    }
    [front, next] = [next, front];
    count = grown;
  }
}

function polygonMaskInto(mask: Uint8Array, size: Size, polygon: [number, number][]): void {
  const other = polygonMask(size, polygon);
  for (let i = 0; i < mask.length; i++) if (other[i]) mask[i] = 1;
}

function orMasks(...masks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(masks[0].length);
  for (const m of masks) for (let i = 0; i < m.length; i++) if (m[i]) out[i] = 1;
  return out;
}
