// Draws one synthetic CFD photograph as SVG, twice from the same geometry:
// 'photo' (colours, shading, details) and 'regions' (each part filled with
// its region id as a grey level, edges not anti-aliased), so that the label
// map matches the photograph pixel for pixel.
//
// Geometry is in the pixels of a 611×430 image (CFD's 2444×1718 / 4), in a
// head frame centred on the face; the pose moves the whole subject.
import type { FaceFeatures } from './expression';
import type { HairStyle, Identity, RGB } from './identity';
import { regionId, RegionName } from '../regions';

export const CANVAS = { width: 611, height: 430, cx: 305.5, cy: 196, headScale: 1.3 };

export interface Pose {
  dx: number;
  dy: number;
  /** Degrees, clockwise. */
  angle: number;
  scale: number;
  /** Direction the light comes from (radians, 0 = from the left) and its strength (0..0.3). */
  lightAngle: number;
  light: number;
}

export interface PlantedFeature {
  feature: 'hair' | 'background';
  colour: RGB;
}

export interface FaceSpec {
  identity: Identity;
  features: FaceFeatures;
  pose: Pose;
  plant?: PlantedFeature;
}

type Mode = 'photo' | 'regions';
type Pt = [number, number];

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();
const rgb = (c: RGB) => `rgb(${c.map((v) => Math.max(0, Math.min(255, Math.round(v)))).join(',')})`;
const shade = (c: RGB, k: number): RGB => c.map((v) => v * k) as RGB;
const mix = (a: RGB, b: RGB, t: number): RGB => a.map((v, i) => v + (b[i] - v) * t) as RGB;
const poly = (pts: Pt[]) => `M${pts.map(([x, y]) => `${f1(x)} ${f1(y)}`).join(' L')}Z`;

function sample(fn: (t: number) => number, from: number, to: number, steps: number, x: (t: number) => number): Pt[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const t = from + ((to - from) * i) / steps;
    return [x(t), fn(t)] as Pt;
  });
}

/** Paints for one mode: real colours, or region ids as grey levels. */
function painter(mode: Mode) {
  return (region: RegionName, colour: RGB | string) => {
    if (mode === 'regions') {
      const id = regionId(region);
      return `rgb(${id},${id},${id})`;
    }
    return typeof colour === 'string' ? colour : rgb(colour);
  };
}

function faceOutline(fw: number, fh: number, jaw: number): string {
  const jx = jaw * fw;
  const p = (x: number, y: number) => `${f1(x)} ${f1(y)}`;
  return (
    `M${p(0, -fh)} C${p(0.58 * fw, -fh)} ${p(fw, -0.62 * fh)} ${p(fw, -0.08 * fh)} ` +
    `C${p(fw, 0.3 * fh)} ${p(jx + 0.16 * fw, 0.62 * fh)} ${p(jx, 0.78 * fh)} ` +
    `C${p(jx - 0.14 * fw, 0.94 * fh)} ${p(0.3 * fw, fh)} ${p(0, fh)} ` +
    `C${p(-0.3 * fw, fh)} ${p(-(jx - 0.14 * fw), 0.94 * fh)} ${p(-jx, 0.78 * fh)} ` +
    `C${p(-(jx + 0.16 * fw), 0.62 * fh)} ${p(-fw, 0.3 * fh)} ${p(-fw, -0.08 * fh)} ` +
    `C${p(-fw, -0.62 * fh)} ${p(-0.58 * fw, -fh)} ${p(0, -fh)}Z`
  );
}

interface HairShape {
  /** Behind the head (long hair's back, an afro, a bun). */
  back?: string;
  /** In front of the shirt but behind the face (locks over the shoulders). */
  sides?: string;
  /** On top of the face: the cap down to the hairline. */
  front: string;
  coversEars: boolean;
}

