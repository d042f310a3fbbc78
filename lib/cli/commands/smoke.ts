// `smile-lens smoke`: the pipeline end to end in seconds — generated images,
// the paper's network (narrowed), one epoch on the chosen backend.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defineCommand } from '../command';
import { int } from '../../config/schema';
import { SeedFolder } from '../../run/run-folder';
import { makeToyData } from '../../train/toy-data';
import { trainSeed } from '../../train/train-seed';

export default defineCommand({
  name: 'smoke',
  options: {
    images: int({ min: 8, max: 100_000, describe: 'how many generated images', default: 96 }),
    size: int({ min: 8, max: 512, describe: 'image side in pixels', default: 32, placeholder: '<px>' }),
    epochs: int({ min: 1, max: 1000, describe: 'epochs to train', default: 1 }),
    seed: int({ min: 0, max: 2 ** 31 - 1, describe: 'seed for data, weights and shuffling', default: 0 }),
  },
  async run(o) {
    const data = makeToyData(o.images, o.size, 5, o.seed);
    const cut = Math.floor(o.images * 0.75);
    const train = Array.from({ length: cut }, (_, i) => i);
    const validation = Array.from({ length: o.images - cut }, (_, i) => cut + i);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-smoke-'));
    try {
      const result = await trainSeed(
        new SeedFolder(dir, o.seed),
        data,
        train,
        validation,
        { seed: o.seed, epochs: o.epochs, batchSize: 16, learningRate: 0.001, model: { channels: [8, 16, 32], dense: 32 }, maxLoss: 1e4 },
        undefined,
        (r) =>
          console.log(
            `epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)} acc ${(100 * r.trainAccuracy).toFixed(1)}% | ` +
              `validation loss ${r.validationLoss.toFixed(4)} acc ${(100 * r.validationAccuracy).toFixed(1)}% (${r.seconds.toFixed(1)} s)`,
          ),
      );
      if (result.status !== 'done') throw new Error(result.message);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
});
