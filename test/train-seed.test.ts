import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../lib/backend/select';
import { makeToyData } from '../lib/train/toy-data';
import { SeedConfig, trainSeed, epochOrder } from '../lib/train/train-seed';
import { SeedFolder } from '../lib/run/run-folder';
import { loadModel } from '../lib/model/model-files';

const config: SeedConfig = {
  seed: 3,
  epochs: 3,
  batchSize: 8,
  learningRate: 0.001,
  model: { channels: [4, 8, 8], dense: 8 },
  maxLoss: 1e4,
};

describe('trainSeed (one seed of the experiment)', function () {
  this.timeout(300_000);
  const data = makeToyData(40, 16, 5, 1);
  const train = Array.from({ length: 30 }, (_, i) => i);
  const validation = Array.from({ length: 10 }, (_, i) => 30 + i);
  let tmp: string;

  before(async () => {
    await chooseBackend(process.env.SMILE_LENS_BACKEND ?? 'wasm');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-seed-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('shuffles each epoch as a function of (seed, epoch) only', () => {
    assert.deepStrictEqual(epochOrder(train, 3, 2), epochOrder(train, 3, 2));
    assert.notDeepStrictEqual(epochOrder(train, 3, 2), epochOrder(train, 3, 1));
    assert.deepStrictEqual([...epochOrder(train, 3, 2)].sort((a, b) => a - b), train);
  });

  it('gives the same numbers for the same seed, and resumes an interrupted run to the same end', async () => {
    const before = tf.memory().numTensors;
    const a = await trainSeed(new SeedFolder(path.join(tmp, 'a'), config.seed), data, train, validation, config);
    assert.strictEqual(a.status, 'done');
    assert.strictEqual(a.history.length, 3);
    assert.strictEqual(tf.memory().numTensors, before, 'training leaks tensors');

    const b = await trainSeed(new SeedFolder(path.join(tmp, 'b'), config.seed), data, train, validation, config);
    assert.deepStrictEqual(b.history.map((h) => h.trainLoss), a.history.map((h) => h.trainLoss));

    // Interrupt after the second epoch's checkpoint, as a killed process would.
    const dirC = path.join(tmp, 'c');
    await assert.rejects(
      trainSeed(new SeedFolder(dirC, config.seed), data, train, validation, config, undefined, (r) => {
        if (r.epoch === 2) throw new Error('killed');
      }),
      /killed/,
    );
    assert.ok(!fs.existsSync(path.join(dirC, 'result.json')));
    // The epoch-2 record was not checkpointed (the throw came before), so
    // the pointer says epoch 1; a stray half-written folder must be ignored.
    fs.mkdirSync(path.join(dirC, 'checkpoint-epoch-7'));
    fs.writeFileSync(path.join(dirC, 'checkpoint-epoch-7', 'model.json'), '{"half');
    const epochsRun: number[] = [];
    const beforeResume = tf.memory().numTensors;
    const c = await trainSeed(new SeedFolder(dirC, config.seed), data, train, validation, config, undefined, (r) => epochsRun.push(r.epoch));
    assert.deepStrictEqual(epochsRun, [2, 3], 'resume must not recompute finished epochs');
    assert.strictEqual(tf.memory().numTensors, beforeResume, 'resuming leaks tensors');
    for (let i = 0; i < 3; i++) {
      assert.strictEqual(c.history[i].trainLoss, a.history[i].trainLoss, `epoch ${i + 1} train loss`);
      assert.strictEqual(c.history[i].validationLoss, a.history[i].validationLoss, `epoch ${i + 1} validation loss`);
    }
    const wa = (await loadModel(path.join(tmp, 'a'))).getWeights().map((w) => Array.from(w.dataSync()));
    const wc = (await loadModel(dirC)).getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepStrictEqual(wc, wa, 'final weights differ between resumed and uninterrupted runs');
  });

  it("resumes bit for bit where tfjs would recompute Adam's running powers otherwise (a checkpoint after 20 steps)", async () => {
    // tfjs's Adam keeps β^(t+1) as a running product and its setWeights
    // recomputes it as pow(β, t + 1); after 20 steps the two differ in
    // float32 for β2 = 0.999, so a resume that trusted setWeights drifted.
    const product = tf.scalar(0.999).variable();
    for (let t = 1; t <= 20; t++) product.assign(tf.mul(product, 0.999));
    assert.notStrictEqual(product.dataSync()[0], tf.pow(0.999, 21).dataSync()[0], 'precondition: pow and the running product differ after 20 steps');
    product.dispose();

    const six = { ...config, epochs: 6 };
    await trainSeed(new SeedFolder(path.join(tmp, 'e'), six.seed), data, train, validation, six);
    // 30 training images in batches of 8: 4 steps an epoch, so the checkpoint after epoch 5 holds 20.
    const dirF = path.join(tmp, 'f');
    await assert.rejects(
      trainSeed(new SeedFolder(dirF, six.seed), data, train, validation, six, undefined, (r) => {
        if (r.epoch === 6) throw new Error('killed');
      }),
      /killed/,
    );
    assert.strictEqual(new SeedFolder(dirF, six.seed).readCheckpoint()?.epoch, 5);
    await trainSeed(new SeedFolder(dirF, six.seed), data, train, validation, six);
    const we = (await loadModel(path.join(tmp, 'e'))).getWeights().map((w) => Array.from(w.dataSync()));
    const wf = (await loadModel(dirF)).getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepStrictEqual(wf, we, 'final weights differ between resumed and uninterrupted runs');
  });

  it('returns the stored result of a finished seed without training again', async () => {
    let calls = 0;
    const r = await trainSeed(new SeedFolder(path.join(tmp, 'a'), config.seed), data, train, validation, config, () => calls++);
    assert.strictEqual(calls, 0);
    assert.strictEqual(r.history.length, 3);
  });

  it('stops a seed whose loss explodes, with a message', async () => {
    const r = await trainSeed(new SeedFolder(path.join(tmp, 'd'), config.seed), data, train, validation, { ...config, maxLoss: 1e-6 });
    assert.strictEqual(r.status, 'diverged');
    assert.match(r.message ?? '', /seed 3: training loss became .* at epoch 1, step 1/);
  });
});