function hairShape(style: HairStyle, fw: number, fh: number, volume: number): HairShape {
  const p = (x: number, y: number) => `${f1(x)} ${f1(y)}`;
  const big = style === 'afro';
  const R = fw * (big ? 1.45 * volume : volume);
  const T = fh * (big ? 1.45 * volume : 1.04 + (volume - 1) * 1.5);
  const sideY = style === 'crop' ? -0.25 * fh : -0.12 * fh;
  const outer = (y0: number) =>
    `M${p(-fw * 1.0, y0)} C${p(-1.08 * R, -0.55 * fh)} ${p(-0.62 * R, -T)} ${p(0, -T)} C${p(0.62 * R, -T)} ${p(1.08 * R, -0.55 * fh)} ${p(fw * 1.0, y0)} `;
  let inner: string;
  switch (style) {
    case 'fringe':
      inner = `L${p(0.97 * fw, -0.34 * fh)} C${p(0.5 * fw, -0.46 * fh)} ${p(-0.5 * fw, -0.46 * fh)} ${p(-0.97 * fw, -0.34 * fh)}Z`;
      break;
    case 'sidepart':
      inner = `C${p(0.9 * fw, -0.4 * fh)} ${p(0.35 * fw, -0.5 * fh)} ${p(-0.15 * fw, -0.7 * fh)} C${p(-0.5 * fw, -0.78 * fh)} ${p(-0.92 * fw, -0.52 * fh)} ${p(-fw, sideY)}Z`;
      break;
    case 'bun':
    case 'crop': {
      const hl = -0.7 * fh;
      inner = `C${p(0.92 * fw, -0.52 * fh)} ${p(0.55 * fw, hl)} ${p(0, hl)} C${p(-0.55 * fw, hl)} ${p(-0.92 * fw, -0.52 * fh)} ${p(-fw, sideY)}Z`;
      break;
    }
    default: {
      const hl = -0.62 * fh;
      inner = `C${p(0.92 * fw, -0.48 * fh)} ${p(0.55 * fw, hl)} ${p(0, hl)} C${p(-0.55 * fw, hl)} ${p(-0.92 * fw, -0.48 * fh)} ${p(-fw, sideY)}Z`;
    }
  }
  const shape: HairShape = { front: outer(sideY) + inner, coversEars: style === 'long' || style === 'bob' };
  if (style === 'afro') {
    shape.back = `M${p(-R, -0.3 * fh)} A${f1(R)} ${f1(1.05 * T - 0.3 * fh)} 0 1 1 ${p(R, -0.3 * fh)} C${p(R, 0.2 * fh)} ${p(0.9 * R, 0.35 * fh)} ${p(0.75 * R, 0.4 * fh)} L${p(-0.75 * R, 0.4 * fh)} C${p(-0.9 * R, 0.35 * fh)} ${p(-R, 0.2 * fh)} ${p(-R, -0.3 * fh)}Z`;
  } else if (style === 'bun') {
    shape.back = `M${p(0.36 * fw, -1.12 * fh)} A${f1(0.36 * fw)} ${f1(0.3 * fh)} 0 1 0 ${p(-0.36 * fw, -1.12 * fh)} A${f1(0.36 * fw)} ${f1(0.3 * fh)} 0 1 0 ${p(0.36 * fw, -1.12 * fh)}Z`;
  } else if (style === 'long' || style === 'bob') {
    const end = style === 'long' ? 1.75 * fh : 0.78 * fh;
    const out = style === 'long' ? 1.32 : 1.2;
    // The mass behind the head and neck, down to where the hair ends.
    const wide = (style === 'long' ? 1.28 : 1.16) * R;
    shape.back = `M${p(-1.1 * R, -0.3 * fh)} C${p(-1.2 * R, -1.2 * fh)} ${p(1.2 * R, -1.2 * fh)} ${p(1.1 * R, -0.3 * fh)} C${p(1.2 * R, 0.3 * fh)} ${p(wide, end - 0.5 * fh)} ${p(wide, end)} L${p(-wide, end)} C${p(-wide, end - 0.5 * fh)} ${p(-1.2 * R, 0.3 * fh)} ${p(-1.1 * R, -0.3 * fh)}Z`;
    const lock = (s: number) =>
      `M${p(s * 0.96 * fw, -0.3 * fh)} C${p(s * 1.0 * fw, 0.4 * fh)} ${p(s * 0.95 * fw, end - 0.4 * fh)} ${p(s * 0.9 * fw, end)} ` +
      `L${p(s * out * fw * volume, end + 0.05 * fh)} C${p(s * (out + 0.06) * fw * volume, end - 0.6 * fh)} ${p(s * 1.25 * fw * volume, 0.1 * fh)} ${p(s * 1.08 * R, -0.4 * fh)}Z`;
    shape.sides = lock(-1) + ' ' + lock(1);
  }
  return shape;
}

