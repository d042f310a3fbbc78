// `smile-lens sanity`: experiment 3 of the bias audit — the sanity checks of
// Adebayo et al. (cascading layer randomisation, random-label model).
import { defineCommand } from '../command';
import { displayPath } from '../../run/locations';
import { trainingBytes } from '../../run/output-size';
import { outputFolder, runFolderOption, trainedSeeds } from '../folders';
import { configForRun, EXECUTION_OPTIONS, methodOptionOverrides, presetOf, PRESET_OPTIONS, RUN_OPTION, runStages, SANITY_OPTIONS, SEED_SUBSET_OPTION } from '../run-options';

export default defineCommand({
  name: 'sanity',
  options: { ...RUN_OPTION, ...SANITY_OPTIONS, ...SEED_SUBSET_OPTION, ...PRESET_OPTIONS, ...EXECUTION_OPTIONS },
  details: 'Writes the run\'s sanity tables: Spearman and SSIM between the trained maps and the randomised ones, per randomised layer. Resumable per seed.\nExample: smile-lens sanity --run outputs/runs/synthetic-small-64px-3ep-2seeds --images 8',
  prepare(o) {
    const run = runFolderOption(o.run);
    const config = configForRun(run.dir, {
      preset: presetOf(o),
      sanity: { methods: o.methods, images: o.images, randomLabels: o['random-labels'], randomLabelEpochs: o['random-label-epochs'], options: methodOptionOverrides(o) },
    });
    const seeds = trainedSeeds(run, o.seeds);
    // The random-label models (one per seed) and the tables.
    outputFolder('--run', run.sanity.dir, trainingBytes({ ...config.experiment, seeds }) + 20e6);
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const { runOf } = require('../../pipeline/stages') as typeof import('../../pipeline/stages');
    const { sanityRun, sanityTable } = require('../../pipeline/sanity-checks') as typeof import('../../pipeline/sanity-checks');
    const run = runOf(config);
    // `sanity` checks every finished seed (the main job only the first few).
    return runStages(o, run.dir, invocation, async (ctx) => {
      const { summary } = await sanityRun(run, config.sanity, { ...ctx, seeds: o.seeds });
      console.table(sanityTable(summary));
      for (const r of summary.randomLabelModels) {
        console.log(`random-label model, seed ${r.seed}: ${r.epochs} epochs, ${(100 * r.trainAccuracy).toFixed(1)}% on its permuted training labels, ${(100 * r.validationAccuracy).toFixed(1)}% on the true validation labels`);
      }
      console.log(`sanity checks: ${displayPath(run.sanity.dir)} (records.csv, summary.csv and .json)`);
    });
  },
});
