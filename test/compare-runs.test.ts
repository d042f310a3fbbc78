// The identical-results check (scripts/identical-results.ts) compares two run
// folders: tables byte for byte, metrics.json apart from timings and the
// folders' own paths; other result files reported; checkpoints and the
// report page left out.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareRuns, formatComparison } from '../lib/run/compare-runs';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

describe('compareRuns (are two run folders the same results?)', () => {
  let tmp: string;
  let a: string;
  let b: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-compare-'));
    a = path.join(tmp, 'a');
    b = path.join(tmp, 'b');
    const same = { 'audit/records.csv': 'seed,value\r\n1,0.5\r\n', 'explanations/gradcam/seed-1/x.npy': 'NPY1' };
    write(a, { ...same, 'metrics.json': JSON.stringify({ seeds: [{ seed: 1, accuracy: 0.6, seconds: 12.5 }], run: path.join(a, 'seed-1') }) });
    write(b, { ...same, 'metrics.json': JSON.stringify({ seeds: [{ seed: 1, accuracy: 0.6, seconds: 99 }], run: path.join(b, 'seed-1') }) });
    // Not results: checkpoints, the report page, config.json (dates, versions).
    write(a, { 'seed-1/checkpoint-epoch-3/weights.bin': 'x', 'report.html': '<p>a', 'config.json': '{"created":"1"}' });
    write(b, { 'report.html': '<p>b', 'config.json': '{"created":"2"}' });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('calls runs identical when only timings, paths and non-results differ', () => {
    const c = compareRuns(a, b);
    assert.ok(c.identical && c.allSame, formatComparison(c));
    assert.deepStrictEqual(c.files.map((f) => f.file).sort(), ['audit/records.csv', 'explanations/gradcam/seed-1/x.npy', 'metrics.json']);
  });

  it('finds a table that differs in one byte, a changed metric and a missing map', () => {
    write(b, { 'audit/records.csv': 'seed,value\r\n1,0.50000001\r\n' });
    let c = compareRuns(a, b);
    assert.ok(!c.identical);
    assert.deepStrictEqual(c.files.filter((f) => f.status !== 'same').map((f) => [f.file, f.status, f.required]), [['audit/records.csv', 'different', true]]);
    assert.match(formatComparison(c), /DIFFERENT/);

    write(b, { 'audit/records.csv': 'seed,value\r\n1,0.5\r\n', 'metrics.json': JSON.stringify({ seeds: [{ seed: 1, accuracy: 0.61, seconds: 99 }], run: path.join(b, 'seed-1') }) });
    c = compareRuns(a, b);
    assert.ok(!c.identical);
    assert.match(c.files.find((f) => f.file === 'metrics.json')!.detail!, /0\.61/);

    write(a, { 'metrics.json': JSON.stringify({ seeds: [{ seed: 1, accuracy: 0.61, seconds: 3 }], run: path.join(a, 'seed-1') }) });
    fs.rmSync(path.join(b, 'explanations/gradcam/seed-1/x.npy'));
    c = compareRuns(a, b);
    assert.ok(c.identical, 'tables and metrics are the same');
    assert.ok(!c.allSame);
    assert.deepStrictEqual(c.files.filter((f) => f.status !== 'same').map((f) => [f.file, f.status]), [['explanations/gradcam/seed-1/x.npy', 'missing']]);
  });
});
