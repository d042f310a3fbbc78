// Binary image operations for the automatic masks of real photos: erosion
// and dilation by a square, opening and closing, connected components, hole
// filling. Masks are Uint8Array H×W (1 inside). Squares are separable and
// each 1-D pass is a running count, so the cost does not grow with the
// radius: a 2444×1718 CFD original is cleaned in linear time.
import { Size } from './checks';

/** 1-D pass: out = 1 where the window [i − r, i + r] holds any one (dilation) or only ones (erosion), clipped at the borders. */
function pass(src: Uint8Array, size: Size, r: number, horizontal: boolean, erode: boolean): Uint8Array {
  const { height: h, width: w } = size;
  const out = new Uint8Array(src.length);
  // Erosion: every pixel of the window inside (outside the image counts as inside, so borders do not eat shapes).
  const hit = (ones: number, span: number) => (erode ? ones === span : ones > 0) ? 1 : 0;
  if (horizontal) {
    const prefix = new Int32Array(w + 1);
    for (let y = 0; y < h; y++) {
      const base = y * w;
      for (let x = 0; x < w; x++) prefix[x + 1] = prefix[x] + src[base + x];
      for (let x = 0; x < w; x++) {
        const lo = x > r ? x - r : 0;
        const hi = x + r < w ? x + r : w - 1;
        out[base + x] = hit(prefix[hi + 1] - prefix[lo], hi - lo + 1);
      }
    }
    return out;
  }
  // Down the columns, a whole row at a time (rows are contiguous, columns are not).
  const prefix = new Int32Array((h + 1) * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) prefix[(y + 1) * w + x] = prefix[y * w + x] + src[y * w + x];
  for (let y = 0; y < h; y++) {
    const lo = y > r ? y - r : 0;
    const hi = y + r < h ? y + r : h - 1;
    for (let x = 0; x < w; x++) out[y * w + x] = hit(prefix[(hi + 1) * w + x] - prefix[lo * w + x], hi - lo + 1);
  }
  return out;
}

export function erode(mask: Uint8Array, size: Size, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  return pass(pass(mask, size, radius, true, true), size, radius, false, true);
}

export function dilate(mask: Uint8Array, size: Size, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  return pass(pass(mask, size, radius, true, false), size, radius, false, false);
}

/** Removes specks and threads thinner than 2r + 1. */
export function open(mask: Uint8Array, size: Size, radius: number): Uint8Array {
  return dilate(erode(mask, size, radius), size, radius);
}

/** Bridges gaps narrower than 2r + 1. */
export function close(mask: Uint8Array, size: Size, radius: number): Uint8Array {
  return erode(dilate(mask, size, radius), size, radius);
}

export function and(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((v, i) => (v && b[i] ? 1 : 0));
}

export function andNot(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((v, i) => (v && !b[i] ? 1 : 0));
}

export interface Components {
  /** Component id per pixel (0 = outside the mask, 1…count). */
  labels: Int32Array;
  count: number;
  /** Pixels per component (index = id; sizes[0] unused). */
  sizes: number[];
}

/** Connected components (8-connected by default), by breadth-first search. */
export function connectedComponents(mask: Uint8Array, size: Size, connectivity: 4 | 8 = 8): Components {
  const { height: h, width: w } = size;
  const labels = new Int32Array(mask.length);
  const queue = new Int32Array(mask.length);
  const sizes = [0];
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    count++;
    labels[start] = count;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    while (head < tail) {
      const p = queue[head++];
      const y = Math.floor(p / w);
      const x = p - y * w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w || (connectivity === 4 && dx !== 0 && dy !== 0)) continue;
          const q = yy * w + xx;
          if (mask[q] && !labels[q]) {
            labels[q] = count;
            queue[tail++] = q;
          }
        }
      }
    }
    sizes.push(tail);
  }
  return { labels, count, sizes };
}

/** The largest connected component (empty mask if there is none). */
export function largestComponent(mask: Uint8Array, size: Size): Uint8Array {
  const { labels, count, sizes } = connectedComponents(mask, size);
  if (count === 0) return new Uint8Array(mask.length);
  let best = 1;
  for (let id = 2; id <= count; id++) if (sizes[id] > sizes[best]) best = id;
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = labels[i] === best ? 1 : 0;
  return out;
}

/**
 * Components of `mask` that have at least one pixel in `seed`: a flood fill
 * from the seeds inside the mask (the same set as labelling every component
 * and keeping those a seed touches, at a fraction of the work).
 */
export function componentsTouching(mask: Uint8Array, seed: Uint8Array, size: Size, connectivity: 4 | 8 = 8): Uint8Array {
  const { height: h, width: w } = size;
  const n = mask.length;
  const out = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] && seed[i]) {
      out[i] = 1;
      queue[tail++] = i;
    }
  }
  const diagonal = connectivity === 8;
  const visit = (q: number) => {
    if (mask[q] && !out[q]) {
      out[q] = 1;
      queue[tail++] = q;
    }
  };
  for (let head = 0; head < tail; head++) {
    const p = queue[head];
    const y = (p / w) | 0;
    const x = p - y * w;
    const left = x > 0;
    const right = x < w - 1;
    if (left) visit(p - 1);
    if (right) visit(p + 1);
    if (y > 0) {
      visit(p - w);
      if (diagonal && left) visit(p - w - 1);
      if (diagonal && right) visit(p - w + 1);
    }
    if (y < h - 1) {
      visit(p + w);
      if (diagonal && left) visit(p + w - 1);
      if (diagonal && right) visit(p + w + 1);
    }
  }
  return out;
}

/** Pixels of the image border (one pixel wide). */
export function borderMask(size: Size): Uint8Array {
  const { height: h, width: w } = size;
  const out = new Uint8Array(h * w);
  for (let x = 0; x < w; x++) out[x] = out[(h - 1) * w + x] = 1;
  for (let y = 0; y < h; y++) out[y * w] = out[y * w + w - 1] = 1;
  return out;
}

/**
 * The mask with its holes filled: every outside region not connected to the
 * image border becomes inside. The outside is 4-connected (the dual of the
 * 8-connected inside), so it cannot leak through a diagonal gap.
 */
export function fillHoles(mask: Uint8Array, size: Size): Uint8Array {
  const outside = mask.map((v) => (v ? 0 : 1));
  const reachable = componentsTouching(outside, borderMask(size), size, 4);
  return reachable.map((v) => (v ? 0 : 1));
}
