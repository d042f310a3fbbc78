// Hand-made folders in the real CFD layouts, with tiny JPEGs instead of
// photographs (never real CFD images). Each expression gets its own flat
// colour, so decoding can be checked pixel by pixel.
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { EXPRESSIONS, Expression } from '../../lib/data/expressions';

export const CLASS_COLOURS: Record<Expression, [number, number, number]> = {
  N: [200, 200, 200],
  A: [200, 40, 40],
  F: [40, 200, 40],
  HC: [40, 40, 200],
  HO: [200, 200, 40],
};

/** A small JPEG of one flat colour (with a darker left half, so crops differ). */
export async function tinyJpeg(colour: [number, number, number], width = 40, height = 28): Promise<Buffer> {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = x < width / 4 ? 0.5 : 1;
      rgb.set(colour.map((v) => Math.round(v * k)), (y * width + x) * 3);
    }
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

export async function writeImage(file: string, expression: Expression): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await tinyJpeg(CLASS_COLOURS[expression]));
}

export interface FixtureModel {
  model: string;
  expressions: Expression[];
}

/** Black and White models with all five, Asian and Latino neutral only: the CFD's structure in small. */
export const MAIN_MODELS: FixtureModel[] = [
  { model: 'BF-001', expressions: [...EXPRESSIONS] },
  { model: 'BM-002', expressions: [...EXPRESSIONS] },
  { model: 'WF-003', expressions: ['N', 'A', 'HC', 'HO'] },
  { model: 'WM-004', expressions: [...EXPRESSIONS] },
  { model: 'AF-200', expressions: ['N'] },
  { model: 'AM-201', expressions: ['N'] },
  { model: 'LF-202', expressions: ['N'] },
];

export function cfdName(model: string, photo: number, expression: Expression): string {
  return `CFD-${model}-${String(photo).padStart(3, '0')}-${expression}.jpg`;
}

/** CFD Version 3.0/Images/{CFD,CFD-MR,CFD-INDIA}, a codebook, a readme and a norming CSV. */
export async function writeCfd3(root: string, models = MAIN_MODELS): Promise<void> {
  const base = path.join(root, 'CFD Version 3.0');
  let photo = 10;
  for (const m of models) {
    for (const e of m.expressions) await writeImage(path.join(base, 'Images', 'CFD', m.model, cfdName(m.model, photo++, e)), e);
  }
  await writeImage(path.join(base, 'Images', 'CFD-MR', 'MF-300', cfdName('MF-300', 1, 'N')), 'N');
  // CFD-INDIA: mostly loose files, one model in a folder.
  await writeImage(path.join(base, 'Images', 'CFD-INDIA', cfdName('IF-600', 2, 'N')), 'N');
  await writeImage(path.join(base, 'Images', 'CFD-INDIA', 'IM-601', cfdName('IM-601', 3, 'N')), 'N');
  fs.writeFileSync(path.join(base, 'CFD 3.0 Norming Data and Codebook.xlsx'), 'PK\u0003\u0004 not really a workbook');
  fs.writeFileSync(path.join(base, 'CFD 3.0 ReadMe.pdf'), '%PDF-1.4');
  const rows = [
    'CFD 3.0 Norming Data,,,',
    'Ratings on 1-7 scales,,,',
    'Target,Race,Age,Happy',
    ...models.map((m, i) => `${m.model},${m.model[0]},${20 + i},"${(1 + i / 10).toFixed(2)}"`),
    ',,,',
  ];
  fs.writeFileSync(path.join(base, 'CFD 3.0 Norming Data.csv'), rows.join('\r\n'));
}

export async function writeCfd203(root: string, models = MAIN_MODELS): Promise<void> {
  const base = path.join(root, 'CFD Version 2.0.3', 'CFD 2.0.3 Images');
  let photo = 10;
  for (const m of models) {
    for (const e of m.expressions) await writeImage(path.join(base, m.model, cfdName(m.model, photo++, e)), e);
  }
}

/**
 * A flat folder of the main models plus everything users end up with:
 * copies, other formats, changed case, misnamed, broken and system files.
 * Returns what the loader should make of the troublemakers.
 */
export async function writeFlatWithTrouble(root: string): Promise<Record<string, string>> {
  fs.mkdirSync(root, { recursive: true });
  let photo = 10;
  for (const m of MAIN_MODELS) {
    for (const e of m.expressions) await writeImage(path.join(root, cfdName(m.model, photo++, e)), e);
  }
  const original = cfdName('BF-001', 10, 'N');
  const jpeg = fs.readFileSync(path.join(root, original));
  const trouble: Record<string, string> = {
    'CFD-BF-001-010-N (1).jpg': 'duplicate',
    'cfd-bf-001-010-n.JPG': 'duplicate',
    'CFD-BF-001-010-N.png': 'duplicate',
    'IMG_0001.jpg': 'misnamed',
    'CFD-XF-900-001-N.jpg': 'misnamed',
    'CFD-BM-002-999-N.txt': 'not an image',
    'CFD-WM-004-998-N.jpg': 'not an image',
    'CFD-WM-004-997-A.jpg': 'empty',
    'CFD-WM-004-996-HC.jpg': 'corrupt',
  };
  fs.writeFileSync(path.join(root, 'CFD-BF-001-010-N (1).jpg'), jpeg);
  fs.writeFileSync(path.join(root, 'cfd-bf-001-010-n.JPG'), jpeg);
  fs.writeFileSync(path.join(root, 'CFD-BF-001-010-N.png'), await sharp(jpeg).png().toBuffer());
  fs.writeFileSync(path.join(root, 'IMG_0001.jpg'), jpeg);
  fs.writeFileSync(path.join(root, 'CFD-XF-900-001-N.jpg'), jpeg);
  fs.writeFileSync(path.join(root, 'CFD-BM-002-999-N.txt'), 'notes');
  fs.writeFileSync(path.join(root, 'CFD-WM-004-998-N.jpg'), '<html>404 Not Found</html>');
  fs.writeFileSync(path.join(root, 'CFD-WM-004-997-A.jpg'), '');
  // JPEG magic followed by garbage: sharp cannot read a header.
  fs.writeFileSync(path.join(root, 'CFD-WM-004-996-HC.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]));
  // A truncated JPEG: the header is fine, the pixels stop half way (found only when decoding).
  const big = await tinyJpeg([90, 120, 150], 200, 140);
  fs.writeFileSync(path.join(root, 'CFD-WF-003-995-F.jpg'), big.subarray(0, Math.floor(big.length / 2)));
  fs.writeFileSync(path.join(root, '.DS_Store'), 'x');
  fs.mkdirSync(path.join(root, '__MACOSX'));
  fs.writeFileSync(path.join(root, '__MACOSX', `._${original}`), 'resource fork');
  fs.writeFileSync(path.join(root, `._${original}`), 'resource fork');
  return trouble;
}
