// `smile-lens retrain-masked`: experiment 4 of the bias audit — the run again
// with background and hair painted over, explained and audited the same way.
import { defineCommand, UsageError } from '../command';
import { defaultLegend, readRegionLegend } from '../../data/regions';
import { displayPath } from '../../run/locations';
import { runBytes } from '../../run/output-size';
import { outputFolder, runFolderOption, trainedSeeds } from '../folders';
import { configForRun, EXECUTION_OPTIONS, MASKING_OPTIONS, presetOf, PRESET_OPTIONS, RUN_OPTION, runStages } from '../run-options';

export default defineCommand({
  name: 'retrain-masked',
  options: { ...RUN_OPTION, ...MASKING_OPTIONS, ...PRESET_OPTIONS, ...EXECUTION_OPTIONS },
  details: 'Writes the masked data, a run on it and the comparison into the run folder. Same settings, seeds and splits as the run; resumable.\nExample: smile-lens retrain-masked --run outputs/runs/synthetic-small-64px-3ep-2seeds',
  prepare(o) {
    const run = runFolderOption(o.run);
    // The regions painted over come from the masker the run's audit used.
    const audited = run.audit.readSummary();
    const config = configForRun(run.dir, { preset: presetOf(o), masking: { regions: o.regions }, audit: { regions: audited?.options.regions ?? 'auto' } });
    const where = displayPath(run.dir);
    const untrained = config.experiment.seeds.filter((s) => !trainedSeeds(run, undefined).includes(s));
    if (untrained.length) throw new UsageError(`smile-lens retrain-masked: seed ${untrained.join(', ')} of ${where} is not trained yet; run smile-lens train on it again to finish`);
    // Compared with the run's own audit, which must be there before hours of retraining.
    if (!audited) throw new UsageError(`smile-lens retrain-masked: ${where} has no audit to compare with; run smile-lens audit --run ${where} first`);
    const legend = readRegionLegend(config.experiment.data) ?? defaultLegend();
    const known = [...legend.regions.map((r) => r.name), ...Object.keys(legend.groups ?? {})];
    const unknown = config.masking.regions.filter((r) => !known.includes(r));
    if (unknown.length) throw new UsageError(`smile-lens retrain-masked: --regions: no region or group ${unknown.map((r) => `"${r}"`).join(', ')} in the data's legend (known: ${known.join(', ')})`);
    outputFolder('--run', run.masked.dir, runBytes(config));
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const { retrainMasked, runOf } = require('../../pipeline/stages') as typeof import('../../pipeline/stages');
    const { maskedComparisonTable } = require('../../pipeline/masked-retraining') as typeof import('../../pipeline/masked-retraining');
    return runStages(o, config.runDir, invocation, async (ctx) => {
      const c = await retrainMasked(config, ctx);
      console.table(maskedComparisonTable(c));
      console.log(`masked retraining: ${displayPath(runOf(config).masked.dir)}`);
    });
  },
});
