// The sbatch script of a job array: N units, unit i run by its own command
// line as array task i. The text is all here (pure, tested without a
// cluster); submitting it is slurm-client.ts's job.
//
// Shared file system assumed: the compute nodes must see the project, the
// node binary and the log folder at the same paths as the machine that
// submits (the usual set-up of a cluster's home and project file systems).
import * as path from 'path';

/** What sbatch passes on to the scheduler; every field is optional. */
export interface SlurmResources {
  partition?: string;
  /** Wall-time limit in one of Slurm's forms: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
  time?: string;
  cpusPerTask?: number;
  /** Memory per node, e.g. 4G or 4000 (MB). */
  mem?: string;
  /** Generic resources, e.g. gpu:1 or gpu:a100:2. */
  gres?: string;
  account?: string;
  qos?: string;
  /** Further sbatch options, one `#SBATCH` line each, e.g. '--constraint=avx2'. */
  extra?: string[];
}

export interface ArrayJob {
  /** The job name (letters, digits, . _ -); it also names the log files. */
  name: string;
  /** Unit i is array task i and runs commands[i] (argv, no shell). */
  commands: string[][];
  /** Absolute folder of the per-task logs (created before submitting). */
  logDir: string;
  /** Absolute folder the tasks run in (the project). */
  workDir: string;
  /** The node binary whose folder leads PATH in the tasks (default: this process's). */
  node?: string;
  /** Exported in every task, after the environment sbatch passes on. */
  env?: Record<string, string>;
  resources?: SlurmResources;
}

