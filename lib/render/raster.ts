// Pixel grids (heat-map cells, image pixels) placed in the SVG as one
// embedded PNG, scaled with nearest-neighbour beforehand: each cell stays a
// crisp block, with no seams between cells and no smoothing by librsvg.
import sharp from 'sharp';
import { attrs } from './svg';

export interface RasterPlacement {
  /** Pixel x of column 0's outer edge and of the last column's outer edge. */
  xFirst: number;
  xLast: number;
  /** Pixel y of row 0's outer edge and of the last row's outer edge. */
  yFirst: number;
  yLast: number;
}

/** An RGBA grid (row-major, row 0 first) as an <image> element at the given place. */
export async function rasterElement(rgba: Uint8Array, width: number, height: number, place: RasterPlacement, opacity = 1): Promise<string> {
  const left = Math.round(Math.min(place.xFirst, place.xLast));
  const right = Math.round(Math.max(place.xFirst, place.xLast));
  const top = Math.round(Math.min(place.yFirst, place.yLast));
  const bottom = Math.round(Math.max(place.yFirst, place.yLast));
  if (right - left < 1 || bottom - top < 1 || width < 1 || height < 1) return '';
  let img = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } });
  // Row 0 belongs at yFirst: below yLast on screen means the grid is upside down.
  if (place.yFirst > place.yLast) img = img.flip();
  if (place.xFirst > place.xLast) img = img.flop();
  const png = await img.resize(right - left, bottom - top, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
  return `<image${attrs({ x: left, y: top, width: right - left, height: bottom - top, opacity: opacity < 1 ? opacity : undefined, preserveAspectRatio: 'none' })} href="data:image/png;base64,${png.toString('base64')}"/>`;
}

/** Decodes a data URI (or raw bytes) image to RGBA. */
export async function decodeImage(source: string | Uint8Array): Promise<{ rgba: Uint8Array; width: number; height: number }> {
  let bytes: Buffer;
  if (typeof source === 'string') {
    const m = /^data:[^;,]+;base64,(.*)$/s.exec(source);
    if (!m) throw new Error('image source must be a base64 data URI (data:image/png;base64,...)');
    bytes = Buffer.from(m[1], 'base64');
  } else {
    bytes = Buffer.from(source);
  }
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}
