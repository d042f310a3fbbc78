// One photograph → the network's input pixels: decoded by sharp, cropped
// (optionally), resized to size×size ignoring the aspect ratio (as the paper
// did), RGB, 8 bits per channel, row-major (y, x, channel).
import sharp from 'sharp';
import { Crop, cropPixels } from './crop';

export interface DecodeOptions {
  size: number;
  crop?: Crop;
}

export async function decodeImage(file: string, options: DecodeOptions): Promise<Uint8Array> {
  const { size, crop = 'none' } = options;
  // failOn 'warning' turns a truncated JPEG (which libjpeg would pad with grey) into an error.
  const image = sharp(file, { failOn: 'warning' });
  const meta = await image.metadata();
  if (!meta.width || !meta.height) throw new Error('no image size in header');
  let pipeline = image.toColourspace('srgb').removeAlpha();
  if (crop !== 'none') pipeline = pipeline.extract(cropPixels(crop, meta.width, meta.height));
  const { data, info } = await pipeline
    .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || data.length !== size * size * 3) {
    throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×3`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** Runs `work` over 0..count-1 with at most `concurrency` in flight, in order of index. */
export async function forEachLimited(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}
