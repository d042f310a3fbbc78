// `smile-lens sanity`: experiment 3 of the bias audit — the sanity checks of
// Adebayo et al. (cascading layer randomisation, random-label model).
import { defineCommand } from '../command';
import { runOf } from '../../pipeline/stages';
import { sanityRun, sanityTable } from '../../pipeline/sanity-checks';
import { displayPath } from '../../run/locations';
import { localExecutor } from '../../worker/local-executor';
import { configForRun, EXECUTION_OPTIONS, methodOptionOverrides, presetOf, PRESET_OPTIONS, RUN_OPTION, SANITY_OPTIONS, SEED_SUBSET_OPTION } from '../run-options';

export default defineCommand({
  name: 'sanity',
  options: { ...RUN_OPTION, ...SANITY_OPTIONS, ...SEED_SUBSET_OPTION, ...PRESET_OPTIONS, ...EXECUTION_OPTIONS },
  details: 'Writes the run\'s sanity tables: Spearman and SSIM between the trained maps and the randomised ones, per randomised layer. Resumable per seed.\nExample: smile-lens sanity --run outputs/runs/synthetic-small-64px-3ep-2seeds --images 8',
  async run(o) {
    const config = configForRun(o.run, {
      preset: presetOf(o),
      sanity: { methods: o.methods, images: o.images, randomLabels: o['random-labels'], randomLabelEpochs: o['random-label-epochs'], options: methodOptionOverrides(o) },
    });
    const run = runOf(config);
    // `sanity` checks every finished seed (the main job only the first few).
    const { summary } = await sanityRun(run, config.sanity, { executor: localExecutor({ jobs: o.jobs }), seeds: o.seeds });
    console.table(sanityTable(summary));
    for (const r of summary.randomLabelModels) {
      console.log(`random-label model, seed ${r.seed}: ${r.epochs} epochs, ${(100 * r.trainAccuracy).toFixed(1)}% on its permuted training labels, ${(100 * r.validationAccuracy).toFixed(1)}% on the true validation labels`);
    }
    console.log(`sanity checks: ${displayPath(run.sanity.dir)} (records.csv, summary.csv and .json)`);
  },
});
