// The audit's regions through the masker registry: --regions landmarks on the
// tiny run (the choice printed and recorded, shares summing to 1 with the
// unlabelled pixels, warnings counted), and on a set without region maps with
// a photo that has no face (listed, left out, never guessed) and the cache of
// label maps (a second call reads it).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { AUDIT_DEFAULTS } from '../lib/config/audit';
import { loadDataset } from '../lib/data/dataset';
import { REGIONS_FILE, UNLABELLED_NAME } from '../lib/data/regions';
import { generateSyntheticCfd } from '../lib/data/synthetic/generate';
import { auditRun, regionWarningCell } from '../lib/pipeline/audit-run';
import { PARTITION_REGIONS, regionSource } from '../lib/pipeline/audit-region-labels';
import { RunFolder } from '../lib/run/run-folder';
import { localExecutor } from '../lib/worker/local-executor';
import { tinyRun } from './audit-run-fixture';

describe('audit regions from the masker registry', function () {
  this.timeout(600_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-audit-regions-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--regions landmarks: the choice is logged and written into every audit file; shares with unlabelled sum to 1', async () => {
    const t = await tinyRun();
    // A copy of the run: the tiny run's own audit belongs to the other audit tests.
    const dir = path.join(tmp, 'run');
    fs.cpSync(t.run, dir, { recursive: true });
    fs.rmSync(new RunFolder(dir).audit.dir, { recursive: true, force: true });
    const log: string[] = [];
    const result = await auditRun(dir, { ...AUDIT_DEFAULTS, deletion: false, regions: 'landmarks' }, { executor: localExecutor({ jobs: 1 }), log: (s) => log.push(s) });
    assert.ok(log.some((l) => /^regions: landmarks \(asked for\)/.test(l)), log.join('\n'));
    const run = new RunFolder(dir);
    for (const file of [run.audit.readSeed(1)!, run.audit.readSeed(2)!, run.audit.readSummary()!]) {
      assert.strictEqual(file.regions.kind, 'landmarks');
      assert.match(file.regions.reason, /face-mesh landmarks/);
      assert.ok(Array.isArray(file.regions.warnings) && Array.isArray(file.regions.notFound));
    }
    // The masks' source and their warnings counted, on every summary line.
    assert.match(fs.readFileSync(run.audit.summaryCsv, 'utf8').split('\r\n')[1], /,landmarks,(none|[^,]+: \d+\/\d+(; [^,]+: \d+\/\d+)*)$/);
    const notFound = new Set(result.summary.regions.notFound);
    const images = new Set(result.records.map((r) => r.image));
    let checked = 0;
    for (const image of images) {
      const mine = result.records.filter((r) => r.image === image && r.seed === 1 && r.method === 'gradcam');
      if (notFound.has(image)) {
        assert.ok(!mine.some((r) => r.metric.startsWith('area/')), `${image}: face not found but has shares`);
        continue;
      }
      if (mine.length === 0) continue;
      const value = (m: string) => mine.find((r) => r.metric === m)!.value;
      for (const kind of ['area', 'absoluteShare']) {
        const sum = [...PARTITION_REGIONS, UNLABELLED_NAME].reduce((s, r) => s + value(`${kind}/${r}`), 0);
        assert.ok(Math.abs(sum - 1) < 1e-6, `${image}: ${kind} sums to ${sum}`);
      }
      assert.ok(value('area/hair') > 0.02 && value('area/face') > 0.05, `${image}: hair ${value('area/hair')}, face ${value('area/face')}`);
      checked++;
    }
    assert.ok(checked >= 3, `only ${checked} images with shares`);
  });

  it('a photo without a face is listed and left out; the label maps are cached and read back', async () => {
    const data = path.join(tmp, 'bare');
    await generateSyntheticCfd(data, { subjects: 4, expressiveSubjects: 0, width: 244 });
    fs.rmSync(path.join(data, REGIONS_FILE));
    let dataset = await loadDataset(data, { size: 48, table: false, cacheDir: false });
    // The first photo becomes the empty backdrop.
    const blank = dataset.items[0];
    const meta = await sharp(blank.path).metadata();
    await sharp({ create: { width: meta.width!, height: meta.height!, channels: 3, background: { r: 245, g: 245, b: 245 } } }).jpeg().toFile(blank.path + '.tmp');
    fs.renameSync(blank.path + '.tmp', blank.path);
    dataset = await loadDataset(data, { size: 48, table: false, cacheDir: false });
    const cacheDir = path.join(tmp, 'cache');
    const first = await regionSource(dataset, 'auto', { cacheDir });
    assert.strictEqual(first.kind, 'landmarks');
    assert.match(first.reason, /automatic: the data set has no region label maps/);
    assert.deepStrictEqual(first.notFound, [blank.file]);
    assert.strictEqual(first.labels(0), undefined);
    assert.ok(first.labels(1) && first.labels(1)!.length === 48 * 48);
    assert.deepStrictEqual(first.warnings.find((w) => w.kind === 'no face found')?.examples.map((e) => e.image), [blank.file]);
    const n = dataset.items.length;
    assert.match(regionWarningCell({ kind: first.kind, reason: first.reason, names: first.regions, notFound: first.notFound, warnings: first.warnings }, n), new RegExp(`no face found: 1/${n}.*; face not found \\(left out\\): 1/${n}$`));

    // The cache: mark image 1's stored labels, and a second call returns the mark, not a new mask.
    const entries = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));
    assert.strictEqual(entries.length, 1);
    const bin = path.join(cacheDir, entries[0]);
    const bytes = fs.readFileSync(bin);
    bytes.fill(7, 48 * 48, 2 * 48 * 48);
    fs.writeFileSync(bin, bytes);
    const second = await regionSource(dataset, 'auto', { cacheDir });
    assert.ok(second.labels(1)!.every((v) => v === 7), 'the second call computed the masks again instead of reading the cache');
    assert.deepStrictEqual(second.notFound, [blank.file]);
    // Another masker is another entry.
    await regionSource(dataset, 'colour', { cacheDir, indices: [1] });
    assert.strictEqual(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.bin')).length, 2);
  });
});
