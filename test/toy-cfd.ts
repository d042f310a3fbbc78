// A tiny data folder in the real CFD naming, built from the toy images, for
// tests of the pipeline that reads folders (train, explain, audit).
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { makeToyData } from '../lib/train/toy-data';
import { EXPRESSIONS } from '../lib/data/expressions';

/** A flat folder of CFD-named JPEGs: 12 models × 5 expressions of toy images. */
export async function writeToyCfd(dir: string, size = 24): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const models = 12;
  const toy = makeToyData(models * EXPRESSIONS.length, size, EXPRESSIONS.length, 7);
  for (let m = 0; m < models; m++) {
    for (let e = 0; e < EXPRESSIONS.length; e++) {
      const i = m * EXPRESSIONS.length + e;
      const rgb = Buffer.alloc(size * size * 3);
      for (let p = 0; p < rgb.length; p++) rgb[p] = Math.max(0, Math.min(255, Math.round(100 + 60 * toy.images[i * rgb.length + p])));
      const name = `CFD-${m % 2 ? 'W' : 'B'}F-${String(200 + m)}-001-${EXPRESSIONS[toy.labels[i]]}.jpg`;
      await sharp(rgb, { raw: { width: size, height: size, channels: 3 } }).jpeg({ quality: 95 }).toFile(path.join(dir, name));
    }
  }
}

