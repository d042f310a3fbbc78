// `smile-lens explain-seed`: one seed of `explain`, in a worker process.
import type { Command } from '../command';
import { chooseBackend } from '../../backend/select';
import { EXPLAIN_DEFAULTS, explainSeed, ExplainOptions } from '../../pipeline/explain-run';

const command: Command = {
  name: 'explain-seed',
  summary: 'explain one seed of a run (used by `explain`\'s worker processes)',
  options: [
    { name: 'run', kind: 'string', value: '<folder>', description: 'the run folder', required: true },
    { name: 'seed', kind: 'number', value: '<n>', description: 'which seed', required: true },
    { name: 'options', kind: 'string', value: '<json>', description: 'explanation options as JSON (see `explain`)', default: '{}' },
  ],
  async run(o) {
    await chooseBackend(o.backend as string | undefined);
    const options: ExplainOptions = { ...EXPLAIN_DEFAULTS, ...(JSON.parse(o.options as string) as Partial<ExplainOptions>) };
    const sidecars = await explainSeed(o.run as string, o.seed as number, options, (p) => process.send?.(p));
    if (!process.send) console.log(`seed ${o.seed}: ${sidecars.length} explanations`);
  },
};
export default command;
