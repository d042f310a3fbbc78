// How an expression changes the face: the cues that make it (Ekman's action
// units, simplified) at a per-image intensity. Neutral faces are not all the
// same either: small random deviations from the resting face overlap with
// weak expressions, so some photographs are genuinely ambiguous.
import type { Expression } from '../expressions';
import type { Random } from '../../util/random';
import type { Identity } from './identity';

export interface FaceFeatures {
  /** Multiplies the eye opening (1 = resting). */
  eyeOpen: number;
  /** Raises the lower lid (happy squint), 0..1. */
  lowerLid: number;
  /** Brow movement in face half-heights, positive = up. */
  browInner: number;
  browOuter: number;
  /** Inner brow ends pulled toward the nose (angry), in face half-widths. */
  browPull: number;
  /** Mouth corners lifted, in face half-heights (negative = down). */
  mouthCurve: number;
  /** Gap between the lips, in face half-heights. */
  mouthOpen: number;
  /** Multiplies the mouth width. */
  mouthWidth: number;
  /** Thins the lips (pressed together), 0..1. */
  lipPress: number;
  teeth: 'none' | 'upper' | 'lower';
  /** Smile lines beside the mouth and raised cheeks, 0..1. */
  cheeks: number;
}

/** Each expression at full intensity, as changes from the resting face (eyeOpen and mouthWidth too). */
const TARGETS: Record<Expression, FaceFeatures> = {
  N: { eyeOpen: 0, lowerLid: 0, browInner: 0, browOuter: 0, browPull: 0, mouthCurve: 0, mouthOpen: 0, mouthWidth: 0, lipPress: 0, teeth: 'none', cheeks: 0 },
  A: { eyeOpen: -0.45, lowerLid: 0.3, browInner: -0.15, browOuter: 0.02, browPull: 0.1, mouthCurve: -0.05, mouthOpen: 0, mouthWidth: -0.15, lipPress: 0.8, teeth: 'none', cheeks: 0 },
  F: { eyeOpen: 0.7, lowerLid: 0, browInner: 0.17, browOuter: 0.08, browPull: 0.04, mouthCurve: -0.035, mouthOpen: 0.1, mouthWidth: 0.2, lipPress: 0.3, teeth: 'lower', cheeks: 0 },
  HC: { eyeOpen: -0.2, lowerLid: 0.6, browInner: 0.02, browOuter: 0.015, browPull: 0, mouthCurve: 0.15, mouthOpen: 0, mouthWidth: 0.3, lipPress: 0.3, teeth: 'none', cheeks: 1 },
  HO: { eyeOpen: -0.25, lowerLid: 0.65, browInner: 0.025, browOuter: 0.02, browPull: 0, mouthCurve: 0.15, mouthOpen: 0.16, mouthWidth: 0.34, lipPress: 0.15, teeth: 'upper', cheeks: 1 },
};

export function expressionFeatures(expression: Expression, intensity: number, identity: Identity, random: Random): FaceFeatures {
  const t = TARGETS[expression];
  const k = expression === 'N' ? 0 : intensity;
  // Everyday variation, present in every photograph, neutral or not.
  const wobble = () => random.normal(0, 1);
  const w = [wobble(), wobble(), wobble(), wobble(), wobble()];
  return {
    eyeOpen: Math.max(0.35, identity.restingEye + k * t.eyeOpen + 0.06 * w[0]),
    lowerLid: Math.max(0, k * t.lowerLid),
    browInner: identity.restingBrow + k * t.browInner + 0.012 * w[1],
    browOuter: identity.restingBrow + k * t.browOuter + 0.008 * w[1],
    browPull: k * t.browPull,
    mouthCurve: identity.restingCurve + k * t.mouthCurve + 0.01 * w[2],
    // A slightly parted neutral mouth happens; only open expressions open far.
    mouthOpen: Math.max(0, k * t.mouthOpen + 0.008 * w[3]),
    mouthWidth: 1 + k * t.mouthWidth + 0.03 * w[4],
    lipPress: Math.min(1, k * t.lipPress),
    teeth: k * (t.mouthOpen || 0) > 0.02 ? t.teeth : 'none',
    cheeks: k * t.cheeks,
  };
}
