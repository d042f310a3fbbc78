// `smile-lens baselines`: the baseline study (issue 13) — every baseline a
// method offers, measured on a run's seeds (deletion and insertion gaps under
// each fill, completeness error, time) and on its planted-bias sweep (the
// planted region's share of the attribution).
import { defineCommand } from '../command';
import { displayPath } from '../../run/locations';
import { outputFolder, runFolderOption, trainedSeeds } from '../folders';
import { BASELINE_STUDY_OPTIONS, configForRun, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS, RUN_OPTION, runStages, SEED_SUBSET_OPTION } from '../run-options';

export default defineCommand({
  name: 'baselines',
  options: { ...RUN_OPTION, ...BASELINE_STUDY_OPTIONS, ...SEED_SUBSET_OPTION, ...PRESET_OPTIONS, ...EXECUTION_OPTIONS },
  details:
    "Measures each baseline of each method with a baseline option (GradientSHAP: black, blur, noise, training) on the run's\n" +
    'validation images: the deletion gap against random pixels under each fill (RISE\'s game; the ranking figure is its mean\n' +
    'over the fills), the insertion gap, |Σφ − (y(x) − y(b))|, seconds per image and, when the run has a planted-bias sweep\n' +
    "(smile-lens bias-sweep), the planted region's share of |attribution| at the lowest and highest strength. Writes\n" +
    "baseline-study/study.csv|json in the run folder (the report shows it). Resumable per seed.\n" +
    'Example: smile-lens baselines --run outputs/runs/synthetic-small-64px-3ep-2seeds --images 10',
  prepare(o) {
    const run = runFolderOption(o.run);
    const config = configForRun(run.dir, {
      preset: presetOf(o),
      baselineStudy: { methods: o.methods, baselines: o.baselines, images: o.images, sweepImages: o['sweep-images'] },
      explain: { target: o.target },
      audit: { fills: o.fills, randomDraws: o['random-draws'] },
    });
    trainedSeeds(run, o.seeds);
    outputFolder('--run', run.baselineStudy.dir, 5e6);
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const { studyBaselines } = require('../../pipeline/stages') as typeof import('../../pipeline/stages');
    const { studyInWords, studyTable } = require('../../pipeline/baseline-study') as typeof import('../../pipeline/baseline-study');
    return runStages(o, config.runDir, invocation, async (ctx) => {
      const result = await studyBaselines(config, { ...ctx, seeds: o.seeds });
      console.table(studyTable(result));
      console.log(studyInWords(result).replace(/\*\*/g, ''));
      console.log(`baseline study: ${displayPath(config.runDir)} baseline-study/ (study.csv and .json), ${result.seconds.toFixed(0)} s`);
    });
  },
});
