// `smile-lens smoke`: the pipeline end to end in seconds — generated images,
// the paper's network (narrowed), one epoch on the chosen backend.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Command } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { makeToyData } from '../../train/toy-data';
import { trainSeed } from '../../train/train-seed';

const command: Command = {
  name: 'smoke',
  summary: 'train a tiny network for one epoch on generated images and print loss and accuracy',
  options: [
    { name: 'images', kind: 'number', value: '<n>', description: 'how many generated images', default: 96 },
    { name: 'size', kind: 'number', value: '<px>', description: 'image side in pixels', default: 32 },
    { name: 'epochs', kind: 'number', value: '<n>', description: 'epochs to train', default: 1 },
    { name: 'seed', kind: 'number', value: '<n>', description: 'seed for data, weights and shuffling', default: 0 },
  ],
  async run(o) {
    const backend = await chooseBackend(o.backend as string | undefined);
    console.log(describeBackend(backend));
    const n = o.images as number;
    const data = makeToyData(n, o.size as number, 5, o.seed as number);
    const cut = Math.floor(n * 0.75);
    const train = Array.from({ length: cut }, (_, i) => i);
    const validation = Array.from({ length: n - cut }, (_, i) => cut + i);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-smoke-'));
    try {
      const result = await trainSeed(
        dir,
        data,
        train,
        validation,
        { seed: o.seed as number, epochs: o.epochs as number, batchSize: 16, learningRate: 0.001, model: { channels: [8, 16, 32], dense: 32 }, maxLoss: 1e4 },
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
};
export default command;
