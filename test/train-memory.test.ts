// Training's memory stays flat over epochs: a leaked tensor per step (or per
// checkpoint) would grow the wasm heap — and the process's resident memory —
// epoch after epoch, and a five-seed run would end many times larger than it
// started. A tiny network for twelve epochs, as the main job trains, with the
// resident memory read after every epoch (checkpoint included).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Allowed growth from epoch 2 to epoch 12: above the allocators' ups and
 * downs (a few MB either way, measured), below a leaked input batch per step
 * (here 20 steps of 96 kB, 2 MB an epoch: 20 MB over the ten).
 */
const BOUND_MB = 8;

interface Readings {
  status: string;
  rss: number[];
  tensors: number[];
  bytes: number[];
}

/**
 * Trains in a fresh process, as the main job's workers do: the test runner's
 * own process carries every earlier test's heap, whose collection moves its
 * resident memory by tens of MB at times no leak explains.
 */
function trainAndRead(dir: string): Readings {
  const script = `
    const v8 = require('v8'); const vm = require('vm'); const path = require('path');
    const tf = require('@tensorflow/tfjs');
    const { chooseBackend } = require('./lib/backend/select');
    const { makeToyData } = require('./lib/train/toy-data');
    const { trainSeed } = require('./lib/train/train-seed');
    const { SeedFolder } = require('./lib/run/run-folder');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    (async () => {
      await chooseBackend(process.env.SMILE_LENS_BACKEND || 'wasm');
      const data = makeToyData(168, 32, 5, 7);
      const train = Array.from({ length: 160 }, (_, i) => i);
      const validation = Array.from({ length: 8 }, (_, i) => 160 + i);
      const r = { rss: [], tensors: [], bytes: [] };
      const result = await trainSeed(new SeedFolder(path.join(${JSON.stringify(dir)}, 'seed'), 1), data, train, validation,
        { seed: 1, epochs: 12, batchSize: 8, learningRate: 0.001, model: { channels: [8, 16, 16], dense: 16 }, maxLoss: 1e4 },
        undefined,
        () => { gc(); r.rss.push(process.memoryUsage.rss()); r.tensors.push(tf.memory().numTensors); r.bytes.push(tf.memory().numBytes); });
      process.stdout.write('READINGS ' + JSON.stringify({ status: result.status, ...r }) + '\\n');
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const out = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8', timeout: 240_000 });
  const line = out.stdout.split('\n').find((l) => l.startsWith('READINGS '));
  assert.ok(line, `the training process printed no readings (exit ${out.status}): ${out.stderr.slice(-2000)}`);
  return JSON.parse(line.slice('READINGS '.length)) as Readings;
}

describe('training memory over epochs', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-memory-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(`grows by less than ${BOUND_MB} MB of resident memory (and not one tensor) from epoch 2 to epoch 12`, async () => {
    const { status, rss, tensors, bytes } = trainAndRead(tmp);
    assert.strictEqual(status, 'done');
    assert.strictEqual(rss.length, 12);
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    const growth = rss[11] - rss[1];
    assert.deepStrictEqual(tensors.slice(1), new Array(11).fill(tensors[1]), `live tensors by epoch: ${tensors.join(', ')}`);
    assert.deepStrictEqual(bytes.slice(1), new Array(11).fill(bytes[1]), `tensor bytes by epoch: ${bytes.join(', ')}`);
    assert.ok(growth < BOUND_MB * 2 ** 20, `resident memory grew ${mb(growth)} MB from epoch 2 to 12 (by epoch: ${rss.map(mb).join(', ')} MB)`);
  });
});
