// The command-line face of the run configuration: groups of flags (each a
// field of lib/config with its range) and the one translation from parsed
// flags to RunConfig overrides. Commands combine the groups they need.
import * as path from 'path';
import { CHANNEL_FIELD, EXPERIMENT_FIELDS, EXPERIMENT_DEFAULTS } from '../config/experiment';
import { EXPLAIN_FIELDS, ExplainConfig } from '../config/explain';
import { AUDIT_FIELDS } from '../config/audit';
import { SANITY_DEFAULTS, SANITY_FIELDS } from '../config/sanity';
import { BIAS_SWEEP_FIELDS, SWEEP_SYNTHETIC_FIELDS } from '../config/bias-sweep';
import { MASKING_FIELDS } from '../config/masking';
import { BASELINE_STUDY_FIELDS } from '../config/baseline-study';
import { PRESETS, RunConfig, runConfig, RunConfigOverrides, PresetName } from '../config/run-config';
import { ConfigError, bool, choice, int, list, repeated, text, Parsed, Field } from '../config/schema';
import { EXPRESSIONS } from '../data/expressions';
import { EXPLAINERS, optionFlag } from '../explain/registry';
import { SBATCH_FORMATS, SlurmResources } from '../executor/slurm/batch-script';
import { SlurmClient } from '../executor/slurm/slurm-client';
import { displayPath } from '../run/locations';
import { RunFolder, slurmFolderOf } from '../run/run-folder';
import type { Executor } from '../worker/executor';
import { localExecutor } from '../worker/local-executor';
import { ChainContinues, claimFolder, slurmExecutor, SlurmSettings, submitChain } from '../worker/slurm-executor';
import { Invocation, UsageError } from './command';

export const EXECUTORS = ['local', 'slurm'] as const;

const sbatchText = (format: keyof typeof SBATCH_FORMATS, describe: string, placeholder: string) => text({ describe, placeholder, ...SBATCH_FORMATS[format] });

/** Who runs the units of a stage that fans out: worker processes here, or Slurm jobs (with sbatch's options). */
export const EXECUTION_OPTIONS = {
  executor: choice(EXECUTORS, { describe: 'who runs the units (seeds): local worker processes, or Slurm job arrays (README "On a cluster")', default: 'local' }),
  jobs: int({ min: 1, max: 1024, describe: 'local: worker processes at once (default: the number of cores)' }),
  wait: bool({ describe: 'slurm: follow the jobs with the progress line and merge here (default: submit the run as a chain of jobs, print the ids, exit)' }),
  partition: sbatchText('word', 'slurm: sbatch --partition', '<name>'),
  time: sbatchText('time', "slurm: sbatch --time, each job's wall-time limit", '<limit>'),
  'cpus-per-task': int({ min: 1, max: 1024, describe: 'slurm: sbatch --cpus-per-task' }),
  mem: sbatchText('mem', 'slurm: sbatch --mem, memory per job (e.g. 8G)', '<size>'),
  gres: sbatchText('word', 'slurm: sbatch --gres, e.g. gpu:1 for nodes where the tensorflow-gpu backend runs', '<gres>'),
  account: sbatchText('word', 'slurm: sbatch --account', '<account>'),
  qos: sbatchText('word', 'slurm: sbatch --qos', '<qos>'),
  'sbatch-arg': repeated(sbatchText('option', 'an sbatch option', '<--option=value>'), { describe: 'slurm: any other sbatch option, whole (repeatable), e.g. --sbatch-arg=--constraint=avx2' }),
  'slurm-chain': bool({ hidden: true, describe: 'internal: this process is a job of a Slurm chain' }),
};

type ExecutionFlags = Partial<Parsed<typeof EXECUTION_OPTIONS>>;

/** sbatch's options from the flags. */
export function slurmResources(o: ExecutionFlags): SlurmResources {
  const r: SlurmResources = { partition: o.partition, time: o.time, cpusPerTask: o['cpus-per-task'], mem: o.mem, gres: o.gres, account: o.account, qos: o.qos, extra: o['sbatch-arg'] };
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as SlurmResources;
}

