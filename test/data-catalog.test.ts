import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCatalog } from '../lib/data/catalog';
import { formatCatalogSummary, summariseCatalog } from '../lib/data/summary';
import { MAIN_MODELS, writeCfd203, writeCfd3, writeFlatWithTrouble, writeImage, cfdName } from './data/cfd-fixture';

describe('CFD catalogue (the real-layout loader)', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-catalog-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const mainImages = MAIN_MODELS.reduce((n, m) => n + m.expressions.length, 0); // 23

  it('reads CFD 3.0 as unzipped: main set, CFD-MR, loose CFD-INDIA files, norming CSV', async () => {
    const root = path.join(tmp, 'v3');
    await writeCfd3(root);
    const c = await loadCatalog(root);
    assert.strictEqual(c.layout, 'CFD 3.0');
    assert.strictEqual(c.items.length, mainImages + 3);
    assert.deepStrictEqual(c.skipped, []);
    const sets = c.items.reduce<Record<string, number>>((a, i) => ((a[i.set] = (a[i.set] ?? 0) + 1), a), {});
    assert.deepStrictEqual(sets, { CFD: mainImages, 'CFD-MR': 1, 'CFD-INDIA': 2 });
    const s = summariseCatalog(c);
    assert.deepStrictEqual(s.byExpression, { N: 10, A: 4, F: 3, HC: 4, HO: 4 });
    assert.strictEqual(s.models, 10);
    assert.strictEqual(s.modelsWithExpressions, 4);
    // Asian, Latino, multiracial and Indian models are neutral only here.
    assert.deepStrictEqual(s.neutralOnlyRaces.sort(), ['A', 'I', 'L', 'M']);
    assert.strictEqual(s.majority.expression, 'N');
    assert.ok(Math.abs(s.majority.share - 10 / 25) < 1e-12);

    // Norming data joined per model; the xlsx and the pdf are companions, not errors.
    assert.ok(c.norming);
    assert.deepStrictEqual(c.norming!.columns, ['Race', 'Age', 'Happy']);
    assert.deepStrictEqual(c.norming!.byModel.get('WF-003'), { Race: 'W', Age: 22, Happy: 1.2 });
    assert.match(c.codebook!, /Codebook\.xlsx$/);
    const table = c.table!;
    assert.strictEqual(table.shape[0], c.items.length);
    for (const col of ['file', 'path', 'model', 'race', 'gender', 'expression', 'label', 'norming_Race', 'Age', 'Happy']) {
      assert.ok(table.columns.includes(col), `table lacks column ${col}: ${table.columns}`);
    }
    const ages = table.column('Age').values as number[];
    const rowOfWf = c.items.findIndex((i) => i.model === 'WF-003');
    assert.strictEqual(ages[rowOfWf], 22);
    assert.ok(c.ignored.some((f) => /ReadMe\.pdf$/.test(f.file)));

    const text = formatCatalogSummary(c);
    assert.match(text, /N +10 +40\.0%/);
    assert.match(text, /Confound: Asian \(A\), Indian \(I\), Latino \(L\) and Multiracial \(M\) models appear only as neutral \(6 models, 6 of the 10 neutral images\)/);
    assert.match(text, /Imbalance: 40\.0% of the images are neutral/);
    assert.match(text, /Norming data: .*Norming Data\.csv \(3 columns, 7 models\)/);
  });

  it('reads CFD 2.0.3 model folders', async () => {
    const root = path.join(tmp, 'v2');
    await writeCfd203(root);
    const c = await loadCatalog(root, { table: false });
    assert.strictEqual(c.layout, 'CFD 2.0.3');
    assert.strictEqual(c.items.length, mainImages);
    assert.strictEqual(c.items[0].model, 'AF-200');
    assert.match(c.items[0].file, /^CFD Version 2\.0\.3[\\/]CFD 2\.0\.3 Images[\\/]AF-200[\\/]CFD-AF-200-\d{3}-N\.jpg$/);
    assert.strictEqual(c.norming, undefined);
  });

  it('skips broken, misnamed and duplicate files with reasons, keeping the originals', async () => {
    const root = path.join(tmp, 'flat');
    const trouble = await writeFlatWithTrouble(root);
    const c = await loadCatalog(root, { table: false });
    assert.strictEqual(c.layout, 'flat');
    // the truncated JPEG passes the header check; decoding catches it later
    assert.strictEqual(c.items.length, mainImages + 1);
    const kinds = Object.fromEntries(c.skipped.map((s) => [s.file, s.kind]));
    assert.deepStrictEqual(kinds, trouble);
    const reason = (f: string) => c.skipped.find((s) => s.file === f)!.reason;
    assert.match(reason('CFD-BF-001-010-N (1).jpg'), /copy of CFD-BF-001-010-N\.jpg/);
    assert.match(reason('CFD-XF-900-001-N.jpg'), /unknown race code "X"/);
    assert.match(reason('CFD-WM-004-998-N.jpg'), /content is not JPEG/);
    assert.match(reason('CFD-BM-002-999-N.txt'), /extension "\.txt"/);
    // the original is the one kept
    assert.ok(c.items.some((i) => i.file === 'CFD-BF-001-010-N.jpg'));
    // system files and AppleDouble forks are accounted for, not errors
    const ignored = c.ignored.map((i) => i.file).sort();
    assert.deepStrictEqual(ignored, ['.DS_Store', '._CFD-BF-001-010-N.jpg', '__MACOSX/']);

    const text = formatCatalogSummary(c);
    assert.match(text, new RegExp(`Skipped files: ${Object.keys(trouble).length}`));
    assert.match(text, /duplicate: 3 — /);
    assert.match(text, /misnamed: 2 — /);
  });

  it('uses the name when a file sits in another model’s folder, and says so', async () => {
    const root = path.join(tmp, 'misfiled');
    await writeImage(path.join(root, 'BF-001', cfdName('BF-001', 1, 'N')), 'N');
    await writeImage(path.join(root, 'BF-001', cfdName('WM-004', 2, 'A')), 'A');
    const c = await loadCatalog(root, { table: false });
    assert.strictEqual(c.layout, 'nested');
    assert.deepStrictEqual(c.items.map((i) => i.model).sort(), ['BF-001', 'WM-004']);
    assert.strictEqual(c.warnings.length, 1);
    assert.match(c.warnings[0], /in folder BF-001 but named for model WM-004/);
  });

  it('says when a class has no images', async () => {
    const root = path.join(tmp, 'neutral-only');
    await writeImage(path.join(root, cfdName('AF-200', 1, 'N')), 'N');
    await writeImage(path.join(root, cfdName('BF-001', 2, 'HO')), 'HO');
    const c = await loadCatalog(root, { table: false });
    const s = summariseCatalog(c);
    assert.deepStrictEqual(s.missingExpressions, ['A', 'F', 'HC']);
    assert.match(formatCatalogSummary(c, s), /no images of A \(angry\), F \(fearful\), HC \(happy, mouth closed\)/);
  });

  it('rejects a missing, empty or non-folder path, showing the expected layouts', async () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    const file = path.join(tmp, 'a-file.jpg');
    fs.writeFileSync(file, 'x');
    for (const [p, msg] of [
      [path.join(tmp, 'nope'), /does not exist/],
      [empty, /folder is empty/],
      [file, /is a file, not a folder/],
    ] as const) {
      await assert.rejects(loadCatalog(p), (e: Error) => {
        assert.match(e.message, msg);
        assert.ok(e.message.includes(p), 'names the path');
        assert.match(e.message, /CFD Version 3\.0\/Images\/CFD\/<MODEL>/);
        assert.match(e.message, /CFD Version 2\.0\.3\/CFD 2\.0\.3 Images/);
        return true;
      });
    }
  });

  it('gives a folder of only unusable files zero images and every reason', async () => {
    const root = path.join(tmp, 'junk');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'holiday.jpg'), 'x');
    fs.writeFileSync(path.join(root, 'notes.txt'), 'x');
    const c = await loadCatalog(root, { table: false });
    assert.strictEqual(c.items.length, 0);
    assert.deepStrictEqual(c.skipped.map((s) => s.kind), ['misnamed']);
    assert.deepStrictEqual(c.ignored.map((s) => s.file), ['notes.txt']);
    assert.strictEqual(c.table, undefined);
  });
});
