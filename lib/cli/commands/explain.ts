// `smile-lens explain`: attribution maps of every registered method for a trained run.
import { defineCommand } from '../command';
import { displayPath } from '../../run/locations';
import { explanationBytes } from '../../run/output-size';
import { outputFolder, runFolderOption, trainedSeeds } from '../folders';
import { configForRun, EXECUTION_OPTIONS, EXPLAIN_OPTIONS, explainOverrides, presetOf, PRESET_OPTIONS, RUN_OPTION, runStages, SEED_SUBSET_OPTION } from '../run-options';

export default defineCommand({
  name: 'explain',
  options: { ...RUN_OPTION, ...EXPLAIN_OPTIONS, ...SEED_SUBSET_OPTION, ...PRESET_OPTIONS, ...EXECUTION_OPTIONS },
  details: 'Writes each map as .npy (float32), a JSON sidecar and a PNG overlay per seed, method and image; an interrupted run resumes.\nExample: smile-lens explain --run outputs/runs/synthetic-cfd-128px-12ep-5seeds --method gradcam --limit 20',
  prepare(o) {
    const run = runFolderOption(o.run);
    const config = configForRun(run.dir, { preset: presetOf(o), explain: explainOverrides(o) });
    const seeds = trainedSeeds(run, o.seeds);
    // At most a validation split per seed: a fifth of the data's images, bounded by 1000 here.
    outputFolder('--run', run.dir, explanationBytes({ ...config.experiment, seeds }, config.explain.methods.length, config.explain.images?.length ?? (config.explain.limit || 1000)));
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const { explain, runOf } = require('../../pipeline/stages') as typeof import('../../pipeline/stages');
    const { completenessInWords, runCompleteness } = require('../../pipeline/completeness') as typeof import('../../pipeline/completeness');
    return runStages(o, config.runDir, invocation, async (ctx) => {
      const { seeds, seconds } = await explain(config, { ...ctx, seeds: o.seeds });
      const run = runOf(config);
      for (const s of seeds) for (const m of config.explain.methods) console.log(`seed ${s} ${m}: ${displayPath(run.explanations(m, s).dir)}`);
      const completeness = runCompleteness(run, seeds).filter((r) => config.explain.methods.includes(r.method));
      if (completeness.length) console.log(`${completenessInWords(completeness, config.explain.target === 'log-prob' ? 'log-probability' : 'logit').replace(/\*\*/g, '')}\n(completeness per seed: ${displayPath(run.completenessCsv)})`);
      console.log(`explained ${seeds.length} seed(s) in ${seconds.toFixed(1)} s`);
    });
  },
});
