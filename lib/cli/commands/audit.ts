// `smile-lens audit`: experiment 1 of the bias audit — where the explained
// maps of a run put their mass (regions, face metrics, deletion check).
import { defineCommand } from '../command';
import { audit, runOf } from '../../pipeline/stages';
import { auditInWords, intervalNote } from '../../pipeline/audit-tables';
import { displayPath } from '../../run/locations';
import { AUDIT_OPTIONS, configForRun, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS, RUN_OPTION, runStages, SEED_SUBSET_OPTION } from '../run-options';

export default defineCommand({
  name: 'audit',
  options: { ...RUN_OPTION, ...AUDIT_OPTIONS, ...SEED_SUBSET_OPTION, ...PRESET_OPTIONS, ...EXECUTION_OPTIONS },
  details:
    'Writes the run\'s audit tables: records.csv|json (one line per image, method, seed and metric) and summary.csv|json\n' +
    '(mean over seeds per expression and overall, with a 95% interval: a percentile bootstrap over seeds and\n' +
    'images for shares and face metrics, Student\'s t for the deletion scores; none below three seeds). Resumable per seed.\n' +
    'Example: smile-lens audit --run outputs/runs/synthetic-cfd-128px-12ep-5seeds --methods gradcam,gradientshap',
  async run(o, invocation) {
    const config = configForRun(o.run, { preset: presetOf(o), audit: { methods: o.methods, deletion: o.deletion, randomDraws: o['random-draws'] } });
    return runStages(o, config.runDir, invocation, async (ctx) => {
      const result = await audit(config, { ...ctx, seeds: o.seeds });
      console.log(auditInWords(result.summary.rows).replace(/\*\*/g, ''));
      console.log(intervalNote(result.summary.rows));
      console.log(`audited ${result.summary.seeds.length} seed(s), ${result.records.length} records: ${displayPath(runOf(config).audit.dir)} (records.csv, summary.csv and .json)`);
    });
  },
});