/** A task's files: Slurm's stdout and stderr and the exit status the script writes last. */
export interface TaskFiles {
  stdout: string;
  stderr: string;
  exit: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The forms sbatch's options take here: one place, for the script's checks and the command line's fields. */
export const SBATCH_FORMATS = {
  time: { pattern: /^(\d+-\d+(:\d+(:\d+)?)?|\d+(:\d+(:\d+)?)?)$/, expected: 'minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS' },
  mem: { pattern: /^\d+[KMGT]?$/, expected: 'a size such as 4000, 4G or 512M' },
  word: { pattern: /^[A-Za-z0-9][A-Za-z0-9._:,+()=/-]*$/, expected: 'one word (letters, digits and . _ : , + ( ) = / -)' },
  option: { pattern: /^--?[A-Za-z][^\n\0]*$/, expected: 'one option such as --constraint=avx2' },
} as const;

/** The base of a task's files, with `%A_%a` (Slurm's patterns) or the ids themselves. */
function taskBase(logDir: string, name: string, arrayJobId: string, taskId: string): string {
  return path.join(logDir, `${name}_${arrayJobId}_${taskId}`);
}

/** Where task `taskId` of array job `arrayJobId` logs and records its exit status. */
export function taskFiles(logDir: string, name: string, arrayJobId: string, taskId: number): TaskFiles {
  const base = taskBase(logDir, name, arrayJobId, String(taskId));
  return { stdout: `${base}.out`, stderr: `${base}.err`, exit: `${base}.exit` };
}

/** Single-quotes a word for bash (a quote inside becomes '\''). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Task ids as Slurm's --array spec: [0,1,2,5,7,8] → "0-2,5,7-8". */
export function arraySpec(taskIds: readonly number[]): string {
  const ids = [...new Set(taskIds)].sort((a, b) => a - b);
  if (ids.length === 0) throw new Error('a job array needs at least one task id');
  for (const id of ids) if (!Number.isInteger(id) || id < 0) throw new Error(`array task ids are integers ≥ 0, got ${id}`);
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    parts.push(i === j ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The problems of a job description, in words (empty when it can be submitted). */
export function arrayJobProblems(job: ArrayJob): string[] {
  const out: string[] = [];
  if (!NAME.test(job.name)) out.push(`job name "${job.name}": expected letters, digits, ".", "_" or "-"`);
  if (job.commands.length === 0) out.push('no units: a job array needs at least one command');
  job.commands.forEach((c, i) => {
    if (c.length === 0 || c[0] === '') out.push(`unit ${i}: empty command`);
    if (c.some((w) => w.includes('\n') || w.includes('\0'))) out.push(`unit ${i}: a word of the command holds a newline or NUL`);
  });
  for (const [what, dir] of [['log folder', job.logDir], ['working folder', job.workDir]] as const) {
    if (!path.isAbsolute(dir)) out.push(`${what} "${dir}": expected an absolute path (the compute nodes resolve it)`);
    if (/[\s%]/.test(dir)) out.push(`${what} "${dir}": Slurm's #SBATCH paths cannot hold white space or %`);
  }
  if (job.node !== undefined && !path.isAbsolute(job.node)) out.push(`node binary "${job.node}": expected an absolute path`);
  for (const [k, v] of Object.entries(job.env ?? {})) {
    if (!ENV_NAME.test(k)) out.push(`environment variable "${k}": not a valid name`);
    if (v.includes('\n') || v.includes('\0')) out.push(`environment variable ${k}: the value holds a newline or NUL`);
  }
  const r = job.resources ?? {};
  const bad = (format: keyof typeof SBATCH_FORMATS, v: string) => !SBATCH_FORMATS[format].pattern.test(v);
  if (r.time !== undefined && bad('time', r.time)) out.push(`--time "${r.time}": expected ${SBATCH_FORMATS.time.expected}`);
  if (r.mem !== undefined && bad('mem', r.mem)) out.push(`--mem "${r.mem}": expected ${SBATCH_FORMATS.mem.expected}`);
  if (r.cpusPerTask !== undefined && !(Number.isInteger(r.cpusPerTask) && r.cpusPerTask >= 1)) out.push(`--cpus-per-task ${r.cpusPerTask}: expected an integer ≥ 1`);
  for (const [flag, v] of [['--partition', r.partition], ['--gres', r.gres], ['--account', r.account], ['--qos', r.qos]] as const) {
    if (v !== undefined && bad('word', v)) out.push(`${flag} "${v}": expected ${SBATCH_FORMATS.word.expected}`);
  }
  for (const e of r.extra ?? []) {
    if (bad('option', e)) out.push(`sbatch argument "${e}": expected ${SBATCH_FORMATS.option.expected}`);
  }
  return out;
}

/** The #SBATCH lines of the resources, in sbatch's own spelling. */
export function resourceDirectives(r: SlurmResources = {}): string[] {
  const lines: string[] = [];
  if (r.partition) lines.push(`--partition=${r.partition}`);
  if (r.time) lines.push(`--time=${r.time}`);
  if (r.cpusPerTask !== undefined) lines.push(`--cpus-per-task=${r.cpusPerTask}`);
  if (r.mem) lines.push(`--mem=${r.mem}`);
  if (r.gres) lines.push(`--gres=${r.gres}`);
  if (r.account) lines.push(`--account=${r.account}`);
  if (r.qos) lines.push(`--qos=${r.qos}`);
  lines.push(...(r.extra ?? []));
  return lines;
}

/**
 * The script: #SBATCH directives (one task per unit, logs per task as
 * <logDir>/<name>_%A_%a.out|err), then a `case` that runs unit
 * $SLURM_ARRAY_TASK_ID's command and records its exit status in
 * <name>_<array job>_<task>.exit — so a finished task's outcome is known
 * after the controller has forgotten the job, on clusters without
 * accounting (sacct).
 */
export function batchScript(job: ArrayJob): string {
  const problems = arrayJobProblems(job);
  if (problems.length) throw new Error(`cannot write the sbatch script of "${job.name}":\n  ${problems.join('\n  ')}`);
  const node = job.node ?? process.execPath;
  const base = taskBase(job.logDir, job.name, '%A', '%a');
  const directives = [
    `--job-name=${job.name}`,
    `--array=${arraySpec(job.commands.map((_, i) => i))}`,
    `--output=${base}.out`,
    `--error=${base}.err`,
    `--chdir=${job.workDir}`,
    ...resourceDirectives(job.resources),
  ];
  const exitFile = `${shellQuote(path.join(job.logDir, `${job.name}_`))}"\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}.exit"`;
  return [
    '#!/bin/bash',
    ...directives.map((d) => `#SBATCH ${d}`),
    `# Written by smile-lens: ${job.commands.length} unit${job.commands.length === 1 ? '' : 's'}, array task i runs unit i.`,
    '# Shared file system assumed: the compute nodes see the project, node and',
    '# the log folder at the paths of the machine that submitted this script.',
    'set -u',
    `export PATH=${shellQuote(path.dirname(node))}:"$PATH"`,
    ...Object.entries(job.env ?? {}).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `exit_file=${exitFile}`,
    'rm -f "$exit_file"',
    'case "$SLURM_ARRAY_TASK_ID" in',
    ...job.commands.map((c, i) => `  ${i}) ${c.map(shellQuote).join(' ')} ;;`),
    '  *) echo "smile-lens: no unit for array task $SLURM_ARRAY_TASK_ID" >&2; (exit 2) ;;',
    'esac',
    'status=$?',
    'echo "$status" > "$exit_file"',
    'exit "$status"',
    '',
  ].join('\n');
}
