import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { loadDataset, imagePixels, imageRegions } from '../lib/data/dataset';
import { defaultLegend, regionMasks, REGIONS_FILE } from '../lib/data/regions';
import { EXPRESSIONS } from '../lib/data/expressions';
import { CLASS_COLOURS, MAIN_MODELS, writeCfd3, writeFlatWithTrouble } from './data/cfd-fixture';

describe('loadDataset (decoding, crop, cache, masks)', function () {
  this.timeout(60_000);
  let tmp: string;
  let cacheDir: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-dataset-'));
    cacheDir = path.join(tmp, 'cache');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('decodes every image to size×size RGB bytes in catalogue order, with labels', async () => {
    const root = path.join(tmp, 'v3');
    await writeCfd3(root);
    const d = await loadDataset(root, { size: 16, cacheDir });
    assert.strictEqual(d.items.length, 25);
    assert.strictEqual(d.pixels.length, 25 * 16 * 16 * 3);
    assert.deepStrictEqual(Array.from(d.labels), d.items.map((i) => EXPRESSIONS.indexOf(i.expression)));
    assert.strictEqual(d.masks, undefined);
    assert.strictEqual(d.table!.shape[0], 25);
    // each fixture image is its class colour on the right three quarters
    for (let i = 0; i < d.items.length; i++) {
      const px = imagePixels(d, i);
      const at = (8 * 16 + 12) * 3;
      const want = CLASS_COLOURS[d.items[i].expression];
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(px[at + c] - want[c]) <= 6, `${d.items[i].file} channel ${c}: ${px[at + c]} vs ${want[c]}`);
    }
  });

  it('caches decoded pixels and invalidates on a changed parameter or file', async function () {
    const root = path.join(tmp, 'cached');
    await writeCfd3(root, MAIN_MODELS.slice(0, 3));
    const progress: number[] = [];
    const first = await loadDataset(root, { size: 12, cacheDir, table: false, onProgress: (done) => progress.push(done) });
    assert.strictEqual(first.cache.hit, false);
    assert.strictEqual(progress[progress.length - 1], first.items.length);
    assert.ok(fs.existsSync(first.cache.file!));

    const again = await loadDataset(root, { size: 12, cacheDir, table: false });
    assert.strictEqual(again.cache.hit, true);
    assert.strictEqual(again.cache.key, first.cache.key);
    assert.deepStrictEqual(Buffer.from(again.pixels), Buffer.from(first.pixels));
    assert.deepStrictEqual(again.items.map((i) => i.file), first.items.map((i) => i.file));

    const otherSize = await loadDataset(root, { size: 10, cacheDir, table: false });
    assert.strictEqual(otherSize.cache.hit, false);
    const cropped = await loadDataset(root, { size: 12, crop: 'face', cacheDir, table: false });
    assert.strictEqual(cropped.cache.hit, false);
    assert.notDeepStrictEqual(Buffer.from(cropped.pixels), Buffer.from(first.pixels));

    // a changed file (new content, new time) is a new entry
    const victim = first.items[0].path;
    fs.writeFileSync(victim, await sharp({ create: { width: 40, height: 28, channels: 3, background: '#000' } }).jpeg().toBuffer());
    fs.utimesSync(victim, new Date(), new Date(Date.now() + 5000));
    const changed = await loadDataset(root, { size: 12, cacheDir, table: false });
    assert.strictEqual(changed.cache.hit, false);
    assert.notStrictEqual(changed.cache.key, first.cache.key);
    assert.ok(imagePixels(changed, 0).every((v) => v < 10), 'the new (black) image was decoded');
    // the superseded entry for this folder and setting is gone; other settings stay
    assert.ok(!fs.existsSync(first.cache.file!), 'old entry pruned');
    assert.ok(fs.existsSync(otherSize.cache.file!) && fs.existsSync(cropped.cache.file!), 'other settings kept');

    // a damaged cache entry is rebuilt, not trusted
    fs.writeFileSync(changed.cache.file!, Buffer.alloc(10));
    const rebuilt = await loadDataset(root, { size: 12, cacheDir, table: false });
    assert.strictEqual(rebuilt.cache.hit, false);
    assert.deepStrictEqual(Buffer.from(rebuilt.pixels), Buffer.from(changed.pixels));
  });

  it('skips an image that fails to decode, with the reason, also when read from the cache', async () => {
    const root = path.join(tmp, 'flat');
    await writeFlatWithTrouble(root);
    for (const expectHit of [false, true]) {
      const d = await loadDataset(root, { size: 8, cacheDir, table: false });
      assert.strictEqual(d.cache.hit, expectHit);
      assert.strictEqual(d.items.length, 22);
      assert.ok(!d.items.some((i) => i.file === 'CFD-WF-003-995-F.jpg'));
      const failed = d.skipped.find((s) => s.file === 'CFD-WF-003-995-F.jpg');
      assert.ok(failed, 'the truncated JPEG is listed');
      assert.strictEqual(failed!.kind, 'corrupt');
      assert.match(failed!.reason, /cannot decode/);
      assert.strictEqual(d.pixels.length, 22 * 8 * 8 * 3);
    }
  });

  it('loads region label maps with nearest-neighbour resizing and the same crop', async () => {
    const root = path.join(tmp, 'regions');
    await writeCfd3(root, MAIN_MODELS.slice(0, 1));
    fs.writeFileSync(path.join(root, REGIONS_FILE), JSON.stringify(defaultLegend()));
    const first = (await loadDataset(root, { size: 8, cacheDir: false, masks: false, table: false })).items;
    // Label map 40×28: left quarter background (0), the rest hair (1) above row 14 and shirt (6) below.
    const w = 40;
    const h = 28;
    const ids = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) ids[y * w + x] = x < 10 ? 0 : y < 14 ? 1 : 6;
    const png = await sharp(ids, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
    for (const item of first.slice(1)) {
      const file = path.join(root, 'regions', item.file.replace(/\.jpg$/, '.png'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, png);
    }
    const d = await loadDataset(root, { size: 8, cacheDir, table: false });
    assert.ok(d.masks && d.legend);
    assert.strictEqual(d.masks!.length, d.items.length * 64);
    // the first image has no map: 255 and a warning
    assert.ok(imageRegions(d, 0)!.every((v) => v === 255));
    assert.match(d.warnings.join('\n'), /1 image\(s\) have no region label map/);
    const m = imageRegions(d, 1)!;
    assert.deepStrictEqual(new Set(m), new Set([0, 1, 6]), 'only valid ids after resizing');
    assert.deepStrictEqual(Array.from(m.subarray(0, 8)), [0, 0, 1, 1, 1, 1, 1, 1]);
    assert.deepStrictEqual(Array.from(m.subarray(56, 64)), [0, 0, 6, 6, 6, 6, 6, 6]);
    const masks = regionMasks(m, d.legend!);
    assert.strictEqual(masks.hair.reduce((a, b) => a + b, 0), 24);
    assert.strictEqual(masks['not face'].reduce((a, b) => a + b, 0), 64);
    assert.strictEqual(masks.face.reduce((a, b) => a + b, 0), 0);

    const cropped = await loadDataset(root, { size: 8, crop: { left: 0.25, top: 0, width: 0.75, height: 1 }, cacheDir, table: false });
    assert.ok(!imageRegions(cropped, 1)!.includes(0), 'the crop removed the background quarter from the map too');
  });

  it('rejects nonsense sizes and masks for a set without regions', async () => {
    const root = path.join(tmp, 'v3');
    await assert.rejects(loadDataset(root, { size: 3 }), /size must be an integer in 8\.\.1024, got 3/);
    await assert.rejects(loadDataset(root, { masks: true, cacheDir: false }), /masks requested but the data set has no regions\.json/);
  });
});
