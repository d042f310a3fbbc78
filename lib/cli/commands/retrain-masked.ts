// `smile-lens retrain-masked`: experiment 4 of the bias audit — the run again
// with background and hair painted over, explained and audited the same way.
import { defineCommand } from '../command';
import { retrainMasked, runOf } from '../../pipeline/stages';
import { maskedComparisonTable } from '../../pipeline/masked-retraining';
import { displayPath } from '../../run/locations';
import { configForRun, EXECUTION_OPTIONS, MASKING_OPTIONS, presetOf, PRESET_OPTIONS, RUN_OPTION, runStages } from '../run-options';

export default defineCommand({
  name: 'retrain-masked',
  options: { ...RUN_OPTION, ...MASKING_OPTIONS, ...PRESET_OPTIONS, ...EXECUTION_OPTIONS },
  details: 'Writes the masked data, a run on it and the comparison into the run folder. Same settings, seeds and splits as the run; resumable.\nExample: smile-lens retrain-masked --run outputs/runs/synthetic-small-64px-3ep-2seeds',
  async run(o, invocation) {
    const config = configForRun(o.run, { preset: presetOf(o), masking: { regions: o.regions } });
    return runStages(o, config.runDir, invocation, async (ctx) => {
      const c = await retrainMasked(config, ctx);
      console.table(maskedComparisonTable(c));
      console.log(`masked retraining: ${displayPath(runOf(config).masked.dir)}`);
    });
  },
});
