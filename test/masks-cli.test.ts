// `smile-lens masks` on a tiny synthetic set: the pictures and masks.json are
// written, the choice, areas and warnings printed; --quality prints the IoU
// table; bad options and a masker the set cannot use exit 2 with one line.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { main } from '../lib/cli/main';
import { CACHE_DIR_ENV } from '../lib/data/cache';
import { REGIONS_FILE } from '../lib/data/regions';
import { generateSyntheticCfd } from '../lib/data/synthetic/generate';
import { MASK_SUMMARY_FILE, MaskFolderSummary } from '../lib/regions/mask-folder';
import { BACKEND } from './audit-run-fixture';

async function call(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  const write = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  (process.stderr as { write: unknown }).write = (s: string) => (err.push(String(s)), true);
  try {
    const code = await main([...argv, '--backend', BACKEND]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    Object.assign(console, { log, error });
    (process.stderr as { write: unknown }).write = write;
  }
}

describe('smile-lens masks', function () {
  this.timeout(300_000);
  let tmp: string;
  let data: string;
  let bare: string;
  const savedCache = process.env[CACHE_DIR_ENV];

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-masks-'));
    process.env[CACHE_DIR_ENV] = path.join(tmp, 'cache');
    data = path.join(tmp, 'data');
    await generateSyntheticCfd(data, { subjects: 4, expressiveSubjects: 0, width: 244 });
    // The same photos without region maps: what a CFD user has.
    bare = path.join(tmp, 'bare');
    fs.cpSync(data, bare, { recursive: true });
    fs.rmSync(path.join(bare, REGIONS_FILE));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (savedCache === undefined) delete process.env[CACHE_DIR_ENV];
    else process.env[CACHE_DIR_ENV] = savedCache;
  });

  it('on a set without region maps: landmarks chosen and said, pictures and masks.json written, areas printed', async () => {
    const out = path.join(tmp, 'out');
    const r = await call(['masks', '--data', bare, '--out', out, '--limit', '3', '--size', '64']);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /regions: landmarks \(automatic: the data set has no region label maps\)/);
    assert.match(r.out, /3 of 3 images masked at 64×64/);
    assert.match(r.out, /^hair\s+\d+\.\d%/m);
    assert.match(r.out, /^unlabelled\s+\d+\.\d%/m);
    const summary = JSON.parse(fs.readFileSync(path.join(out, MASK_SUMMARY_FILE), 'utf8')) as MaskFolderSummary;
    assert.strictEqual(summary.masker, 'landmarks');
    assert.strictEqual(summary.masked, 3);
    assert.deepStrictEqual(summary.notFound, []);
    // Mean areas, unlabelled included, cover the picture.
    const total = summary.areas.reduce((s, a) => s + a.mean, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `areas sum to ${total}`);
    const hair = summary.areas.find((a) => a.region === 'hair')!;
    assert.ok(hair.mean > 0.03, `hair ${hair.mean}`);
    for (const f of summary.files) {
      const labels = await sharp(path.join(out, f.labels)).metadata();
      assert.deepStrictEqual([labels.width, labels.height, labels.channels], [64, 64, 1]);
      const overlay = await sharp(path.join(out, f.overlay)).metadata();
      assert.deepStrictEqual([overlay.width, overlay.height, overlay.channels], [64, 64, 3]);
    }
  });

  it('--quality prints per-region IoU of landmarks and colour rules against the truth', async () => {
    const r = await call(['masks', '--data', data, '--quality', '--limit', '2', '--size', '64']);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /IoU \(%\) against the ground truth/);
    const hair = r.out.match(/^hair\s+([\d.]+) \/\s+[\d.]+\s+([\d.]+) \//m);
    assert.ok(hair, r.out);
    assert.ok(Number(hair[1]) > 80, `landmarks hair IoU ${hair[1]}`);
    assert.match(r.out, /landmarks: scored 2, face not found 0/);
  });

  it('bad options and a masker the set cannot use: exit 2, one line', async () => {
    const cases: [string[], RegExp][] = [
      [['masks', '--data', data, '--regions', 'nose'], /--regions: expected one of auto, ground-truth, landmarks, colour/],
      [['masks', '--data', path.join(tmp, 'nowhere')], /--data .*nowhere: no such folder/],
      [['masks', '--data', data, '--quality', '--regions', 'ground-truth'], /--quality scores a masker against the ground truth/],
      [['masks', '--data', bare, '--regions', 'ground-truth', '--out', path.join(tmp, 'x')], /has no region label maps/],
      [['masks', '--data', bare, '--quality'], /has no region label maps/],
    ];
    for (const [argv, message] of cases) {
      const r = await call(argv);
      assert.strictEqual(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      const lines = r.err.split('\n').filter((l) => l.startsWith('smile-lens'));
      assert.strictEqual(lines.length, 1, r.err);
      assert.match(lines[0], message);
    }
  });
});
