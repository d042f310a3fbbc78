// `smile-lens audit`: experiment 1 of the bias audit — where the explained
// maps of a run put their mass (regions, face metrics, deletion check).
import { defineCommand, UsageError } from '../command';
import { explainerNames } from '../../explain/registry';
import { displayPath } from '../../run/locations';
import { outputFolder, runFolderOption, trainedSeeds } from '../folders';
import { AUDIT_OPTIONS, configForRun, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS, RUN_OPTION, runStages, SEED_SUBSET_OPTION } from '../run-options';

export default defineCommand({
  name: 'audit',
  options: { ...RUN_OPTION, ...AUDIT_OPTIONS, ...SEED_SUBSET_OPTION, ...PRESET_OPTIONS, ...EXECUTION_OPTIONS },
  details:
    'Writes the run\'s audit tables: records.csv|json (one line per image, method, seed and metric) and summary.csv|json\n' +
    '(mean over seeds per expression and overall, with a 95% interval: a percentile bootstrap over seeds and\n' +
    'images for shares and face metrics, Student\'s t for the faithfulness scores; none below three seeds). Resumable per seed.\n' +
    'Faithfulness: the deletion and insertion games of Petsiuk et al. (RISE) with each fill against random pixel orders;\n' +
    'summary.csv says in its verdict column whether each method\'s gap beats random (passes, fails, unclear).\n' +
    'Example: smile-lens audit --run outputs/runs/synthetic-cfd-128px-12ep-5seeds --methods gradcam,gradientshap',
  prepare(o) {
    const run = runFolderOption(o.run);
    const config = configForRun(run.dir, { preset: presetOf(o), audit: { methods: o.methods, deletion: o.deletion, fills: o.fills, randomDraws: o['random-draws'], regions: o.regions } });
    // The audit reads explanations: each seed must have finished ones of the methods asked for (by default, those it has).
    for (const seed of trainedSeeds(run, o.seeds)) {
      const asked = config.audit.methods;
      const methods = asked ?? explainerNames();
      const missing = methods.filter((m) => !run.explanations(m, seed).readIndex());
      if (asked && missing.length) throw new UsageError(`smile-lens audit: seed ${seed} of ${displayPath(run.dir)} has no finished ${missing.join(' or ')} explanations; run smile-lens explain --run ${displayPath(run.dir)} --method ${missing.join(',')} first`);
      if (!asked && missing.length === methods.length) throw new UsageError(`smile-lens audit: seed ${seed} of ${displayPath(run.dir)} has no finished explanations; run smile-lens explain --run ${displayPath(run.dir)} first`);
    }
    outputFolder('--run', run.audit.dir, 20e6);
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const { audit, runOf } = require('../../pipeline/stages') as typeof import('../../pipeline/stages');
    const { auditInWords, intervalNote } = require('../../pipeline/audit-tables') as typeof import('../../pipeline/audit-tables');
    const { faithfulnessMethodText, targetUnit } = require('../../pipeline/audit-faithfulness') as typeof import('../../pipeline/audit-faithfulness');
    return runStages(o, config.runDir, invocation, async (ctx) => {
      const result = await audit(config, { ...ctx, seeds: o.seeds });
      if (config.audit.deletion) console.log(faithfulnessMethodText(config.audit, config.experiment.size));
      console.log(auditInWords(result.summary.rows, targetUnit(result.summary.targets)).replace(/\*\*/g, ''));
      console.log(intervalNote(result.summary.rows));
      console.log(`audited ${result.summary.seeds.length} seed(s), ${result.records.length} records: ${displayPath(runOf(config).audit.dir)} (records.csv, summary.csv and .json)`);
    });
  },
});