const SLURM_ONLY = ['wait', 'partition', 'time', 'cpus-per-task', 'mem', 'gres', 'account', 'qos', 'sbatch-arg', 'slurm-chain'] as const;

/**
 * Runs a command's stages on the executor its flags choose — the one place
 * that builds an executor from the command line. `folder` is the run (or
 * sweep) folder whose slurm/ keeps the jobs. With Slurm and no --wait,
 * nothing runs here: the command itself is submitted as the first job of a
 * chain (lib/worker/slurm-executor.ts), which runs the stages and submits
 * their arrays, each followed by a job that resumes the command.
 */
export async function runStages(o: ExecutionFlags, folder: string, invocation: Invocation | undefined, stages: (ctx: { executor: Executor }) => Promise<void>): Promise<number | void> {
  if (o.executor !== 'slurm') {
    const given = SLURM_ONLY.filter((k) => o[k] !== undefined && o[k] !== false);
    if (given.length) throw new UsageError(`--${given[0]}: only with --executor slurm`);
    return stages({ executor: localExecutor({ jobs: o.jobs }) });
  }
  if (o.jobs !== undefined) throw new UsageError('--jobs: sets the local executor\'s worker processes; on Slurm the scheduler decides how many tasks run at once');
  if (o.wait && o['slurm-chain']) throw new UsageError('--wait: not inside a chain of Slurm jobs');
  if (!invocation) throw new Error('--executor slurm: needs the command line as typed (run the command through smile-lens)');
  const settings: SlurmSettings = {
    folder: slurmFolderOf(folder),
    resources: slurmResources(o),
    command: [invocation.name, ...invocation.argv],
    client: new SlurmClient(),
    log: (line) => console.log(line),
  };
  try {
    await settings.client.hasAccounting();
  } catch (e) {
    throw new Error(`--executor slurm: cannot reach a Slurm controller (${(e as Error).message}); run on a login node of the cluster, or start this machine's test cluster (npm run slurm-cluster -- start; export SLURM_CONF=…)`);
  }
  await claimFolder(settings);
  if (o.wait) return stages({ executor: slurmExecutor(settings, 'wait') });
  if (!o['slurm-chain']) {
    const first = await submitChain(settings);
    const dir = displayPath(folder);
    console.log(
      [
        `submitted job ${first.jobId}: \`smile-lens ${settings.command.join(' ')}\` runs on Slurm as a chain of jobs (each stage's units a job array, then a job that resumes the command after it: merges, goes on)`,
        `  follow: smile-lens status --run ${dir} [--wait]   (or squeue --me)`,
        `  logs:   ${displayPath(settings.folder.logDir)}`,
        `  cancel: smile-lens status --run ${dir} --cancel`,
      ].join('\n'),
    );
    return 0;
  }
  try {
    await stages({ executor: slurmExecutor(settings, 'chain') });
    // This job's own times cover only its part: say how long the whole chain took.
    const first = settings.folder.readSubmissions().filter((r) => r.role === 'chain' && !r.afterOk).pop();
    const minutes = first ? ` in ${((Date.now() - Date.parse(first.submitted)) / 60000).toFixed(1)} min since job ${first.jobId} was submitted` : '';
    console.log(`the chain of Slurm jobs is done${minutes}: ${displayPath(folder)}`);
  } catch (e) {
    if (!(e instanceof ChainContinues)) throw e;
    console.log(e.message);
  }
}

export const PRESET_OPTIONS = {
  preset: choice(PRESETS, { describe: 'configuration: full (default), paper (its own choices everywhere), small (a quick look, as the tests use it; env SMILE_LENS_SMALL=1)' }),
  small: bool({ describe: 'the small configuration (same as --preset small)' }),
};

export const RUN_OPTION = {
  run: text({ describe: 'a run folder made by `smile-lens train` (or the main job)', required: true, placeholder: '<folder>' }),
};

