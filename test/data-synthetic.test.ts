import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { planRoster } from '../lib/data/synthetic/roster';
import { generateSyntheticCfd, imageHeight, readManifest, SyntheticManifest } from '../lib/data/synthetic/generate';
import { PLANT_COLOURS } from '../lib/data/synthetic/planted-bias';
import { loadCatalog } from '../lib/data/catalog';
import { summariseCatalog } from '../lib/data/summary';
import { loadDataset, imagePixels, imageRegions } from '../lib/data/dataset';
import { REGIONS, regionId } from '../lib/data/regions';
import { EXPRESSIONS } from '../lib/data/expressions';

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  return xs.reduce<Record<string, number>>((a, x) => ((a[key(x)] = (a[key(x)] ?? 0) + 1), a), {});
}

describe('synthetic CFD-like set', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-synth-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('plans the CFD main set by default: 597 models, 1207 images, only Black and White with expressions', () => {
    const roster = planRoster({ seed: 1, subjects: 597, confound: true });
    assert.deepStrictEqual(countBy(roster, (m) => m.race), { A: 109, B: 197, L: 108, W: 183 });
    const images = roster.flatMap((m) => m.expressions);
    assert.strictEqual(images.length, 1207);
    assert.deepStrictEqual(countBy(images, (e) => e), { N: 597, A: 154, F: 149, HC: 153, HO: 154 });
    const expressive = roster.filter((m) => m.expressions.length > 1);
    assert.strictEqual(expressive.length, 158);
    assert.ok(expressive.every((m) => m.race === 'B' || m.race === 'W'));
    assert.strictEqual(new Set(roster.map((m) => m.model)).size, 597);
    const females = roster.filter((m) => m.gender === 'F').length;
    assert.ok(Math.abs(females - 597 / 2) <= 4, `${females} female models`);
  });

  it('with the confound off, models with expressions come from every race', () => {
    const roster = planRoster({ seed: 1, subjects: 597, confound: false });
    const byRace = countBy(roster.filter((m) => m.expressions.length > 1), (m) => m.race);
    assert.strictEqual(Object.values(byRace).reduce((a, b) => a + b), 158);
    for (const r of ['A', 'B', 'L', 'W']) assert.ok(byRace[r] >= 15, `${r}: ${byRace[r]} expressive models`);
    assert.throws(() => planRoster({ seed: 1, subjects: 10, expressiveSubjects: 8, confound: true }), /only \d+ of 10 models can have them \(with the confound on/);
  });

  let small: string;
  let manifest: SyntheticManifest;
  const options = { seed: 5, subjects: 12, expressiveSubjects: 4, width: 96 };

  it('writes the real CFD 3.0 layout, names and region maps that the loader reads', async () => {
    small = path.join(tmp, 'small');
    const progress: number[] = [];
    manifest = await generateSyntheticCfd(small, options, (d) => progress.push(d));
    assert.strictEqual(manifest.models, 12);
    assert.strictEqual(manifest.height, imageHeight(96));
    assert.strictEqual(imageHeight(611), 430);
    assert.strictEqual(progress[progress.length - 1], manifest.images.length);
    const catalog = await loadCatalog(small, { table: false });
    assert.strictEqual(catalog.layout, 'CFD 3.0');
    assert.deepStrictEqual(catalog.skipped, []);
    assert.strictEqual(catalog.items.length, manifest.images.length);
    assert.ok(catalog.regions, 'regions.json is read');
    const s = summariseCatalog(catalog);
    assert.strictEqual(s.models, 12);
    assert.strictEqual(s.modelsWithExpressions, 4);
    assert.deepStrictEqual(s.neutralOnlyRaces, ['A', 'L'], JSON.stringify(s.byRaceExpression));
    const meta = await sharp(catalog.items[0].path).metadata();
    assert.deepStrictEqual([meta.format, meta.width, meta.height], ['jpeg', 96, 67]);
    assert.match(catalog.items[0].file, /^CFD Version 3\.0[\\/]Images[\\/]CFD[\\/][A-Z]{2}-\d{3}[\\/]CFD-[A-Z]{2}-\d{3}-\d{3}-(N|A|F|HC|HO)\.jpg$/);
  });

  it('draws label maps that agree with the photographs', async () => {
    const d = await loadDataset(small, { size: 48, cacheDir: false, table: false });
    assert.ok(d.masks);
    const valid = new Set<number>(REGIONS.map((r) => r.id));
    const bg = regionId('background');
    for (let i = 0; i < d.items.length; i++) {
      const ids = imageRegions(d, i)!;
      const px = imagePixels(d, i);
      const present = new Set(ids);
      for (const v of present) assert.ok(valid.has(v), `invalid id ${v}`);
      for (const r of ['background', 'hair', 'face skin', 'shirt'] as const) assert.ok(present.has(regionId(r)), `${d.items[i].file} lacks ${r}`);
      // background pixels are near white, face-skin pixels are not
      let bgSum = 0, bgN = 0, skinSum = 0, skinN = 0;
      ids.forEach((v, p) => {
        const lum = (px[3 * p] + px[3 * p + 1] + px[3 * p + 2]) / 3;
        if (v === bg) { bgSum += lum; bgN++; }
        if (v === regionId('face skin')) { skinSum += lum; skinN++; }
      });
      assert.ok(bgSum / bgN > 215, `background mean ${bgSum / bgN}`);
      assert.ok(skinSum / skinN < bgSum / bgN - 20, 'skin is darker than the backdrop');
    }
    // happy, open mouth shows more mouth than neutral on average
    const mouth = regionId('mouth');
    const share = (e: string) => {
      const idx = d.items.map((it, i) => [it, i] as const).filter(([it]) => it.expression === e).map(([, i]) => i);
      return idx.reduce((a, i) => a + imageRegions(d, i)!.filter((v) => v === mouth).length, 0) / idx.length;
    };
    assert.ok(share('HO') > 1.3 * share('N'), `mouth pixels HO ${share('HO')} vs N ${share('N')}`);
  });

  it('is deterministic: the same options give byte-identical files', async () => {
    const again = path.join(tmp, 'again');
    await generateSyntheticCfd(again, options);
    for (const r of manifest.images.slice(0, 6)) {
      assert.ok(fs.readFileSync(path.join(small, r.file)).equals(fs.readFileSync(path.join(again, r.file))), r.file);
      const mask = path.join('regions', r.file.replace(/\.jpg$/, '.png'));
      assert.ok(fs.readFileSync(path.join(small, mask)).equals(fs.readFileSync(path.join(again, mask))), mask);
    }
    assert.deepStrictEqual(readManifest(again), readManifest(small));
    const other = await generateSyntheticCfd(path.join(tmp, 'other-seed'), { ...options, seed: 6 });
    assert.notDeepStrictEqual(other.images.map((i) => i.intensity), manifest.images.map((i) => i.intensity));
  });

  it('plants a hair or background feature at the chosen strength, without changing anything else', async () => {
    const perfect = await generateSyntheticCfd(path.join(tmp, 'bias1'), { ...options, bias: { feature: 'background', strength: 1 } });
    const labels = perfect.images.map((r) => EXPRESSIONS.indexOf(r.expression));
    assert.deepStrictEqual(perfect.images.map((r) => r.planted), labels);
    const none = await generateSyntheticCfd(path.join(tmp, 'bias0'), { ...options, bias: { feature: 'background', strength: 0 } });
    // same faces, poses and intensities; only the planted colours differ
    assert.deepStrictEqual(none.images.map((r) => [r.file, r.intensity]), manifest.images.map((r) => [r.file, r.intensity]));
    assert.ok(none.images.some((r, i) => r.planted !== labels[i]), 'strength 0 breaks the agreement');
    // the background really shows the class colour
    const r0 = perfect.images.find((r) => r.expression === 'HC')!;
    const { data } = await sharp(path.join(tmp, 'bias1', r0.file)).extract({ left: 2, top: 2, width: 4, height: 4 }).raw().toBuffer({ resolveWithObject: true });
    const colour = PLANT_COLOURS[EXPRESSIONS.indexOf('HC')];
    const hi = colour.indexOf(Math.max(...colour));
    const lo = colour.indexOf(Math.min(...colour));
    assert.ok(data[hi] > data[lo] + 10, `background ${[...data.subarray(0, 3)]} is tinted toward ${colour}`);

    // at strength p, about p + (1 - p)/5 of the images agree (many images: use the roster only)
    const hair = await generateSyntheticCfd(path.join(tmp, 'hair'), { ...options, subjects: 40, expressiveSubjects: 24, width: 48, bias: { feature: 'hair', strength: 0.5 } });
    const agree = hair.images.filter((r) => r.planted === EXPRESSIONS.indexOf(r.expression)).length / hair.images.length;
    assert.ok(agree > 0.45 && agree < 0.75, `agreement ${agree} at p = 0.5 (expected ≈ 0.6)`);
  });

  it('refuses to overwrite a folder that is not a synthetic set', async () => {
    const precious = path.join(tmp, 'my-cfd');
    fs.mkdirSync(precious);
    fs.writeFileSync(path.join(precious, 'CFD-AF-200-228-N.jpg'), 'mine');
    await assert.rejects(generateSyntheticCfd(precious, options), /exists and is not a synthetic data set .*refusing to overwrite/);
    assert.strictEqual(fs.readFileSync(path.join(precious, 'CFD-AF-200-228-N.jpg'), 'utf8'), 'mine');
    await assert.rejects(generateSyntheticCfd(path.join(tmp, 'x'), { ...options, bias: { feature: 'hair', strength: 2 } }), /strength must be in \[0, 1\]/);
  });
});
