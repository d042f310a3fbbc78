// Outlines of the face's parts as indices into the 468-point MediaPipe face
// mesh (the topology @vladmandic/human's face mesh uses; the lists are those
// of its src/face/facemeshcoords.ts, MIT), each in drawing order so that
// the points make a closed polygon.

/** The face oval from the top of the forehead round by the right cheek, the chin, the left cheek. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
  152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];

/** Outer lip line: upper lip from corner to corner, then the lower lip back. */
export const LIPS = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146];

/** Eyelid openings: lower lid from the outer to the inner corner, then the upper lid back. */
export const RIGHT_EYE = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246];
export const LEFT_EYE = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466];

/** Eyebrows: upper edge outwards-in, then the lower edge back. */
export const RIGHT_BROW = [156, 70, 63, 105, 66, 107, 55, 193, 65, 52, 53, 46, 124, 35];
export const LEFT_BROW = [383, 300, 293, 334, 296, 336, 285, 417, 295, 282, 283, 276, 353, 265];

/** Points on the nose (bridge, sides, wings, tip, base): the nose is their convex hull. */
export const NOSE_POINTS = [168, 6, 197, 195, 5, 4, 1, 19, 94, 2, 98, 327, 64, 294, 48, 278, 129, 358, 49, 279, 102, 331, 122, 351, 196, 419, 3, 248, 51, 281];

/** Single points the masker uses. */
export const POINT = {
  foreheadTop: 10,
  chin: 152,
  noseTip: 1,
  noseBottom: 2,
  upperLipTop: 0,
  rightEyeOuter: 33,
  leftEyeOuter: 263,
} as const;

/** Iris centres (points 468 and 473 of the 478 with iris). */
export const IRIS_CENTRES = [468, 473];

export type Point = [number, number];

/** The polygon of an outline, from interleaved x, y landmarks. */
export function outline(points: ArrayLike<number>, indices: readonly number[]): Point[] {
  return indices.map((k) => [points[2 * k], points[2 * k + 1]]);
}
