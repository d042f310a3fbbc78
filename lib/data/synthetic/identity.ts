// What stays the same across one synthetic model's photographs: face shape,
// skin tone, hair style and colour, eye spacing, the resting face. Drawn per
// race and gender from distributions loosely shaped like a face database's,
// so that groups differ in identity cues (hair, skin) the way real ones do.
import type { Random } from '../../util/random';
import type { Gender, Race } from '../cfd-names';

export type RGB = [number, number, number];

export const HAIR_STYLES = ['short', 'crop', 'sidepart', 'fringe', 'long', 'bob', 'afro', 'bun'] as const;
export type HairStyle = (typeof HAIR_STYLES)[number];

export const HAIR_COLOURS: Record<string, RGB> = {
  black: [34, 30, 30],
  'dark brown': [66, 46, 36],
  brown: [108, 76, 50],
  'light brown': [148, 112, 76],
  blond: [204, 172, 112],
  red: [152, 74, 40],
  grey: [165, 162, 160],
};

const IRIS_COLOURS: Record<string, RGB> = {
  'dark brown': [58, 38, 28],
  brown: [98, 64, 40],
  hazel: [112, 98, 58],
  green: [78, 108, 78],
  blue: [78, 110, 152],
};

export interface Identity {
  race: Race;
  gender: Gender;
  skin: RGB;
  hairStyle: HairStyle;
  hairColourName: string;
  hair: RGB;
  /** How far the hair stands off the head (1 = close). */
  hairVolume: number;
  /** Half-width and half-height of the face, in pixels of a 611×430 image. */
  faceWidth: number;
  faceHeight: number;
  /** Jaw corner's x as a fraction of the face half-width (narrow chin … square jaw). */
  jaw: number;
  /** Eye centres at ± this fraction of the face half-width. */
  eyeSpacing: number;
  eyeSize: number;
  iris: RGB;
  browThickness: number;
  /** Brow height above the eye, as a fraction of the face half-height. */
  browGap: number;
  browArch: number;
  brow: RGB;
  /** Mouth half-width as a fraction of the face half-width. */
  mouthWidth: number;
  lipFullness: number;
  lip: RGB;
  noseWidth: number;
  /** The face at rest differs between people: this is not an expression. */
  restingCurve: number;
  restingBrow: number;
  restingEye: number;
  neckWidth: number;
  /** Grey level of the (light grey) shirt. */
  shirt: number;
}

type Weights<K extends string> = Partial<Record<K, number>>;

/** Hair by race and gender: styles and colours overlap between groups, but not evenly. */
const STYLE_WEIGHTS: Record<Race, Record<Gender, Weights<HairStyle>>> = {
  A: { F: { fringe: 0.4, long: 0.3, bob: 0.2, bun: 0.1 }, M: { fringe: 0.45, short: 0.35, sidepart: 0.2 } },
  L: { F: { long: 0.45, fringe: 0.25, bun: 0.15, bob: 0.15 }, M: { short: 0.4, fringe: 0.3, sidepart: 0.2, crop: 0.1 } },
  B: { F: { afro: 0.35, bun: 0.25, long: 0.2, crop: 0.1, bob: 0.1 }, M: { crop: 0.6, short: 0.3, afro: 0.1 } },
  W: { F: { long: 0.4, bob: 0.25, bun: 0.15, sidepart: 0.12, fringe: 0.08 }, M: { short: 0.45, sidepart: 0.35, crop: 0.15, fringe: 0.05 } },
  M: { F: { long: 0.3, afro: 0.2, bob: 0.2, bun: 0.2, fringe: 0.1 }, M: { short: 0.4, crop: 0.3, sidepart: 0.2, fringe: 0.1 } },
  I: { F: { long: 0.5, bun: 0.3, bob: 0.1, fringe: 0.1 }, M: { short: 0.45, sidepart: 0.4, crop: 0.15 } },
};

const COLOUR_WEIGHTS: Record<Race, Weights<string>> = {
  A: { black: 0.85, 'dark brown': 0.15 },
  L: { black: 0.55, 'dark brown': 0.4, brown: 0.05 },
  B: { black: 0.85, 'dark brown': 0.15 },
  W: { black: 0.08, 'dark brown': 0.24, brown: 0.24, 'light brown': 0.16, blond: 0.16, red: 0.06, grey: 0.06 },
  M: { black: 0.5, 'dark brown': 0.3, brown: 0.2 },
  I: { black: 0.85, 'dark brown': 0.15 },
};

