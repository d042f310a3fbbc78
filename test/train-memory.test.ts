// Training's memory stays flat over epochs: a leaked tensor per step (or per
// checkpoint) would grow the wasm heap — and the process's resident memory —
// epoch after epoch, and a five-seed run would end many times larger than it
// started. A tiny network for twelve epochs, as the main job trains, with the
// resident memory read after every epoch (checkpoint included).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { makeToyData } from '../lib/train/toy-data';
import { trainSeed } from '../lib/train/train-seed';
import { SeedFolder } from '../lib/run/run-folder';

/**
 * Allowed growth from epoch 2 to epoch 12: above the allocators' ups and
 * downs (a few MB either way, measured), below a leaked input batch per step
 * (here 20 steps of 96 kB, 2 MB an epoch: 20 MB over the ten).
 */
const BOUND_MB = 8;

/** The garbage collector, so that each reading counts live memory only (mocha runs without --expose-gc). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('training memory over epochs', function () {
  this.timeout(300_000);
  let tmp: string;
  before(async () => {
    await chooseBackend(process.env.SMILE_LENS_BACKEND ?? 'wasm');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-memory-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(`grows by less than ${BOUND_MB} MB of resident memory (and not one tensor) from epoch 2 to epoch 12`, async () => {
    const gc = collector();
    const data = makeToyData(168, 32, 5, 7);
    const train = Array.from({ length: 160 }, (_, i) => i);
    const validation = Array.from({ length: 8 }, (_, i) => 160 + i);
    const rss: number[] = [];
    const tensors: number[] = [];
    const bytes: number[] = [];
    const result = await trainSeed(
      new SeedFolder(path.join(tmp, 'seed'), 1),
      data,
      train,
      validation,
      { seed: 1, epochs: 12, batchSize: 8, learningRate: 0.001, model: { channels: [8, 16, 16], dense: 16 }, maxLoss: 1e4 },
      undefined,
      () => {
        gc();
        rss.push(process.memoryUsage.rss());
        tensors.push(tf.memory().numTensors);
        bytes.push(tf.memory().numBytes);
      },
    );
    assert.strictEqual(result.status, 'done');
    assert.strictEqual(rss.length, 12);
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    const growth = rss[11] - rss[1];
    assert.deepStrictEqual(tensors.slice(1), new Array(11).fill(tensors[1]), `live tensors by epoch: ${tensors.join(', ')}`);
    assert.deepStrictEqual(bytes.slice(1), new Array(11).fill(bytes[1]), `tensor bytes by epoch: ${bytes.join(', ')}`);
    assert.ok(growth < BOUND_MB * 2 ** 20, `resident memory grew ${mb(growth)} MB from epoch 2 to 12 (by epoch: ${rss.map(mb).join(', ')} MB)`);
  });
});
