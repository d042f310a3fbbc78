// `smile-lens bias-sweep`: experiment 2 of the bias audit — plant a hair (or
// background) colour that predicts the label with strength p, train, explain,
// audit, and see whether the explainers find it.
import * as path from 'path';
import type { Command, ParsedOptions } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { SMALL_ENV } from '../../pipeline/presets';
import { BIAS_SWEEP_FULL, BIAS_SWEEP_SMALL, BiasSweepConfig, biasSweep, biasSweepId, BiasSweepResult, checkSweepConfig, sweepInWords, sweepTable } from '../../pipeline/planted-bias-sweep';
import { REPO_ROOT } from '../../pipeline/presets';

export function sweepConfig(o: ParsedOptions): BiasSweepConfig {
  const base = o.small || /^(1|true|yes|on)$/i.test(process.env[SMALL_ENV] ?? '') ? BIAS_SWEEP_SMALL : BIAS_SWEEP_FULL;
  const feature = (o.feature as string | undefined) ?? base.feature;
  if (feature !== 'hair' && feature !== 'background') throw new Error(`--feature expects hair or background, got "${feature}"`);
  const strengths = o.strengths ? (o.strengths as string[]).map(Number) : base.strengths;
  if (strengths.some((p) => !Number.isFinite(p))) throw new Error(`--strengths expects numbers in [0, 1], got ${(o.strengths as string[]).join(',')}`);
  const seeds = (o.seeds as number | undefined) ?? base.experiment.seeds.length;
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds expects a whole number ≥ 1, got ${seeds}`);
  const epochs = (o.epochs as number | undefined) ?? base.experiment.epochs;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs expects a whole number ≥ 1, got ${epochs}`);
  return checkSweepConfig({
    ...base,
    feature,
    strengths,
    synthetic: { ...base.synthetic, subjects: (o.subjects as number | undefined) ?? base.synthetic.subjects, expressiveSubjects: (o['expressive-subjects'] as number | undefined) ?? base.synthetic.expressiveSubjects },
    experiment: { ...base.experiment, seeds: Array.from({ length: seeds }, (_, i) => i + 1), epochs, size: (o.size as number | undefined) ?? base.experiment.size },
  });
}

export async function biasSweepCommand(o: ParsedOptions, backendName: string): Promise<{ out: string; result: BiasSweepResult }> {
  const config = sweepConfig(o);
  const out = path.resolve((o.out as string | undefined) ?? path.join(REPO_ROOT, 'outputs', 'bias-sweep', biasSweepId(config)));
  console.log(`planted ${config.feature} bias, p ∈ {${config.strengths.join(', ')}}: ${out}`);
  const result = await biasSweep(config, out, { backend: backendName, jobs: o.jobs as number | undefined });
  console.table(sweepTable(result));
  console.log(sweepInWords(result).replace(/\*\*/g, ''));
  console.log(`wrote ${path.join(out, 'sweep.json')} and sweep.csv`);
  return { out, result };
}

const command: Command = {
  name: 'bias-sweep',
  summary: 'plant a hair or background colour that predicts the label with strength p; do the explainers find it?',
  options: [
    { name: 'feature', kind: 'string', value: '<hair|background>', description: `where the planted colour goes (default: ${BIAS_SWEEP_FULL.feature})` },
    { name: 'strengths', kind: 'list', value: '<p,p,…>', description: `strengths p in [0, 1] (default: ${BIAS_SWEEP_FULL.strengths.join(',')}; small: ${BIAS_SWEEP_SMALL.strengths.join(',')})` },
    { name: 'small', kind: 'boolean', description: `the small configuration (as ${SMALL_ENV}=1)` },
    { name: 'subjects', kind: 'number', value: '<n>', description: 'subjects in each synthetic set' },
    { name: 'expressive-subjects', kind: 'number', value: '<n>', description: 'of which photographed with all five expressions' },
    { name: 'seeds', kind: 'number', value: '<k>', description: 'seeds per strength' },
    { name: 'epochs', kind: 'number', value: '<n>', description: 'epochs per seed' },
    { name: 'size', kind: 'number', value: '<px>', description: 'input side in pixels' },
    { name: 'out', kind: 'string', value: '<folder>', description: 'where the runs and sweep.json go (default: outputs/bias-sweep/<id>)' },
    { name: 'jobs', kind: 'number', value: '<n>', description: 'worker processes at once (default: cores)' },
  ],
  details: 'Accuracy is measured on the held-out subjects with the bias present and with it broken (the same photographs drawn with p = 0).\nExample: smile-lens bias-sweep --feature hair --strengths 0,0.5,0.9,1',
  async run(o) {
    const backend = await chooseBackend(o.backend as string | undefined);
    console.log(describeBackend(backend));
    if (o.small) process.env[SMALL_ENV] = '1';
    await biasSweepCommand(o, backend.name);
  },
};
export default command;