const IRIS_WEIGHTS: Record<Race, Weights<string>> = {
  A: { 'dark brown': 0.9, brown: 0.1 },
  L: { 'dark brown': 0.6, brown: 0.3, hazel: 0.1 },
  B: { 'dark brown': 0.9, brown: 0.1 },
  W: { brown: 0.3, hazel: 0.15, green: 0.2, blue: 0.35 },
  M: { 'dark brown': 0.5, brown: 0.3, hazel: 0.2 },
  I: { 'dark brown': 0.8, brown: 0.2 },
};

/** Skin darkness range (0 lightest … 1 darkest) by race. */
const SKIN_RANGE: Record<Race, [number, number]> = {
  W: [0.0, 0.3],
  A: [0.12, 0.42],
  L: [0.25, 0.58],
  B: [0.55, 1.0],
  M: [0.25, 0.8],
  I: [0.35, 0.85],
};

const SKIN_STOPS: RGB[] = [
  [243, 210, 186],
  [214, 166, 128],
  [166, 112, 78],
  [104, 66, 46],
];

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

export function skinColour(darkness: number): RGB {
  const x = Math.min(0.9999, Math.max(0, darkness)) * (SKIN_STOPS.length - 1);
  const k = Math.floor(x);
  const t = x - k;
  return SKIN_STOPS[k].map((v, c) => Math.round(lerp(v, SKIN_STOPS[k + 1][c], t))) as RGB;
}

/** Picks a key by weight with one uniform number u in [0, 1). */
function pick<K extends string>(weights: Weights<K>, u: number): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  for (const [k, w] of entries) {
    acc += w / total;
    if (u < acc) return k;
  }
  return entries[entries.length - 1][0];
}

const clampByte = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const jitter = (c: RGB, d: number[]): RGB => c.map((v, i) => clampByte(v + d[i])) as RGB;

/**
 * Draws an identity. It always consumes the same number of random draws, so
 * identities for later models do not change when one model's options do.
 */
export function drawIdentity(random: Random, race: Race, gender: Gender): Identity {
  const u = Array.from({ length: 40 }, () => random.next());
  const n = (k: number) => {
    // a standard normal from two of the uniforms (Box–Muller), clipped at ±2.5
    const z = Math.sqrt(-2 * Math.log(Math.max(1e-12, u[k]))) * Math.cos(2 * Math.PI * u[k + 1]);
    return Math.max(-2.5, Math.min(2.5, z));
  };
  const female = gender === 'F';
  const [lo, hi] = SKIN_RANGE[race];
  const skin = jitter(skinColour(lerp(lo, hi, u[0])), [(u[1] - 0.5) * 10, (u[2] - 0.5) * 8, (u[2] - 0.5) * 8]);
  const hairStyle = pick(STYLE_WEIGHTS[race][gender], u[3]);
  const hairColourName = pick(COLOUR_WEIGHTS[race], u[4]);
  const shade = (u[5] - 0.5) * 16;
  const hair = jitter(HAIR_COLOURS[hairColourName], [shade, shade, shade]);
  const brow = hair.map((v, c) => clampByte(Math.min(v, 90) * 0.8 + skin[c] * 0.1)) as RGB;
  const lip = [clampByte(skin[0] * 0.82 + 25), clampByte(skin[1] * 0.62), clampByte(skin[2] * 0.62)] as RGB;
  return {
    race,
    gender,
    skin,
    hairStyle,
    hairColourName,
    hair,
    hairVolume: 1.04 + 0.08 * u[6],
    faceWidth: (female ? 62 : 66) + 3 * n(7),
    faceHeight: (female ? 86 : 90) + 3.5 * n(9),
    jaw: (female ? 0.6 : 0.7) + 0.06 * n(11),
    eyeSpacing: 0.4 + 0.025 * n(13),
    eyeSize: 1 + 0.07 * n(15),
    iris: IRIS_COLOURS[pick(IRIS_WEIGHTS[race], u[17])],
    browThickness: (female ? 0.05 : 0.065) + 0.01 * n(18),
    browGap: 0.2 + 0.02 * n(20),
    browArch: 0.04 + 0.02 * u[22],
    brow,
    mouthWidth: 0.44 + 0.035 * n(23),
    lipFullness: (race === 'B' ? 1.25 : 1) + 0.15 * n(25),
    lip,
    noseWidth: (race === 'B' ? 0.26 : 0.21) + 0.025 * n(27),
    restingCurve: 0.012 * n(29),
    restingBrow: 0.012 * (u[31] - 0.5),
    restingEye: 1 + 0.08 * (u[34] - 0.5),
    neckWidth: (female ? 0.46 : 0.54) + 0.03 * (u[35] - 0.5),
    shirt: Math.round(206 + 14 * u[33]),
  };
}
