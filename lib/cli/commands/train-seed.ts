// `smile-lens train-seed`: one seed of a prepared run folder. `train` starts
// one such worker process per seed (in parallel when there are cores), and
// listens to its progress over the IPC channel.
import type { Command } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { runSeed } from '../../train/experiment';

const command: Command = {
  name: 'train-seed',
  summary: 'train (or resume) one seed of a run folder prepared by `train` (used by its worker processes)',
  options: [
    { name: 'run', kind: 'string', value: '<folder>', description: 'the run folder (outputs/runs/<id>)', required: true },
    { name: 'seed', kind: 'number', value: '<n>', description: 'which of the run\'s seeds', required: true },
  ],
  async run(o) {
    const backend = await chooseBackend(o.backend as string | undefined);
    const send = (m: unknown) => process.send?.(m);
    if (!process.send) console.log(describeBackend(backend));
    try {
      const result = await runSeed(o.run as string, o.seed as number, (progress) => send({ type: 'progress', progress }), (r) => {
        if (!process.send) console.log(`seed ${o.seed} epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)}, validation accuracy ${(100 * r.validationAccuracy).toFixed(1)}%`);
      });
      send({ type: 'result', result });
      if (!process.send) console.log(result.status === 'done' ? `seed ${o.seed} done` : result.message);
    } catch (e) {
      send({ type: 'error', message: (e as Error).message });
      throw e;
    }
  },
};
export default command;
