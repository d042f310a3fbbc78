import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { aggregate, aggregateTable, AuditRecord, csvField, toCsv, toJson, writeCsv } from '../lib/audit/aggregate';
import { parseCsv } from '../lib/data/csv';

const close = (a: number, b: number, what = '', tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≠ ${b}`);

// Two seeds × two classes, RMA of Grad-CAM:
//   seed 0: N images 0.2, 0.4   HO images 0.6          (a NaN for HO image c is left out)
//   seed 1: N images 0.3        HO images 0.8, 1.0
const rec = (image: string, cls: string, seed: number, value: number): AuditRecord => ({
  image,
  class: cls,
  method: 'gradcam',
  seed,
  metric: 'rma',
  value,
  region: 'face',
});
const records = [
  rec('a', 'N', 0, 0.2),
  rec('b', 'N', 0, 0.4),
  rec('c', 'HO', 0, NaN),
  rec('d', 'HO', 0, 0.6),
  rec('a', 'N', 1, 0.3),
  rec('c', 'HO', 1, 0.8),
  rec('d', 'HO', 1, 1.0),
];

const unbounded = () => 'unbounded' as const;
const bounded = () => 'bounded' as const;

describe('audit: aggregation over seeds', () => {
  it('averages within each seed first, then summarises the seed means (two seeds: no interval)', () => {
    const rows = aggregate(records, unbounded);
    assert.deepStrictEqual(rows.map((r) => r.class), ['HO', 'N', 'all']);
    const [ho, n, all] = rows;
    // N: seed means 0.3 and 0.3 → mean 0.3, std 0.
    assert.deepStrictEqual(n.perSeed.map((p) => [p.seed, p.images]), [[0, 2], [1, 1]]);
    close(n.summary.mean, 0.3);
    close(n.summary.std, 0, 'N std', 1e-15);
    // HO: seed means 0.6 and 0.9 → mean 0.75, std √((0.15² + 0.15²)/1) = 0.15·√2;
    // two seeds give no interval (t(1) would make it ±1.9 around 0.75).
    close(ho.summary.mean, 0.75);
    close(ho.summary.std, 0.15 * Math.SQRT2);
    assert.ok(ho.summary.ci95.every(Number.isNaN));
    assert.strictEqual(ho.summary.method, 'too-few-seeds');
    assert.strictEqual(ho.missing, 1);
    assert.strictEqual(ho.images, 3);
    // all: seed 0 pools its images (0.2, 0.4, 0.6) → 0.4; seed 1 (0.3, 0.8, 1.0) → 0.7; mean 0.55.
    // (The mean of class means would be ((0.3 + 0.6)/2 + (0.3 + 0.9)/2)/2 = 0.525.)
    close(all.perSeed[0].mean, 0.4);
    close(all.perSeed[1].mean, 0.7);
    close(all.summary.mean, 0.55);
    assert.strictEqual(all.seeds, 2);
  });

  it('weights seeds equally, not images', () => {
    // Seed 0 has 3 images at 0, seed 1 one image at 1: per-seed means 0 and 1 → 0.5 (pooling images would say 0.25).
    const rows = aggregate([rec('a', 'N', 0, 0), rec('b', 'N', 0, 0), rec('c', 'N', 0, 0), rec('a', 'N', 1, 1)], bounded);
    close(rows.find((r) => r.class === 'all')!.summary.mean, 0.5);
  });

  it('splits by an extra key into metric/key', () => {
    const rows = aggregate(records, bounded, (r) => String(r.region));
    assert.ok(rows.every((r) => r.metric === 'rma/face'));
    const table = aggregateTable(rows);
    assert.deepStrictEqual(Object.keys(table[0]), ['method', 'metric', 'class', 'seeds', 'images', 'missing', 'mean', 'std', 'ci95_low', 'ci95_high', 'interval']);
    assert.match(String(table[0].interval), /^too few seeds for an interval/);
  });

  it('gives a bounded metric a bootstrap interval inside [0, 1] and an unbounded one a t interval', () => {
    // Five seeds of a share near 0 (the hair share when the network ignores the hair).
    const seeds = [[0.01, 0.03, 0.0], [0.05, 0.02], [0.0, 0.01, 0.0], [0.12, 0.02], [0.0, 0.0, 0.02]];
    const many = seeds.flatMap((values, seed) => values.map((v, i) => ({ ...rec(`i${i}`, 'N', seed, v), metric: 'absoluteShare' })));
    const kindOf = (m: string) => (m.startsWith('deletion') ? 'unbounded' : 'bounded') as 'bounded' | 'unbounded';
    const share = aggregate(many, kindOf).find((r) => r.class === 'all')!;
    assert.strictEqual(share.summary.method, 'bootstrap');
    assert.ok(share.summary.ci95[0] >= 0 && share.summary.ci95[0] < share.summary.mean && share.summary.mean < share.summary.ci95[1] && share.summary.ci95[1] <= 1, JSON.stringify(share.summary));
    // The same numbers as a t interval reach below 0: seed means 0.0133, 0.035, 0.0033, 0.07, 0.0067.
    const t = aggregate(many.map((r) => ({ ...r, metric: 'deletionAuc/gap' })), kindOf).find((r) => r.class === 'all')!;
    assert.strictEqual(t.summary.method, 'student-t');
    assert.ok(t.summary.ci95[0] < 0, `t interval ${t.summary.ci95}`);
    close(t.summary.mean, share.summary.mean, 'same mean', 1e-15);
    assert.throws(() => aggregate(records, () => 'wide' as never), /metric rma has no kind/);
  });

  it('writes CSV with RFC 4180 quoting that the project CSV reader reads back', () => {
    assert.strictEqual(csvField('plain'), 'plain');
    assert.strictEqual(csvField('a,b'), '"a,b"');
    assert.strictEqual(csvField('say "hi"'), '"say ""hi"""');
    assert.strictEqual(csvField('two\nlines'), '"two\nlines"');
    assert.strictEqual(csvField(' padded'), '" padded"');
    assert.strictEqual(csvField(NaN), 'NaN');
    assert.strictEqual(csvField(undefined), '');
    const rows = [{ image: 'CFD-AF-200-228-N.jpg', note: 'hair, "mostly"', value: 0.5 }, { image: 'x', value: NaN }];
    const text = toCsv(rows);
    assert.strictEqual(text, 'image,note,value\r\nCFD-AF-200-228-N.jpg,"hair, ""mostly""",0.5\r\nx,,NaN\r\n');
    assert.deepStrictEqual(parseCsv(text), [['image', 'note', 'value'], ['CFD-AF-200-228-N.jpg', 'hair, "mostly"', '0.5'], ['x', '', 'NaN']]);
    assert.strictEqual(toCsv(rows, ['value']), 'value\r\n0.5\r\nNaN\r\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-csv-'));
    writeCsv(path.join(dir, 'records.csv'), records);
    assert.strictEqual(parseCsv(fs.readFileSync(path.join(dir, 'records.csv'), 'utf8')).length, records.length + 1);
    fs.rmSync(dir, { recursive: true });
  });

  it('writes JSON with NaN as null', () => {
    assert.strictEqual(toJson({ a: NaN, b: [1, Infinity] }), '{\n  "a": null,\n  "b": [\n    1,\n    null\n  ]\n}\n');
  });
});