export const TRAIN_OPTIONS = {
  seeds: int({ min: 1, max: 1000, describe: 'how many seeds (runs): seed i fixes weights, shuffling and split', default: EXPERIMENT_DEFAULTS.seeds.length, placeholder: '<k>' }),
  epochs: EXPERIMENT_FIELDS.epochs,
  size: EXPERIMENT_FIELDS.size,
  batch: EXPERIMENT_FIELDS.batchSize,
  lr: EXPERIMENT_FIELDS.learningRate,
  validation: EXPERIMENT_FIELDS.validationFraction,
  channels: CHANNEL_FIELD,
  crop: EXPERIMENT_FIELDS.crop,
  'limit-per-class': EXPERIMENT_FIELDS.limitPerClass,
  'class-weights': EXPERIMENT_FIELDS.classWeights,
  out: text({ describe: 'run folder (default: outputs/runs/<id from the settings>; an existing one resumes)', placeholder: '<folder>' }),
};

/**
 * Each method's options as flags, without defaults (the preset's, then the
 * method's, apply). The help names the default a stage uses: `defaults`'
 * (e.g. the sanity checks' budget) where given, else the method's own.
 */
export function methodOptionFlags(defaults: Record<string, Record<string, unknown>> = {}): Record<string, Field<unknown>> {
  const flags: Record<string, Field<unknown>> = {};
  for (const e of EXPLAINERS) {
    const fields: [string, Field<unknown>][] = Object.entries(e.options);
    for (const [key, field] of fields) {
      const value = defaults[e.name]?.[key] ?? field.default;
      flags[optionFlag(e, key)] = { ...field, default: undefined, describe: `${field.describe} (default: ${value === '' ? 'none' : value})` };
    }
  }
  return flags;
}

/** The per-method options given as flags (see methodOptionFlags), or undefined when none is. */
export function methodOptionOverrides(o: Record<string, unknown>): Record<string, Record<string, unknown>> | undefined {
  const options: Record<string, Record<string, unknown>> = {};
  for (const e of EXPLAINERS) {
    for (const key of Object.keys(e.options)) {
      const v = o[optionFlag(e, key)];
      if (v !== undefined) (options[e.name] ??= {})[key] = v;
    }
  }
  return Object.keys(options).length ? options : undefined;
}

export const EXPLAIN_OPTIONS = {
  method: EXPLAIN_FIELDS.methods,
  class: text({ describe: `class to explain: ${EXPRESSIONS.join(', ')} or 0–${EXPRESSIONS.length - 1} (default: the predicted one)`, placeholder: `<${EXPRESSIONS.join('|')}|index>` }),
  images: EXPLAIN_FIELDS.images,
  limit: int({ min: 0, max: 1_000_000, describe: 'at most n images per seed, balanced over expressions (0 = all; default: the preset\'s)' }),
  target: EXPLAIN_FIELDS.target,
  ...methodOptionFlags(),
};

export const SEED_SUBSET_OPTION = {
  seeds: list(int({ min: 0, max: 2 ** 31 - 1, describe: 'a seed' }), { describe: "which of the run's seeds (default: all finished ones)", unique: true, placeholder: '<1,2,…>' }),
};

export const AUDIT_OPTIONS = {
  methods: AUDIT_FIELDS.methods,
  deletion: AUDIT_FIELDS.deletion,
  fills: AUDIT_FIELDS.fills,
  'random-draws': AUDIT_FIELDS.randomDraws,
  regions: AUDIT_FIELDS.regions,
};

export const SANITY_OPTIONS = {
  methods: SANITY_FIELDS.methods,
  images: SANITY_FIELDS.images,
  'random-labels': SANITY_FIELDS.randomLabels,
  'random-label-epochs': SANITY_FIELDS.randomLabelEpochs,
  ...methodOptionFlags(SANITY_DEFAULTS.options),
};

