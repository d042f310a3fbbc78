// `smile-lens train`: the paper's experiment on a data folder, k seeds.
import { defineCommand } from '../command';
import { runConfig } from '../../config/run-config';
import { text } from '../../config/schema';
import type { MetricsFile } from '../../run/files';
import { displayPath } from '../../run/locations';
import { trainingBytes } from '../../run/output-size';
import { formatInterval } from '../../util/interval';
import { metricsHeadline } from '../../train/seed-table';
import { existingFolder, outputFolder } from '../folders';
import { checked, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS, runStages, TRAIN_OPTIONS, trainOverrides } from '../run-options';

export function printMetrics(m: MetricsFile): void {
  // First: does the run beat always answering the most frequent class?
  console.log(metricsHeadline(m)[0]);
  for (const s of m.seeds) {
    if (!s.validation) console.log(`seed ${s.seed}: ${s.status} — ${s.message}`);
    else console.log(`seed ${s.seed}: validation accuracy ${(100 * s.validation.accuracy).toFixed(1)}%, balanced ${(100 * s.validation.balancedAccuracy).toFixed(1)}%, macro-F1 ${(100 * s.validation.macroF1).toFixed(1)}%`);
  }
  console.log(`validation accuracy        ${formatInterval(m.summary.accuracy)}`);
  console.log(`balanced accuracy          ${formatInterval(m.summary.balancedAccuracy)}`);
  console.log(`macro-F1                   ${formatInterval(m.summary.macroF1)}`);
  console.log(`baseline: majority class   ${formatInterval(m.baselineSummary.majorityAccuracy)}`);
  console.log(`baseline: stratified guess ${formatInterval(m.baselineSummary.stratifiedAccuracy)}`);
}

export default defineCommand({
  name: 'train',
  options: {
    data: text({ describe: 'CFD folder or a synthetic set (smile-lens synth)', required: true, placeholder: '<folder>' }),
    ...TRAIN_OPTIONS,
    ...PRESET_OPTIONS,
    ...EXECUTION_OPTIONS,
  },
  details: 'Example: smile-lens train --data data/synthetic-cfd --seeds 5 --epochs 12\nRunning the same command again resumes: finished seeds are kept, an unfinished seed continues from its last epoch.',
  prepare(o) {
    existingFolder('--data', o.data);
    const config = checked(() => runConfig({ preset: presetOf(o), data: o.data, runDir: o.out, experiment: trainOverrides(o) }));
    outputFolder('--out', config.runDir, trainingBytes(config.experiment));
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const { train } = require('../../pipeline/stages') as typeof import('../../pipeline/stages');
    console.log(`run folder: ${displayPath(config.runDir)}`);
    return runStages(o, config.runDir, invocation, async (ctx) => {
      printMetrics(await train(config, ctx));
      console.log(`wrote ${displayPath(config.runDir)}`);
    });
  },
});