/** The SVG document; width × height are the output pixels (the drawing scales to them). */
export function faceSvg(spec: FaceSpec, mode: Mode, width: number, height: number): string {
  const { identity: id, features: ft, pose, plant } = spec;
  const paint = painter(mode);
  const photo = mode === 'photo';
  const fw = id.faceWidth;
  const fh = id.faceHeight;
  const skin = id.skin;
  const defs: string[] = [];
  const body: string[] = [];

  // Background: CFD's white, or a tinted white when the planted feature is the background.
  const background: RGB = plant?.feature === 'background' ? mix([255, 255, 255], plant.colour, 0.14) : [255, 255, 255];
  const bg = `<rect x="-10" y="-10" width="${CANVAS.width + 20}" height="${CANVAS.height + 20}" fill="${paint('background', background)}"/>`;

  const s = CANVAS.headScale * pose.scale;
  const transform = `translate(${f1(CANVAS.cx + pose.dx)} ${f1(CANVAS.cy + pose.dy)}) rotate(${f1(pose.angle)}) scale(${(s).toFixed(4)})`;

  const hair = hairShape(id.hairStyle, fw, fh, id.hairVolume);
  if (photo) {
    const hl = shade(id.hair, 1.22);
    defs.push(
      `<radialGradient id="hairShade" cx="40%" cy="25%" r="75%"><stop offset="0" stop-color="${rgb(hl)}"/><stop offset="1" stop-color="${rgb(shade(id.hair, 0.82))}"/></radialGradient>`,
    );
  }
  const hairFill = photo ? 'url(#hairShade)' : paint('hair', id.hair);
  if (hair.back) body.push(`<path d="${hair.back}" fill="${hairFill}"/>`);

  // Shirt on the shoulders, with a round neckline.
  const shirt: RGB = [id.shirt, id.shirt, id.shirt + 2];
  const shirtPath =
    `M${f1(-0.62 * fw)} ${f1(1.3 * fh)} C${f1(-1.3 * fw)} ${f1(1.42 * fh)} ${f1(-2.45 * fw)} ${f1(1.52 * fh)} ${f1(-2.8 * fw)} ${f1(2.15 * fh)} ` +
    `L${f1(-3.3 * fw)} ${f1(3.4 * fh)} L${f1(3.3 * fw)} ${f1(3.4 * fh)} L${f1(2.8 * fw)} ${f1(2.15 * fh)} ` +
    `C${f1(2.45 * fw)} ${f1(1.52 * fh)} ${f1(1.3 * fw)} ${f1(1.42 * fh)} ${f1(0.62 * fw)} ${f1(1.3 * fh)}Z`;
  if (photo) {
    defs.push(
      `<linearGradient id="shirtShade" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${rgb(shade(shirt, 0.93))}"/><stop offset="0.4" stop-color="${rgb(shirt)}"/><stop offset="1" stop-color="${rgb(shade(shirt, 0.96))}"/></linearGradient>`,
    );
  }
  body.push(`<path d="${shirtPath}" fill="${photo ? 'url(#shirtShade)' : paint('shirt', shirt)}"/>`);

  // Neck, shaded under the chin.
  const nw = id.neckWidth * fw;
  const neck = `M${f1(-nw)} ${f1(0.5 * fh)} L${f1(-nw * 1.06)} ${f1(1.36 * fh)} Q0 ${f1(1.62 * fh)} ${f1(nw * 1.06)} ${f1(1.36 * fh)} L${f1(nw)} ${f1(0.5 * fh)}Z`;
  if (photo) {
    defs.push(
      `<linearGradient id="neckShade" x1="0" y1="0" x2="0" y2="1"><stop offset="0.3" stop-color="${rgb(shade(skin, 0.72))}"/><stop offset="0.75" stop-color="${rgb(shade(skin, 0.93))}"/></linearGradient>`,
    );
    body.push(`<path d="${neck}" fill="url(#neckShade)"/>`);
    body.push(`<path d="M${f1(-nw * 1.06)} ${f1(1.36 * fh)} Q0 ${f1(1.62 * fh)} ${f1(nw * 1.06)} ${f1(1.36 * fh)}" fill="none" stroke="${rgb(shade(shirt, 0.8))}" stroke-width="2.5"/>`);
  } else body.push(`<path d="${neck}" fill="${paint('neck and ears', skin)}"/>`);

  if (hair.sides) body.push(`<path d="${hair.sides}" fill="${hairFill}"/>`);

  // Ears (hidden under long hair).
  if (!hair.coversEars) {
    for (const side of [-1, 1]) {
      body.push(`<ellipse cx="${f1(side * 0.97 * fw)}" cy="${f1(-0.02 * fh)}" rx="${f1(0.15 * fw)}" ry="${f1(0.24 * fh)}" fill="${paint('neck and ears', shade(skin, 0.94))}"/>`);
      if (photo) body.push(`<ellipse cx="${f1(side * 0.99 * fw)}" cy="${f1(-0.02 * fh)}" rx="${f1(0.07 * fw)}" ry="${f1(0.14 * fh)}" fill="none" stroke="${rgb(shade(skin, 0.75))}" stroke-width="1.5"/>`);
    }
  }

  // The face, with a soft shading and the light falling from one side.
  const outline = faceOutline(fw, fh, id.jaw);
  if (photo) {
    defs.push(
      `<radialGradient id="faceShade" cx="50%" cy="42%" r="62%"><stop offset="0" stop-color="${rgb(shade(skin, 1.04))}"/><stop offset="0.72" stop-color="${rgb(skin)}"/><stop offset="1" stop-color="${rgb(shade(skin, 0.86))}"/></radialGradient>`,
      `<clipPath id="faceClip"><path d="${outline}"/></clipPath>`,
    );
  }
  body.push(`<path d="${outline}" fill="${photo ? 'url(#faceShade)' : paint('face skin', skin)}"/>`);

  const eyeY = -0.1 * fh;
  const ex = id.eyeSpacing * fw;
  const ew = 0.2 * fw * id.eyeSize;
  const eh = ew * 0.42 * ft.eyeOpen;
  const lowH = eh * (0.85 - 0.45 * ft.lowerLid);
  const browY = eyeY - id.browGap * fh;

  if (photo) {
    // Frown lines between the brows (anger) and on the forehead (fear); a fringe may hide them.
    if (ft.browPull > 0.01) {
      const o = Math.min(0.7, ft.browPull / 0.07);
      for (const side of [-1, 1]) body.push(`<path d="M${f1(side * 0.05 * fw)} ${f1(browY - 0.02 * fh)} Q${f1(side * 0.08 * fw)} ${f1(browY + 0.08 * fh)} ${f1(side * 0.06 * fw)} ${f1(browY + 0.14 * fh)}" fill="none" stroke="${rgb(shade(skin, 0.72))}" stroke-width="1.4" opacity="${o.toFixed(2)}"/>`);
    }
    if (ft.browInner > 0.05) {
      const o = Math.min(0.6, (ft.browInner - 0.05) / 0.07);
      for (const k of [0, 1]) {
        const y = browY - (0.16 + 0.09 * k) * fh;
        body.push(`<path d="M${f1(-0.32 * fw)} ${f1(y)} Q0 ${f1(y - 0.04 * fh)} ${f1(0.32 * fw)} ${f1(y)}" fill="none" stroke="${rgb(shade(skin, 0.78))}" stroke-width="1.2" opacity="${o.toFixed(2)}"/>`);
      }
    }
    // Nose: side shadow, tip, nostrils.
    const nsw = id.noseWidth * fw;
    for (const side of [-1, 1]) {
      body.push(`<path d="M${f1(side * 0.12 * fw)} ${f1(-0.02 * fh)} Q${f1(side * 0.16 * fw)} ${f1(0.14 * fh)} ${f1(side * 0.6 * nsw)} ${f1(0.24 * fh)}" fill="none" stroke="${rgb(shade(skin, 0.82))}" stroke-width="1.6" opacity="0.6"/>`);
      body.push(`<ellipse cx="${f1(side * 0.45 * nsw)}" cy="${f1(0.315 * fh)}" rx="${f1(0.26 * nsw)}" ry="${f1(0.11 * nsw)}" fill="${rgb(shade(skin, 0.42))}"/>`);
    }
    body.push(`<path d="M${f1(-nsw)} ${f1(0.26 * fh)} Q${f1(-1.1 * nsw)} ${f1(0.33 * fh)} ${f1(-0.45 * nsw)} ${f1(0.345 * fh)} Q0 ${f1(0.37 * fh)} ${f1(0.45 * nsw)} ${f1(0.345 * fh)} Q${f1(1.1 * nsw)} ${f1(0.33 * fh)} ${f1(nsw)} ${f1(0.26 * fh)}" fill="none" stroke="${rgb(shade(skin, 0.7))}" stroke-width="1.5"/>`);
  }

  // Eyes: almond shape, iris and pupil clipped to it, upper lid line and crease.
  for (const side of [-1, 1]) {
    const cx = side * ex;
    const eye = `M${f1(cx - ew)} ${f1(eyeY)} Q${f1(cx)} ${f1(eyeY - 2 * eh)} ${f1(cx + ew)} ${f1(eyeY)} Q${f1(cx)} ${f1(eyeY + 2 * lowH)} ${f1(cx - ew)} ${f1(eyeY)}Z`;
    if (photo) {
      const clip = `eyeClip${side < 0 ? 'L' : 'R'}`;
      defs.push(`<clipPath id="${clip}"><path d="${eye}"/></clipPath>`);
      body.push(`<ellipse cx="${f1(cx)}" cy="${f1(eyeY - 0.4 * eh)}" rx="${f1(1.35 * ew)}" ry="${f1(eh + 0.12 * fh)}" fill="${rgb(shade(skin, 0.9))}" opacity="0.45"/>`);
      body.push(`<path d="${eye}" fill="rgb(238,234,228)"/>`);
      body.push(
        `<g clip-path="url(#${clip})"><circle cx="${f1(cx)}" cy="${f1(eyeY - 0.1 * eh)}" r="${f1(0.46 * ew)}" fill="${rgb(id.iris)}"/>` +
          `<circle cx="${f1(cx)}" cy="${f1(eyeY - 0.1 * eh)}" r="${f1(0.2 * ew)}" fill="rgb(18,14,14)"/>` +
          `<circle cx="${f1(cx - 0.15 * ew)}" cy="${f1(eyeY - 0.3 * eh)}" r="${f1(0.07 * ew)}" fill="rgb(250,250,250)"/></g>`,
      );
      body.push(`<path d="M${f1(cx - ew)} ${f1(eyeY)} Q${f1(cx)} ${f1(eyeY - 2 * eh)} ${f1(cx + ew)} ${f1(eyeY)}" fill="none" stroke="rgb(36,26,24)" stroke-width="2.2" stroke-linecap="round"/>`);
      body.push(`<path d="M${f1(cx - 0.9 * ew)} ${f1(eyeY - 0.3 * eh)} Q${f1(cx)} ${f1(eyeY - 2.6 * eh - 2)} ${f1(cx + 0.95 * ew)} ${f1(eyeY - 0.4 * eh)}" fill="none" stroke="${rgb(shade(skin, 0.75))}" stroke-width="1.1" opacity="0.7"/>`);
      body.push(`<path d="M${f1(cx - 0.9 * ew)} ${f1(eyeY + 0.2)} Q${f1(cx)} ${f1(eyeY + 2 * lowH + 1)} ${f1(cx + 0.9 * ew)} ${f1(eyeY + 0.2)}" fill="none" stroke="${rgb(shade(skin, 0.72))}" stroke-width="0.9" opacity="0.7"/>`);
    } else {
      body.push(`<path d="${eye}" fill="${paint('eyes', '')}" stroke="${paint('eyes', '')}" stroke-width="2.4"/>`);
    }
  }

  // Brows: thick at the inner end, thinning outward, with an arch.
  for (const side of [-1, 1]) {
    const tIn = id.browThickness * fh;
    const tOut = 0.45 * tIn;
    const ix = side * (ex - 1.05 * ew + (ft.browPull * fw) * -1);
    const iy = browY - ft.browInner * fh + 0.02 * fh;
    const ox = side * (ex + 1.2 * ew);
    const oy = browY - ft.browOuter * fh + 0.035 * fh;
    const kx = side * (ex + 0.3 * ew);
    const ky = (iy + oy) / 2 - 2 * id.browArch * fh;
    const tMid = 0.8 * tIn;
    const brow =
      `M${f1(ix)} ${f1(iy - tIn / 2)} Q${f1(kx)} ${f1(ky - tMid / 2)} ${f1(ox)} ${f1(oy - tOut / 2)} ` +
      `L${f1(ox)} ${f1(oy + tOut / 2)} Q${f1(kx)} ${f1(ky + tMid / 2)} ${f1(ix)} ${f1(iy + tIn / 2)}Z`;
    body.push(`<path d="${brow}" fill="${paint('brows', id.brow)}"/>`);
  }

  // Mouth: lips around a lip line whose corners rise (smile) or fall; an
  // opening between the lips shows teeth for some expressions.
  const my = 0.56 * fh;
  const hw = id.mouthWidth * fw * ft.mouthWidth;
  const c = ft.mouthCurve * fh;
  const o = ft.mouthOpen * fh;
  const press = 1 - 0.5 * ft.lipPress;
  const ul = 0.055 * fh * id.lipFullness * press;
  const ll = 0.075 * fh * id.lipFullness * press;
  const line = (t: number) => my + c * (0.5 - 1.5 * t * t);
  const bump = (t: number, e: number) => Math.pow(Math.max(0, 1 - t * t), e);
  const upperInner = (t: number) => line(t) - 0.35 * o * bump(t, 1);
  const lowerInner = (t: number) => line(t) + 0.65 * o * bump(t, 0.7);
  const upperOuter = (t: number) => upperInner(t) - ul * bump(t, 0.6) * (1 - 0.35 * Math.exp(-((t / 0.14) ** 2)));
  const lowerOuter = (t: number) => lowerInner(t) + ll * bump(t, 0.6);
  const X = (t: number) => hw * t;
  const N = 24;
  const fwd = (fn: (t: number) => number) => sample(fn, -1, 1, N, X);
  const back = (fn: (t: number) => number) => sample(fn, 1, -1, N, X);
  if (photo) {
    if (ft.cheeks > 0.02) {
      const nsw = id.noseWidth * fw;
      for (const side of [-1, 1]) {
        body.push(`<path d="M${f1(side * (nsw + 0.06 * fw))} ${f1(0.24 * fh)} Q${f1(side * (hw + 0.22 * fw))} ${f1(0.38 * fh)} ${f1(side * (hw + 0.1 * fw))} ${f1(my + 0.08 * fh)}" fill="none" stroke="${rgb(shade(skin, 0.68))}" stroke-width="2.3" opacity="${Math.min(0.9, ft.cheeks * 0.9).toFixed(2)}"/>`);
        // The raised cheek: a highlight above the smile line.
        body.push(`<ellipse cx="${f1(side * (hw * 0.9 + 0.12 * fw))}" cy="${f1(0.22 * fh)}" rx="${f1(0.16 * fw)}" ry="${f1(0.1 * fh)}" fill="${rgb(shade(skin, 1.12))}" opacity="${Math.min(0.6, ft.cheeks * 0.6).toFixed(2)}"/>`);
      }
    }
    const lip = id.lip;
    if (o > 0.6) {
      const interior = poly([...fwd(upperInner), ...back(lowerInner)]);
      defs.push(`<clipPath id="mouthClip"><path d="${interior}"/></clipPath>`);
      body.push(`<path d="${interior}" fill="rgb(62,22,26)"/>`);
      if (ft.teeth === 'upper') {
        const band = poly([...sample(upperInner, -0.8, 0.8, N, X), ...sample((t) => upperInner(t) + 0.5 * o * bump(t, 0.5) + 1, 0.8, -0.8, N, X)]);
        body.push(`<path d="${band}" fill="rgb(236,232,222)" clip-path="url(#mouthClip)"/>`);
      } else if (ft.teeth === 'lower') {
        const band = poly([...sample((t) => lowerInner(t) - 0.35 * o * bump(t, 0.5) - 1, -0.7, 0.7, N, X), ...sample(lowerInner, 0.7, -0.7, N, X)]);
        body.push(`<path d="${band}" fill="rgb(226,222,210)" clip-path="url(#mouthClip)"/>`);
      }
    }
    body.push(`<path d="${poly([...fwd(upperOuter), ...back(upperInner)])}" fill="${rgb(shade(lip, 0.92))}"/>`);
    body.push(`<path d="${poly([...fwd(lowerInner), ...back(lowerOuter)])}" fill="${rgb(lip)}"/>`);
    const seam = o > 0.6 ? '' : `<path d="M${fwd(line).map(([x, y]) => `${f1(x)} ${f1(y)}`).join(' L')}" fill="none" stroke="${rgb(shade(lip, 0.5))}" stroke-width="1.3" stroke-linecap="round"/>`;
    body.push(seam);
    defs.push(
      `<linearGradient id="light" gradientUnits="userSpaceOnUse" x1="${f1(-fw * Math.cos(pose.lightAngle))}" y1="${f1(-fh * Math.sin(pose.lightAngle))}" x2="${f1(fw * Math.cos(pose.lightAngle))}" y2="${f1(fh * Math.sin(pose.lightAngle))}">` +
        `<stop offset="0" stop-color="rgb(255,250,240)" stop-opacity="${(pose.light * 0.6).toFixed(3)}"/><stop offset="1" stop-color="rgb(0,0,0)" stop-opacity="${pose.light.toFixed(3)}"/></linearGradient>`,
    );
    body.push(`<rect x="${f1(-1.2 * fw)}" y="${f1(-1.2 * fh)}" width="${f1(2.4 * fw)}" height="${f1(2.4 * fh)}" fill="url(#light)" clip-path="url(#faceClip)"/>`);
  } else {
    body.push(`<path d="${poly([...fwd(upperOuter), ...back(lowerOuter)])}" fill="${paint('mouth', '')}"/>`);
  }

  // Hair over the forehead, and the planted hair clip when asked for.
  body.push(`<path d="${hair.front}" fill="${hairFill}"${photo && id.hairStyle === 'crop' ? ' opacity="0.93"' : ''}/>`);
  if (photo) {
    const strand = rgb(shade(id.hair, 1.3));
    for (let k = -2; k <= 2; k++) {
      body.push(`<path d="M${f1(k * 0.18 * fw)} ${f1(-0.95 * fh)} Q${f1(k * 0.3 * fw)} ${f1(-0.8 * fh)} ${f1(k * 0.42 * fw)} ${f1(-0.68 * fh)}" fill="none" stroke="${strand}" stroke-width="1.1" opacity="0.3"/>`);
    }
  }
  if (plant?.feature === 'hair') {
    const cx = -0.6 * fw;
    const cy = -0.8 * fh;
    body.push(`<rect x="${f1(cx - 0.16 * fw)}" y="${f1(cy - 0.05 * fh)}" width="${f1(0.32 * fw)}" height="${f1(0.1 * fh)}" rx="${f1(0.03 * fh)}" transform="rotate(-28 ${f1(cx)} ${f1(cy)})" fill="${paint('hair', plant.colour)}"/>`);
  }

  const crisp = mode === 'regions' ? ' shape-rendering="crispEdges"' : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${CANVAS.width} ${CANVAS.height}" preserveAspectRatio="none"${crisp}>` +
    (defs.length ? `<defs>${defs.join('')}</defs>` : '') +
    bg +
    `<g transform="${transform}">${body.join('')}</g></svg>`
  );
}
