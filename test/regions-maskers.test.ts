// The maskers behind one interface, on a tiny synthetic set with ground
// truth: the landmark masker against the truth and against the old colour
// rules, the automatic choice, alignment with the network's input, and the
// small pieces (polygons, backdrop, shares that sum to 100%, warning counts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { chooseBackend } from '../lib/backend/select';
import { loadDataset, Dataset } from '../lib/data/dataset';
import { loadRegionMap, regionAreas, UNLABELLED } from '../lib/data/regions';
import { generateSyntheticCfd } from '../lib/data/synthetic/generate';
import { estimateBackdrop } from '../lib/regions/backdrop';
import { labelsAtInput, workingSize } from '../lib/regions/input-labels';
import { chooseMasker, colourMasker, landmarkMasker, maskDataset } from '../lib/regions/maskers';
import { maskQuality, MaskQuality } from '../lib/regions/mask-quality';
import { WarningTally } from '../lib/regions/mask-warnings';
import { convexHull, polygonMask } from '../lib/regions/polygon-fill';
import { writeMaskPictures } from '../lib/regions/mask-picture';
import { BACKEND } from './audit-run-fixture';

const iou = (q: MaskQuality, region: string) => q.rows.find((r) => r.region === region)!.pooled;

describe('regions: maskers on a synthetic set with ground truth', function () {
  let tmp: string;
  let dataset: Dataset;
  let landmarks: MaskQuality;
  let colour: MaskQuality;

  before(async function () {
    this.timeout(300_000);
    await chooseBackend(BACKEND);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-regions-'));
    await generateSyntheticCfd(path.join(tmp, 'data'), { subjects: 6, expressiveSubjects: 1, width: 305 });
    dataset = await loadDataset(path.join(tmp, 'data'), { size: 64, table: false, cacheDir: false });
    landmarks = await maskQuality(dataset, landmarkMasker());
    colour = await maskQuality(dataset, colourMasker);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the landmark masker finds every drawn face and matches the truth (IoU, pooled)', () => {
    assert.strictEqual(landmarks.notFound.length, 0, landmarks.notFound.join(', '));
    assert.strictEqual(landmarks.scored, dataset.items.length);
    const want: Record<string, number> = { background: 0.95, hair: 0.8, face: 0.85, shirt: 0.9, mouth: 0.4, eyes: 0.3 };
    for (const [region, least] of Object.entries(want)) assert.ok(iou(landmarks, region) >= least, `${region}: IoU ${iou(landmarks, region).toFixed(3)} < ${least}`);
  });

  it('beats the old colour rules on hair, face and shirt, and places the parts they cannot', () => {
    for (const region of ['hair', 'face', 'shirt']) assert.ok(iou(landmarks, region) > iou(colour, region), `${region}: landmarks ${iou(landmarks, region).toFixed(3)}, colour ${iou(colour, region).toFixed(3)}`);
    assert.strictEqual(iou(colour, 'mouth'), 0, 'the colour rules label no mouth');
  });

  it('chooses the ground truth when the set has label maps, the landmarks otherwise, and says so', () => {
    const withTruth = chooseMasker(dataset);
    assert.strictEqual(withTruth.masker.name, 'ground-truth');
    assert.match(withTruth.reason, /automatic: the data set has region label maps/);
    const without = chooseMasker({ ...dataset, masks: undefined, legend: undefined });
    assert.strictEqual(without.masker.name, 'landmarks');
    assert.match(without.reason, /automatic: the data set has no region label maps/);
    assert.throws(() => chooseMasker({ ...dataset, masks: undefined, legend: undefined }, 'ground-truth'), /--regions ground-truth: .* has no region label maps/);
  });

  it('counts warnings per kind and lists images whose face is not found, leaving them out', async () => {
    // A blank photo: no face. Its image is listed, with no label map.
    const blank = path.join(tmp, 'blank.jpg');
    await sharp({ create: { width: 300, height: 210, channels: 3, background: '#f4f4f4' } }).jpeg().toFile(blank);
    const withBlank: Dataset = { ...dataset, items: [{ ...dataset.items[0], file: 'blank.jpg', path: blank }, dataset.items[1]] };
    const masks = await maskDataset(withBlank, landmarkMasker());
    assert.deepStrictEqual(masks.notFound, ['blank.jpg']);
    assert.strictEqual(masks.labels[0], undefined);
    assert.strictEqual(masks.labels[1]!.length, 64 * 64);
    assert.deepStrictEqual(masks.warnings.counts().map((c) => [c.kind, c.images]), [['no face found', 1]]);
  });

  it('lines the landmark masks up with the input pixels: same crop and size as the decoded image', async () => {
    // A label image with a known pattern, brought to a 'face'-cropped 40×40 input both ways.
    const original = { height: 172, width: 244 };
    const labels = new Uint8Array(original.height * original.width);
    for (let y = 0; y < original.height; y++) for (let x = 0; x < original.width; x++) labels[y * original.width + x] = (Math.floor(x / 12) + 2 * Math.floor(y / 9)) % 7;
    const file = path.join(tmp, 'pattern.png');
    await sharp(Buffer.from(labels), { raw: { width: original.width, height: original.height, channels: 1 } }).png().toFile(file);
    const ours = labelsAtInput(labels, original, original, 'face', 40);
    const sharps = await loadRegionMap(file, { size: 40, crop: 'face' });
    const same = ours.filter((v, i) => v === sharps[i]).length / ours.length;
    assert.ok(same >= 0.97, `agreement with the data loader's nearest-neighbour resize: ${same.toFixed(3)}`);
    // From a half-size working copy the map is the same up to the coarser boundaries.
    const work = workingSize(original, 122);
    assert.deepStrictEqual(work, { height: 86, width: 122 });
    const half = new Uint8Array(work.height * work.width);
    for (let y = 0; y < work.height; y++) for (let x = 0; x < work.width; x++) half[y * work.width + x] = labels[2 * y * original.width + 2 * x];
    const fromHalf = labelsAtInput(half, work, original, 'face', 40);
    assert.ok(fromHalf.filter((v, i) => v === ours[i]).length / ours.length >= 0.9);
  });

  it('shares of an image sum to 100% with the unlabelled pixels named', () => {
    const labels = Uint8Array.from([0, 0, 1, 2, UNLABELLED, UNLABELLED, 7, 200]);
    const areas = regionAreas(labels);
    assert.strictEqual(areas.background, 0.25);
    assert.strictEqual(areas.unlabelled, 0.375, 'id 200 is in no region of the legend: unlabelled too');
    assert.ok(Math.abs(Object.values(areas).reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });

  it('writes the label image (ids as grey levels) and a colour overlay', async () => {
    const labels = new Uint8Array(64 * 64).fill(1);
    const files = await writeMaskPictures(path.join(tmp, 'pictures'), 'one', new Uint8Array(64 * 64 * 3).fill(100), labels, { height: 64, width: 64 });
    assert.strictEqual((await sharp(files.labels).metadata()).channels, 1);
    assert.ok((await loadRegionMap(files.labels, { size: 64 })).every((v) => v === 1), 'readable as a label map');
    const overlay = await sharp(files.overlay).raw().toBuffer();
    // Half photo grey (100), half hair colour (140, 70, 20).
    assert.deepStrictEqual([...overlay.subarray(0, 3)], [120, 85, 60]);
  });
});

describe('regions: small pieces', () => {
  it('fills a polygon by pixel centres and takes convex hulls', () => {
    const square = polygonMask({ height: 10, width: 10 }, [[2, 2], [7, 2], [7, 6], [2, 6]]);
    assert.strictEqual(square.reduce((a, b) => a + b, 0), 5 * 4);
    assert.strictEqual(square[2 * 10 + 2], 1);
    assert.strictEqual(square[6 * 10 + 6], 0);
    const hull = convexHull([[0, 0], [4, 0], [2, 1], [4, 4], [0, 4], [2, 2]]);
    assert.deepStrictEqual(hull, [[0, 0], [4, 0], [4, 4], [0, 4]]);
  });

  it('finds a lit, uneven backdrop from the border and keeps what is not joined to it', () => {
    const size = { height: 40, width: 60 };
    const rgb = new Uint8Array(40 * 60 * 3);
    for (let y = 0; y < 40; y++) {
      for (let x = 0; x < 60; x++) {
        const shade = 250 - x / 2 - y / 4; // a gradient of 40 levels across the picture
        const person = (x - 30) ** 2 / 100 + (y - 25) ** 2 / 150 <= 1;
        const eyeWhite = (x - 30) ** 2 + (y - 25) ** 2 <= 4;
        const v = eyeWhite ? 245 : person ? 90 : shade;
        rgb.set([v, v, v], (y * 60 + x) * 3);
      }
    }
    const b = estimateBackdrop(rgb, size);
    assert.ok(b.inliers > 0.99);
    let wrong = 0;
    for (let y = 0; y < 40; y++) for (let x = 0; x < 60; x++) if (b.mask[y * 60 + x] !== ((x - 30) ** 2 / 100 + (y - 25) ** 2 / 150 <= 1 ? 0 : 1)) wrong++;
    assert.strictEqual(wrong, 0, 'the eye white inside the person is not backdrop, the whole gradient is');
  });

  it('counts each kind once per image, with examples', () => {
    const tally = new WarningTally(1);
    tally.add('a.jpg', [{ kind: 'no shirt found', message: 'x' }, { kind: 'no shirt found', message: 'y' }]);
    tally.add('b.jpg', [{ kind: 'no shirt found', message: 'z' }, { kind: 'several faces', message: '2 faces' }]);
    assert.deepStrictEqual(tally.counts().map((c) => [c.kind, c.images, c.examples.length]), [['no shirt found', 2, 1], ['several faces', 1, 1]]);
    assert.match(tally.lines(5)[0], /^no shirt found: 2\/5 image\(s\), e\.g\. a\.jpg \(x\)$/);
  });
});
