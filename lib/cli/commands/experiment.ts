// `smile-lens experiment` (npm run experiment): the main job — the default
// synthetic data (generated if missing) or a given folder, the paper's network
// on five seeds, every seed explained, the audit and its experiments, and the
// report. Every stage resumes: running it again continues where it stopped.
import { defineCommand, UsageError } from '../command';
import { runConfig } from '../../config/run-config';
import { list, choice, text } from '../../config/schema';
import { displayPath } from '../../run/locations';
import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE } from '../../data/synthetic/options';
import { runBytes, syntheticSetBytes } from '../../run/output-size';
import { noteState } from '../../progress/last-state';
import { existingFolder, outputFolder } from '../folders';
import { checked, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS, runStages } from '../run-options';

/** The bias audit's experiments after the audit itself; `--skip` leaves some out. */
const AUDIT_EXPERIMENTS = ['bias-sweep', 'sanity', 'retrain-masked'] as const;

export default defineCommand({
  name: 'experiment',
  options: {
    data: text({ describe: 'a CFD folder to run on (default: the synthetic set, generated when missing)', placeholder: '<folder>' }),
    out: text({ describe: 'the run folder (default: outputs/runs/<id from the settings>; an existing one resumes)', placeholder: '<folder>' }),
    skip: list(choice(AUDIT_EXPERIMENTS, { describe: 'an experiment' }), { describe: 'audit experiments to leave out of this run', unique: true }),
    ...PRESET_OPTIONS,
    ...EXECUTION_OPTIONS,
  },
  prepare(o) {
    if (o.data) existingFolder('--data', o.data);
    const config = checked(() => runConfig({ preset: presetOf(o), data: o.data, runDir: o.out }));
    if (o.data && config.preset === 'small') throw new UsageError('smile-lens experiment: --small sizes the synthetic set; with --data give the training settings to `smile-lens train` instead');
    // The synthetic set is drawn unless it is there (a complete one has its manifest).
    if (config.synthetic) outputFolder('the synthetic data set', config.experiment.data, fs.existsSync(path.join(config.experiment.data, MANIFEST_FILE)) ? 0 : syntheticSetBytes(config.synthetic));
    outputFolder('--out', config.runDir, runBytes(config));
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const stages = require('../../pipeline/stages') as typeof import('../../pipeline/stages');
    const started = Date.now();
    const skip: readonly string[] = o.skip ?? [];
    console.log(`configuration: ${config.preset}; run folder: ${displayPath(config.runDir)}`);
    return runStages(o, config.runDir, invocation, async (ctx) => {
      // Each stage resumes on its own; the times say where the main job spends them.
      const times: string[] = [];
      const stage = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
        const at = Date.now();
        const result = await work();
        const seconds = ((Date.now() - at) / 1000).toFixed(0);
        times.push(`${name} ${seconds} s`);
        console.log(`${name}: ${seconds} s`);
        // An interrupted main job says which stages it finished.
        noteState(times, `stages done: ${times.join(', ')}`);
        return result;
      };

      const data = await stage('data', () => stages.ensureData(config));
      console.log(data.generated ? `generated ${displayPath(data.folder)} in ${data.seconds.toFixed(0)} s` : `data: ${displayPath(data.folder)}`);
      await stage('training', () => stages.train(config, ctx));
      await stage('explanations', () => stages.explain(config, ctx));
      await stage('audit (experiment 1)', () => stages.audit(config, ctx));
      if (!skip.includes('bias-sweep')) await stage('planted-bias sweep (experiment 2)', () => stages.plantedBiasSweep(config, ctx));
      if (!skip.includes('sanity')) await stage('sanity checks (experiment 3)', () => stages.sanity(config, ctx));
      if (!skip.includes('retrain-masked')) await stage('masked retraining (experiment 4)', () => stages.retrainMasked(config, ctx));
      const report = await stages.report(config);
      console.log(`report: ${displayPath(report.file)} (${report.figures} figures)`);
      console.log(`main job done in ${((Date.now() - started) / 60000).toFixed(1)} min (${times.join(', ')}): ${displayPath(config.runDir)}`);
    });
  },
});
