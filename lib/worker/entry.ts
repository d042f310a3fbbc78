// The entry point of every worker process (local pool or Slurm task): reads
// one job, chooses the backend the job names, runs the job's kind, and
// reports progress to its parent over IPC (or as lines on stderr when it has
// no parent, as under Slurm). Not a public command: users never type it.
//
//   node <entry> --job '<json>'
//   node <entry> --jobs-file <units.json> --index <i> [--progress-file <f>]
//                                  (Slurm array tasks: i = $SLURM_ARRAY_TASK_ID; the
//                                   progress messages go to <f>, see progress-file.ts)
import * as fs from 'fs';
import { PARENT_ENV } from './children';
import type { Job, WorkerMessage } from './job';
import { progressAppender } from './progress-file';
import { usageMeter } from './usage';

export interface UnitsFile {
  jobs: Job[];
}

function argument(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function readJob(argv: string[], env: NodeJS.ProcessEnv = process.env): Job {
  const inline = argument(argv, '--job');
  if (inline) return JSON.parse(inline) as Job;
  const file = argument(argv, '--jobs-file');
  if (!file) throw new Error('worker: expected --job <json> or --jobs-file <file> --index <i>');
  const index = Number(argument(argv, '--index') ?? env.SLURM_ARRAY_TASK_ID);
  const units = JSON.parse(fs.readFileSync(file, 'utf8')) as UnitsFile;
  const job = units.jobs[index];
  if (!job) throw new Error(`worker: ${file} has no job ${index} (it lists ${units.jobs.length})`);
  return job;
}

/**
 * Ends this worker as soon as its parent is gone (killed, crashed), even
 * while a long synchronous computation (a training epoch, a GradientSHAP
 * batch) keeps the event loop from seeing the IPC channel close: a thread
 * of its own watches the parent's pid (an orphan is adopted by another).
 */
function dieWithParent(): void {
  // The parent may be gone already (killed while this process started).
  const parent = Number(process.env[PARENT_ENV]) || process.ppid;
  if (!process.connected || process.ppid !== parent) process.exit(130);
  process.on('disconnect', () => process.exit(130));
  const { Worker } = require('worker_threads') as typeof import('worker_threads');
  const watch = `const { workerData } = require('worker_threads');
setInterval(() => { if (process.ppid !== workerData.parent) process.kill(workerData.pid, 'SIGKILL'); }, ${PARENT_POLL_MS});`;
  new Worker(watch, { eval: true, workerData: { parent, pid: process.pid }, execArgv: [] }).unref();
}

/** How often a worker looks for its parent. */
const PARENT_POLL_MS = 200;

export async function runWorker(argv: string[]): Promise<void> {
  const job = readJob(argv);
  // A local pool's worker (it has an IPC channel) dies with its parent; a Slurm task belongs to Slurm.
  if (process.send) dieWithParent();
  const { chooseBackend } = require('../backend/select') as typeof import('../backend/select');
  await chooseBackend(job.backend);
  const { jobKind } = require('./job-kinds') as typeof import('./job-kinds');
  const kind = jobKind(job.kind);
  const meter = usageMeter();
  let lastLine = 0;
  const progressFile = argument(argv, '--progress-file');
  const toFile = progressFile ? progressAppender(progressFile) : undefined;
  const result = await kind.run(job.payload, {
    progress: (message) => {
      if (process.send) return process.send({ type: 'progress', message } satisfies WorkerMessage);
      toFile?.write(message);
      if (Date.now() - lastLine > 10_000) {
        lastLine = Date.now();
        process.stderr.write(`${kind.describe(job.payload)}: ${JSON.stringify(message)}\n`);
      }
    },
  });
  toFile?.close();
  const usage = meter.finish();
  if (process.send) await new Promise<void>((resolve) => process.send!({ type: 'result', result, usage } satisfies WorkerMessage, () => resolve()));
  else {
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    process.stderr.write(`${kind.describe(job.payload)}: done in ${usage.jobSeconds.toFixed(1)} s (start ${usage.startSeconds.toFixed(1)} s, CPU ${usage.cpuSeconds.toFixed(1)} s, peak memory ${mb(usage.vmHwm ?? usage.rssPeak)})\n`);
  }
}

if (require.main === module) {
  runWorker(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      if (process.env.SMILE_LENS_DEBUG) process.stderr.write(`${e.stack}\n`);
      process.exit(1);
    },
  );
}