export const SWEEP_OPTIONS = {
  feature: choice(['hair', 'background'] as const, { describe: 'where the planted colour goes (default: hair)' }),
  strengths: BIAS_SWEEP_FIELDS.strengths,
  subjects: SWEEP_SYNTHETIC_FIELDS.subjects,
  'expressive-subjects': SWEEP_SYNTHETIC_FIELDS.expressiveSubjects,
  seeds: int({ min: 1, max: 1000, describe: 'seeds per strength', placeholder: '<k>' }),
  epochs: int({ min: 1, max: 10_000, describe: 'epochs per seed' }),
  size: int({ min: 16, max: 1024, describe: 'input side in pixels', placeholder: '<px>' }),
};

export const MASKING_OPTIONS = { regions: MASKING_FIELDS.regions };

export const BASELINE_STUDY_OPTIONS = {
  methods: BASELINE_STUDY_FIELDS.methods,
  baselines: BASELINE_STUDY_FIELDS.baselines,
  images: BASELINE_STUDY_FIELDS.images,
  'sweep-images': BASELINE_STUDY_FIELDS.sweepImages,
  target: EXPLAIN_FIELDS.target,
  fills: AUDIT_FIELDS.fills,
  'random-draws': AUDIT_FIELDS.randomDraws,
};

type Flags<S> = Partial<Parsed<S>>;

/** The preset the flags name (--preset, or --small), else the environment's. */
export function presetOf(o: { preset?: PresetName; small?: boolean }): PresetName | undefined {
  if (o.small && o.preset && o.preset !== 'small') throw new UsageError(`--small and --preset ${o.preset} contradict each other`);
  return o.small ? 'small' : o.preset;
}

export function trainOverrides(o: Flags<typeof TRAIN_OPTIONS>): RunConfigOverrides['experiment'] {
  const out: NonNullable<RunConfigOverrides['experiment']> = {};
  if (o.seeds !== undefined) out.seeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
  if (o.epochs !== undefined) out.epochs = o.epochs;
  if (o.size !== undefined) out.size = o.size;
  if (o.batch !== undefined) out.batchSize = o.batch;
  if (o.lr !== undefined) out.learningRate = o.lr;
  if (o.validation !== undefined) out.validationFraction = o.validation;
  if (o.channels !== undefined) out.model = { ...EXPERIMENT_DEFAULTS.model, channels: o.channels, strides: o.channels.map(() => 2) };
  if (o.crop !== undefined) out.crop = o.crop;
  if (o['limit-per-class'] !== undefined) out.limitPerClass = o['limit-per-class'];
  if (o['class-weights'] !== undefined) out.classWeights = o['class-weights'];
  return out;
}

function classIndexOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const c = value.toUpperCase();
  const named = (EXPRESSIONS as readonly string[]).indexOf(c);
  if (named >= 0) return named;
  if (/^\d+$/.test(c) && Number(c) < EXPRESSIONS.length) return Number(c);
  throw new UsageError(`--class: expected one of ${EXPRESSIONS.join(', ')} or 0–${EXPRESSIONS.length - 1}, got "${value}"`);
}

export function explainOverrides(o: Record<string, unknown> & Flags<typeof EXPLAIN_OPTIONS>): Partial<ExplainConfig> {
  const out: Partial<ExplainConfig> = {};
  if (o.method !== undefined) out.methods = o.method;
  if (o.images !== undefined) out.images = o.images;
  if (o.limit !== undefined) out.limit = o.limit;
  if (o.target !== undefined) out.target = o.target;
  const classIndex = classIndexOf(o.class);
  if (classIndex !== undefined) out.classIndex = classIndex;
  const options = methodOptionOverrides(o);
  if (options) out.options = options;
  return out;
}

/** The configuration of an existing run folder: its own training settings, the preset's for the rest. */
export function configForRun(dir: string, overrides: Omit<RunConfigOverrides, 'data' | 'experiment' | 'runDir'> = {}): RunConfig {
  const run = new RunFolder(path.resolve(dir));
  const { data, ...experiment } = run.readConfig().experiment;
  return checked(() => runConfig({ ...overrides, data, experiment, runDir: run.dir }));
}

/** A configuration error is a usage error: the user gave a setting out of range. */
export function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}
