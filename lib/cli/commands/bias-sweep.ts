// `smile-lens bias-sweep`: experiment 2 of the bias audit — plant a hair (or
// background) colour that predicts the label with strength p, train, explain,
// audit, and see whether the explainers find it.
import * as path from 'path';
import { defineCommand, UsageError } from '../command';
import { runConfig } from '../../config/run-config';
import { text } from '../../config/schema';
import { displayPath, sweepsRoot } from '../../run/locations';
import { explanationBytes, syntheticSetBytes, trainingBytes } from '../../run/output-size';
import { SweepFolder } from '../../run/run-folder';
import { outputFolder } from '../folders';
import { checked, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS, runStages, SWEEP_OPTIONS } from '../run-options';

export default defineCommand({
  name: 'bias-sweep',
  options: {
    ...SWEEP_OPTIONS,
    out: text({ describe: 'where the runs and the sweep\'s result go (default: outputs/bias-sweep/<id>)', placeholder: '<folder>' }),
    ...PRESET_OPTIONS,
    ...EXECUTION_OPTIONS,
  },
  details: 'Accuracy is measured on the held-out subjects with the bias present and with it broken (the same photographs drawn with p = 0).\nThe small configuration (--small) sweeps p = 0 and 1 with one seed; the full one p ∈ {0, 0.5, 0.9, 1} with three.\nExample: smile-lens bias-sweep --feature hair --strengths 0,0.5,0.9,1',
  prepare(o) {
    const base = runConfig({ preset: presetOf(o) }).biasSweep;
    const subjects = o.subjects ?? base.synthetic.subjects;
    const expressive = o['expressive-subjects'] ?? base.synthetic.expressiveSubjects ?? 0;
    if (expressive > subjects) throw new UsageError(`smile-lens bias-sweep: --expressive-subjects ${expressive} is more than --subjects ${subjects}`);
    const config = checked(
      () =>
        runConfig({
          preset: presetOf(o),
          biasSweep: {
            feature: o.feature ?? base.feature,
            strengths: o.strengths ?? base.strengths,
            synthetic: { ...base.synthetic, subjects: o.subjects ?? base.synthetic.subjects, expressiveSubjects: o['expressive-subjects'] ?? base.synthetic.expressiveSubjects },
            experiment: {
              ...base.experiment,
              seeds: o.seeds ? Array.from({ length: o.seeds }, (_, i) => i + 1) : base.experiment.seeds,
              epochs: o.epochs ?? base.experiment.epochs,
              size: o.size ?? base.experiment.size,
            },
          },
        }).biasSweep,
    );
    const perStrength = syntheticSetBytes(config.synthetic) + trainingBytes(config.experiment) + explanationBytes(config.experiment, config.methods.length, config.explainImages || 1000);
    outputFolder('--out', o.out ?? sweepsRoot(), config.strengths.length * perStrength);
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const { biasSweep, biasSweepId, sweepInWords, sweepTable } = require('../../pipeline/planted-bias-sweep') as typeof import('../../pipeline/planted-bias-sweep');
    const out = new SweepFolder(path.resolve(o.out ?? path.join(sweepsRoot(), biasSweepId(config))));
    console.log(`planted ${config.feature} bias, p ∈ {${config.strengths.join(', ')}}: ${displayPath(out.dir)}`);
    return runStages(o, out.dir, invocation, async (ctx) => {
      const result = await biasSweep(config, out, ctx);
      console.table(sweepTable(result));
      console.log(sweepInWords(result).replace(/\*\*/g, ''));
      console.log(`wrote ${displayPath(out.resultFile)} and ${path.basename(out.csvFile)}`);
    });
  },
});
