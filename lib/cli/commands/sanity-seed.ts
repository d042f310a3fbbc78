// `smile-lens sanity-seed`: one seed of `sanity`, in a worker process.
import type { Command } from '../command';
import { chooseBackend } from '../../backend/select';
import { SANITY_DEFAULTS, SanityOptions, sanitySeed } from '../../pipeline/sanity-checks';

const command: Command = {
  name: 'sanity-seed',
  summary: 'sanity checks of one seed of a run (used by `sanity`\'s worker processes)',
  options: [
    { name: 'run', kind: 'string', value: '<folder>', description: 'the run folder', required: true },
    { name: 'seed', kind: 'number', value: '<n>', description: 'which seed', required: true },
    { name: 'options', kind: 'string', value: '<json>', description: 'sanity-check options as JSON (see `sanity`)', default: '{}' },
  ],
  async run(o) {
    await chooseBackend(o.backend as string | undefined);
    const options: SanityOptions = { ...SANITY_DEFAULTS, ...(JSON.parse(o.options as string) as Partial<SanityOptions>) };
    const records = await sanitySeed(o.run as string, o.seed as number, options, (p) => process.send?.(p));
    if (!process.send) console.log(`seed ${o.seed}: ${records.length} sanity-check records`);
  },
};
export default command;
