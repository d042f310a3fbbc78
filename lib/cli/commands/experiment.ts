// `smile-lens experiment` (npm run experiment): the main job — the default
// synthetic data (generated if missing) or a given folder, the paper's network
// on five seeds, every seed explained, the audit and its experiments, and the
// report (lib/pipeline/main-job.ts). Every stage resumes: running it again
// continues where it stopped.
import { defineCommand, UsageError } from '../command';
import { runConfig } from '../../config/run-config';
import { list, choice, text } from '../../config/schema';
import { displayPath } from '../../run/locations';
import { AUDIT_EXPERIMENTS, mainJob } from '../../pipeline/main-job';
import { localExecutor } from '../../worker/local-executor';
import { defaultJobs } from '../../util/cores';
import { checked, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS } from '../run-options';

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
    const config = checked(() => runConfig({ preset: presetOf(o), data: o.data, runDir: o.out }));
    if (o.data && config.preset === 'small') throw new UsageError('smile-lens experiment: --small sizes the synthetic set; with --data give the training settings to `smile-lens train` instead');
    console.log(`configuration: ${config.preset}; run folder: ${displayPath(config.runDir)}`);
    const lanes = o.jobs ?? defaultJobs();
    const { table, times, report } = await mainJob(config, {
      executor: localExecutor({ jobs: lanes }),
      lanes,
      skip: o.skip,
      onStage: (name, seconds) => console.log(`${name}: ${seconds.toFixed(0)} s`),
    });
    console.log(`report: ${displayPath(report.file)} (${report.figures} figures)`);
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    console.log(`main job done in ${minutes} min (${times.map((t) => `${t.name} ${t.seconds.toFixed(0)} s`).join(', ')}): ${displayPath(config.runDir)}`);
    console.log(table.format());
    console.log(table.formatMemory());
  },
});
