// `smile-lens experiment` (npm run experiment): the main job — the default
// synthetic data (generated if missing) or a given folder, the paper's network
// on five seeds, every seed explained, the audit and its experiments, and the
// report. Every stage resumes: running it again continues where it stopped.
import { defineCommand, UsageError } from '../command';
import { runConfig } from '../../config/run-config';
import { list, choice, text } from '../../config/schema';
import { displayPath } from '../../run/locations';
import * as stages from '../../pipeline/stages';
import { localExecutor } from '../../worker/local-executor';
import { defaultJobs } from '../../util/cores';
import type { Executor } from '../../worker/executor';
import { StageTable } from '../../pipeline/stage-table';
import { checked, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS } from '../run-options';

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
  async run(o) {
    const started = Date.now();
    const skip: readonly string[] = o.skip ?? [];
    const config = checked(() => runConfig({ preset: presetOf(o), data: o.data, runDir: o.out }));
    if (o.data && config.preset === 'small') throw new UsageError('smile-lens experiment: --small sizes the synthetic set; with --data give the training settings to `smile-lens train` instead');
    console.log(`configuration: ${config.preset}; run folder: ${displayPath(config.runDir)}`);
    const jobs = o.jobs ?? defaultJobs();
    const pool = localExecutor({ jobs });

    // Each stage resumes on its own; the table says where the main job spends its time.
    const table = new StageTable(jobs);
    const times: string[] = [];
    const stage = async <T>(name: string, work: (ctx: { executor: Executor }) => Promise<T> | T): Promise<T> => {
      const result = await table.time(name, pool, (executor) => work({ executor }));
      const seconds = table.account(name).seconds.toFixed(0);
      times.push(`${name} ${seconds} s`);
      console.log(`${name}: ${seconds} s`);
      return result;
    };

    const data = await stage('data', () => stages.ensureData(config));
    console.log(data.generated ? `generated ${displayPath(data.folder)} in ${data.seconds.toFixed(0)} s` : `data: ${displayPath(data.folder)}`);
    await stage('training', (ctx) => stages.train(config, ctx));
    await stage('explanations', (ctx) => stages.explain(config, ctx));
    await stage('audit (experiment 1)', (ctx) => stages.audit(config, ctx));
    if (!skip.includes('bias-sweep')) await stage('planted-bias sweep (experiment 2)', (ctx) => stages.plantedBiasSweep(config, ctx));
    if (!skip.includes('sanity')) await stage('sanity checks (experiment 3)', (ctx) => stages.sanity(config, ctx));
    if (!skip.includes('retrain-masked')) await stage('masked retraining (experiment 4)', (ctx) => stages.retrainMasked(config, ctx));
    const report = await stages.report(config);
    console.log(`report: ${displayPath(report.file)} (${report.figures} figures)`);
    console.log(`main job done in ${((Date.now() - started) / 60000).toFixed(1)} min (${times.join(', ')}): ${displayPath(config.runDir)}`);
    console.log(table.format());
    console.log(table.formatMemory());
  },
});
