// `smile-lens experiment` (npm run experiment): the main job on the default
// synthetic data — generate it if missing, train the paper's network on five
// seeds, explain every seed, audit where the attributions go, and write the
// report. Every stage resumes: running it again continues where it stopped.
import type { Command } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { currentPreset, ensureSyntheticData, SMALL_ENV } from '../../pipeline/presets';
import { progressCallback } from '../../progress/reporter';
import { trainCommand } from './train';
import { explainCommand } from './explain';
import { auditCommand } from './audit';
import { biasSweepCommand } from './bias-sweep';
import { sanityCommand } from './sanity';
import { retrainMaskedCommand } from './retrain-masked';
import { runBiasSweepFolder, writeReport } from '../../pipeline/report';
import { SANITY_SEEDS } from '../../pipeline/sanity-checks';

/** The bias audit's experiments after the audit itself; `--skip` leaves some out. */
const AUDIT_EXPERIMENTS = ['bias-sweep', 'sanity', 'retrain-masked'] as const;

const command: Command = {
  name: 'experiment',
  summary: 'the main job: default data → train 5 seeds → explain → audit → report (resumable)',
  options: [
    { name: 'small', kind: 'boolean', description: `the small configuration (as ${SMALL_ENV}=1): a quick look, as the tests use it` },
    { name: 'jobs', kind: 'number', value: '<n>', description: 'worker processes at once (default: cores)' },
    { name: 'skip', kind: 'list', value: `<${AUDIT_EXPERIMENTS.join(',')}>`, description: 'audit experiments to leave out of this run' },
  ],
  async run(o) {
    const started = Date.now();
    const skip = (o.skip as string[] | undefined) ?? [];
    for (const k of skip) if (!(AUDIT_EXPERIMENTS as readonly string[]).includes(k)) throw new Error(`--skip expects some of ${AUDIT_EXPERIMENTS.join(', ')}, got "${k}"`);
    if (o.small) process.env[SMALL_ENV] = '1';
    const p = currentPreset();
    const backend = await chooseBackend(o.backend as string | undefined);
    console.log(`${describeBackend(backend)}\nconfiguration: ${p.name}`);

    // Each stage resumes on its own; the times say where the main job spends them.
    const times: string[] = [];
    const stage = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const at = Date.now();
      const result = await work();
      const seconds = ((Date.now() - at) / 1000).toFixed(0);
      times.push(`${name} ${seconds} s`);
      console.log(`${name}: ${seconds} s`);
      return result;
    };

    const data = await stage('data', () => ensureSyntheticData(p, progressCallback('generating the synthetic data set')));
    console.log(data.generated ? `generated ${data.folder} in ${data.seconds.toFixed(0)} s` : `data: ${data.folder}`);

    const cfg = p.experiment;
    await stage('training', () =>
      trainCommand(
        {
          seeds: cfg.seeds.length,
          epochs: cfg.epochs,
          size: cfg.size,
          batch: cfg.batchSize,
          lr: cfg.learningRate,
          validation: cfg.validationFraction,
          channels: cfg.model.channels.map(String),
          crop: cfg.crop,
          'limit-per-class': cfg.limitPerClass,
          jobs: o.jobs,
          out: p.runDir,
        },
        p.dataFolder,
        backend.name,
      ),
    );

    const e = p.explain;
    await stage('explanations', () =>
      explainCommand(
        p.runDir,
        { method: e.methods, split: 'validation', limit: e.limit, samples: e.samples, stdev: e.stdev, baseline: e.baseline, 'shap-seed': e.seed, jobs: o.jobs },
        backend.name,
      ),
    );
    await stage('audit (experiment 1)', () => auditCommand(p.runDir, { methods: e.methods, jobs: o.jobs }, backend.name));
    if (!skip.includes('bias-sweep')) await stage('planted-bias sweep (experiment 2)', () => biasSweepCommand({ out: runBiasSweepFolder(p.runDir), jobs: o.jobs }, backend.name));
    if (!skip.includes('sanity')) await stage('sanity checks (experiment 3)', () => sanityCommand(p.runDir, { jobs: o.jobs, seeds: cfg.seeds.slice(0, SANITY_SEEDS).map(String) }, backend.name));
    if (!skip.includes('retrain-masked')) await stage('masked retraining (experiment 4)', () => retrainMaskedCommand(p.runDir, { jobs: o.jobs }, backend.name));
    const report = writeReport(p.runDir);
    console.log(`report: ${report.file} (${report.figures} figures)`);
    console.log(`main job done in ${((Date.now() - started) / 60000).toFixed(1)} min (${times.join(', ')}): ${p.runDir}`);
  },
};
export default command;
