// Image traces: RGB(A) pixels (z) or an encoded picture (source), pixel
// (0, 0) at (x0, y0), one pixel = dx × dy axis units, centred on its coordinate.
import { AxisModel, toPx } from '../axes';
import type { ImageTrace } from '../figure';
import { decodeImage, rasterElement } from '../raster';
import type { TraceContext } from './context';

interface Pixels {
  rgba: Uint8Array;
  width: number;
  height: number;
}

export function imageSize(t: ImageTrace, decoded?: Pixels): { width: number; height: number } {
  if (t.z) return { width: t.z[0]?.length ?? 0, height: t.z.length };
  return decoded ? { width: decoded.width, height: decoded.height } : { width: 0, height: 0 };
}

/** z as RGBA bytes; alpha given as 0..1 (Plotly's rgba colour model) or 0..255. */
function pixelsFromZ(z: number[][][]): Pixels {
  const height = z.length;
  const width = z[0]?.length ?? 0;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const p = z[i][j] ?? [0, 0, 0];
      const a = p.length > 3 ? (p[3] <= 1 ? p[3] * 255 : p[3]) : 255;
      rgba.set([p[0], p[1], p[2], a].map((v) => Math.round(Math.min(255, Math.max(0, v)))), (i * width + j) * 4);
    }
  }
  return { rgba, width, height };
}

/** Decoded sources, so the extent pass and the drawing pass decode once. */
const decodedSources = new WeakMap<ImageTrace, Pixels>();

export async function prepareImage(t: ImageTrace): Promise<void> {
  if (!t.z && t.source && !decodedSources.has(t)) decodedSources.set(t, await decodeImage(t.source));
}

export function imageExtent(t: ImageTrace, letter: 'x' | 'y'): [number, number] | undefined {
  const { width, height } = imageSize(t, decodedSources.get(t));
  const n = letter === 'x' ? width : height;
  if (!n) return undefined;
  const origin = (letter === 'x' ? t.x0 : t.y0) ?? 0;
  const step = (letter === 'x' ? t.dx : t.dy) ?? 1;
  const ends = [origin - step / 2, origin + (n - 0.5) * step];
  return [Math.min(...ends), Math.max(...ends)];
}

function edges(axis: AxisModel, origin: number, step: number, n: number): [number, number] {
  return [toPx(axis, origin - step / 2), toPx(axis, origin + (n - 0.5) * step)];
}

export async function renderImage(t: ImageTrace, ctx: TraceContext): Promise<string> {
  const pixels = t.z ? pixelsFromZ(t.z) : decodedSources.get(t);
  if (!pixels || !pixels.width || !pixels.height) return '';
  const [xFirst, xLast] = edges(ctx.subplot.x, t.x0 ?? 0, t.dx ?? 1, pixels.width);
  const [yFirst, yLast] = edges(ctx.subplot.y, t.y0 ?? 0, t.dy ?? 1, pixels.height);
  return rasterElement(pixels.rgba, pixels.width, pixels.height, { xFirst, xLast, yFirst, yLast }, t.opacity ?? 1);
}
