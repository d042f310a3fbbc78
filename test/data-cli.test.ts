import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseOptions, runCommand } from '../lib/cli/command';
import synth from '../lib/cli/commands/synth';
import data from '../lib/cli/commands/data';
import { progressCallback } from '../lib/progress/reporter';
import { DEFAULT_SYNTHETIC_DIR, ensureSyntheticDataset, syntheticUpToDate } from '../lib/data/default-dataset';
import { readManifest } from '../lib/data/synthetic/generate';
import { CACHE_DIR_ENV } from '../lib/data/cache';
import { writeFlatWithTrouble } from './data/cfd-fixture';

async function capture(fn: () => Promise<unknown>): Promise<{ out: string; err: string; result: unknown }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const write = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  (process.stderr as { write: unknown }).write = (s: string) => (err.push(String(s)), true);
  try {
    return { result: await fn(), out: out.join('\n'), err: err.join('') };
  } finally {
    console.log = log;
    console.error = error;
    (process.stderr as { write: unknown }).write = write;
  }
}

describe('smile-lens synth and data commands', function () {
  this.timeout(60_000);
  let tmp: string;
  const savedCache = process.env[CACHE_DIR_ENV];
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-cli-'));
    process.env[CACHE_DIR_ENV] = path.join(tmp, 'cache');
  });
  after(() => {
    if (savedCache === undefined) delete process.env[CACHE_DIR_ENV];
    else process.env[CACHE_DIR_ENV] = savedCache;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('synth writes a set with the options given; data summarises it', async () => {
    const out = path.join(tmp, 'set');
    const argv = ['--out', out, '--subjects', '10', '--expressive', '3', '--bias', 'hair', '--strength', '0.5', '--seed', '3', '--width', '64', '--confound', 'off'];
    const r = await capture(() => runCommand(synth, argv));
    assert.match(r.out, /Wrote \d+ images of 10 models \(64×45\) with region maps/);
    const m = readManifest(out)!;
    assert.deepStrictEqual(m.options.bias, { feature: 'hair', strength: 0.5 });
    assert.strictEqual(m.options.confound, false);
    assert.strictEqual(m.options.seed, 3);
    assert.strictEqual(m.images.length, 10 + 3 * 4);
    const s = await capture(() => data.run(parseOptions(data, ['--data', out])));
    assert.match(s.out, /Images: \d+ from 10 models \(3 with expressions other than neutral\)/);
    assert.match(s.out, /Ground-truth regions: background, hair, face skin, mouth, eyes, brows, shirt, neck and ears/);
    await assert.rejects(runCommand(synth, ['--out', out, '--confound', 'maybe']), /--confound: expected one of on, off, got "maybe"/);
  });

  it('data lists skipped files with reasons, and --decode finds the corrupt ones', async () => {
    const root = path.join(tmp, 'flat');
    await writeFlatWithTrouble(root);
    const plain = await capture(() => data.run(parseOptions(data, ['--data', root])));
    assert.match(plain.out, /Skipped files: 9/);
    assert.match(plain.out, /not an image: 2 — /);
    assert.match(plain.out, /corrupt: 1 — CFD-WM-004-996-HC\.jpg \(jpeg header unreadable/);
    const decoded = await capture(() => data.run(parseOptions(data, ['--data', root, '--decode'])));
    assert.match(decoded.out, /Skipped files: 10/);
    assert.match(decoded.out, /corrupt: 2 — .*CFD-WF-003-995-F\.jpg \(cannot decode/);
    assert.match(decoded.out, /1 of the skipped files failed only when decoded/);
    assert.ok(fs.readdirSync(path.join(tmp, 'cache')).some((f) => f.endsWith('.bin')), 'decoded into $SMILE_LENS_CACHE_DIR');
  });

  it('data fails with a clear message when nothing is usable', async () => {
    const junk = path.join(tmp, 'junk');
    fs.mkdirSync(junk);
    fs.writeFileSync(path.join(junk, 'holiday.jpg'), 'x');
    await assert.rejects(capture(() => data.run(parseOptions(data, ['--data', junk]))), /no usable CFD images \(1 skipped, 0 other files\)/);
    await assert.rejects(data.run(parseOptions(data, ['--data', path.join(tmp, 'missing')])), /folder does not exist; expected one of these layouts/);
  });

  it('progress of data work in a log: a few lines, the final count last', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WriteStream;
    const report = progressCallback('drawing', { mode: 'terminal', stream });
    for (let i = 1; i <= 50; i++) report(i, 50);
    assert.ok(lines.length <= 3, `a log gets few lines, got ${lines.length}`);
    assert.match(lines[lines.length - 1], /^drawing 50\/50 100%/);
  });

  it('ensureSyntheticDataset generates a set once, reuses it, and regenerates on other options', async () => {
    const folder = path.join(tmp, 'ensured');
    const options = { subjects: 6, expressiveSubjects: 2, width: 48 };
    assert.deepStrictEqual(await ensureSyntheticDataset(folder, options), { folder, generated: true });
    const stamp = fs.statSync(path.join(folder, 'synthetic.json')).mtimeMs;
    assert.deepStrictEqual(await ensureSyntheticDataset(folder, options), { folder, generated: false });
    assert.strictEqual(fs.statSync(path.join(folder, 'synthetic.json')).mtimeMs, stamp, 'not regenerated');
    assert.ok(!syntheticUpToDate(folder, { ...options, seed: 9 }));
    assert.strictEqual((await ensureSyntheticDataset(folder, { ...options, seed: 9 })).generated, true);
    assert.strictEqual(readManifest(folder)!.options.seed, 9);
    assert.strictEqual(DEFAULT_SYNTHETIC_DIR, path.resolve(__dirname, '..', 'data', 'synthetic-cfd'));
  });
});
