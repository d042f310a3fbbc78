// `smile-lens experiment` (npm run experiment): the main job — the default
// synthetic data (generated if missing) or a given folder, the paper's network
// on five seeds, every seed explained, the audit and its experiments, and the
// report (lib/pipeline/main-job.ts). Every stage resumes: running it again
// continues where it stopped.
import { defineCommand, UsageError } from '../command';
import { AUDIT_EXPERIMENTS, runConfig } from '../../config/run-config';
import { list, choice, text } from '../../config/schema';
import { displayPath } from '../../run/locations';
import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE } from '../../data/synthetic/options';
import { runBytes, syntheticSetBytes } from '../../run/output-size';
import { noteState } from '../../progress/last-state';
import { defaultJobs } from '../../util/cores';
import { AUDIT_FIELDS } from '../../config/audit';
import { existingFolder, outputFolder } from '../folders';
import { checked, EXECUTION_OPTIONS, presetOf, PRESET_OPTIONS, runStages } from '../run-options';

export default defineCommand({
  name: 'experiment',
  options: {
    data: text({ describe: 'a CFD folder to run on (default: the synthetic set, generated when missing)', placeholder: '<folder>' }),
    out: text({ describe: 'the run folder (default: outputs/runs/<id from the settings>; an existing one resumes)', placeholder: '<folder>' }),
    skip: list(choice(AUDIT_EXPERIMENTS, { describe: 'an experiment' }), { describe: 'audit experiments to leave out of this run', unique: true }),
    regions: AUDIT_FIELDS.regions,
    ...PRESET_OPTIONS,
    ...EXECUTION_OPTIONS,
  },
  prepare(o) {
    if (o.data) existingFolder('--data', o.data);
    const config = checked(() => runConfig({ preset: presetOf(o), data: o.data, runDir: o.out, audit: { regions: o.regions } }));
    if (o.data && config.preset === 'small') throw new UsageError('smile-lens experiment: --small sizes the synthetic set; with --data give the training settings to `smile-lens train` instead');
    // The synthetic set is drawn unless it is there (a complete one has its manifest).
    if (config.synthetic) outputFolder('the synthetic data set', config.experiment.data, fs.existsSync(path.join(config.experiment.data, MANIFEST_FILE)) ? 0 : syntheticSetBytes(config.synthetic));
    outputFolder('--out', config.runDir, runBytes(config));
    return config;
  },
  async run(o, config, invocation) {
    // Loaded here, not above: options are checked without the stages.
    const { mainJob } = require('../../pipeline/main-job') as typeof import('../../pipeline/main-job');
    const { metricsHeadline } = require('../../train/seed-table') as typeof import('../../train/seed-table');
    const { RunFolder } = require('../../run/run-folder') as typeof import('../../run/run-folder');
    const started = Date.now();
    console.log(`configuration: ${config.preset}; run folder: ${displayPath(config.runDir)}`);
    return runStages(o, config.runDir, invocation, async (ctx) => {
      const lanes = o.jobs ?? defaultJobs();
      const done: string[] = [];
      const { table, times, report } = await mainJob(config, {
        executor: ctx.executor,
        lanes,
        skip: o.skip,
        onStage: (name, seconds) => {
          console.log(`${name}: ${seconds.toFixed(0)} s`);
          done.push(`${name} ${seconds.toFixed(0)} s`);
          // An interrupted main job says which stages it finished.
          noteState(done, `stages done: ${done.join(', ')}`);
        },
      });
      const run = new RunFolder(config.runDir);
      if (run.hasMetrics()) for (const line of metricsHeadline(run.readMetrics())) console.log(line);
      console.log(`report: ${displayPath(report.file)} (${report.figures} figures)`);
      const minutes = ((Date.now() - started) / 60000).toFixed(1);
      console.log(`main job done in ${minutes} min (${times.map((t) => `${t.name} ${t.seconds.toFixed(0)} s`).join(', ')}): ${displayPath(config.runDir)}`);
      console.log(table.format());
      console.log(table.formatMemory());
    });
  },
});
