// The Slurm executor: the pieces without a cluster (progress files, the
// command line's Slurm options, which failures still stand), then `smile-lens
// train` on the project's real single-node cluster (slurm-cluster-fixture.ts)
// with two seeds of one epoch each: a task that fails is reported with its
// log and re-run alone by running the command again (the finished seed is
// not trained again); the same run as a chain of jobs without --wait gives
// the same metrics; and cancelling a run leaves no task process. The main
// job through Slurm against a local run is in main-job.test.ts.
import * as assert from 'assert';
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseOptions, UsageError } from '../lib/cli/command';
import trainCommand from '../lib/cli/commands/train';
import { runStages, slurmResources } from '../lib/cli/run-options';
import { runConfig } from '../lib/config/run-config';
import type { UnitStatus } from '../lib/executor/slurm/slurm-client';
import { runCommand } from '../lib/executor/slurm/run-command';
import { ensureData } from '../lib/pipeline/stages';
import type { SlurmSubmissionRecord } from '../lib/run/files';
import { RunFolder } from '../lib/run/run-folder';
import { progressAppender, readProgress } from '../lib/worker/progress-file';
import { outstandingFailures, SubmissionState } from '../lib/worker/slurm-executor';
import { useLocalCluster } from './slurm-cluster-fixture';

const BACKEND = process.env.SMILE_LENS_BACKEND ?? 'wasm';
const BIN = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');

describe('Slurm executor: progress files', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-progress-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('coalesces messages to a few lines a second, always writes the last, and hands each reader only what is new', () => {
    const file = path.join(dir, 'p', 'unit-0.jsonl');
    let now = 0;
    const out = progressAppender(file, 500, () => now);
    for (let step = 1; step <= 10; step++) {
      out.write({ step });
      now += 100; // ten messages in one second
    }
    const first = readProgress(file, 0);
    assert.deepStrictEqual(first.messages, [{ step: 1 }, { step: 6 }]);
    out.close();
    const second = readProgress(file, first.offset);
    assert.deepStrictEqual(second.messages, [{ step: 10 }]);
    assert.deepStrictEqual(readProgress(file, second.offset).messages, []);
    // A line still being written waits for the next read.
    fs.appendFileSync(file, '{"step":');
    const partial = readProgress(file, second.offset);
    assert.deepStrictEqual(partial, { messages: [], offset: second.offset });
    fs.appendFileSync(file, '11}\n');
    assert.deepStrictEqual(readProgress(file, partial.offset).messages, [{ step: 11 }]);
    assert.deepStrictEqual(readProgress(path.join(dir, 'none.jsonl'), 0), { messages: [], offset: 0 });
  });
});

describe('Slurm executor: command-line options', () => {
  const parse = (...argv: string[]) => parseOptions(trainCommand, ['--data', 'x', ...argv]);

  it('passes sbatch options through as typed fields, --sbatch-arg whole and repeatable', () => {
    const o = parse('--executor', 'slurm', '--partition', 'gpu', '--time', '1-02:00', '--cpus-per-task', '4', '--mem', '16G', '--gres', 'gpu:a100:1', '--account', 'lab', '--qos', 'high', '--sbatch-arg=--constraint=avx2,sse4', '--sbatch-arg=--exclusive');
    assert.deepStrictEqual(slurmResources(o), { partition: 'gpu', time: '1-02:00', cpusPerTask: 4, mem: '16G', gres: 'gpu:a100:1', account: 'lab', qos: 'high', extra: ['--constraint=avx2,sse4', '--exclusive'] });
    assert.deepStrictEqual(slurmResources(parse()), {});
    assert.strictEqual(parse().executor, 'local');
  });

  it('refuses a malformed value before any work starts, naming the option and the form expected', () => {
    const refused = (argv: string[], message: RegExp) => assert.throws(() => parse(...argv), (e: Error) => e instanceof UsageError && message.test(e.message));
    refused(['--executor', 'pbs'], /--executor: expected one of local, slurm, got "pbs"/);
    refused(['--executor', 'slurm', '--time', '2 hours'], /--time: expected minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, got "2 hours"/);
    refused(['--executor', 'slurm', '--mem', '4 GB'], /--mem: expected a size such as 4000, 4G or 512M/);
    refused(['--executor', 'slurm', '--gres', 'gpu 1'], /--gres: expected one word/);
    refused(['--executor', 'slurm', '--cpus-per-task', '0'], /--cpus-per-task: expected a whole number from 1 to 1024/);
    refused(['--executor', 'slurm', '--sbatch-arg=constraint=avx2'], /--sbatch-arg: expected one option such as --constraint=avx2, got "constraint=avx2"/);
  });

  it('refuses Slurm options with the local executor, and --jobs with Slurm, before running or submitting anything', async () => {
    for (const [argv, message] of [
      [['--wait'], /--wait: only with --executor slurm/],
      [['--partition', 'gpu'], /--partition: only with --executor slurm/],
      [['--executor', 'slurm', '--jobs', '2'], /--jobs: sets the local executor's worker processes/],
    ] as const) {
      await assert.rejects(
        runStages(parse(...argv), os.tmpdir(), { name: 'train', argv: [] }, async () => assert.fail('the stages ran')),
        (e: Error) => e instanceof UsageError && message.test(e.message),
      );
    }
  });
});

describe('Slurm executor: failures that still stand', () => {
  const record = (jobId: string, role: SlurmSubmissionRecord['role'], what: string[], afterOk?: string[]): SlurmSubmissionRecord => ({
    id: `00${jobId}-${role}`,
    jobId,
    name: `smile-lens.${role}`,
    script: '',
    logDir: '/logs',
    units: what.map((_, i) => i),
    afterOk,
    role,
    what,
    command: ['train'],
    workDir: '/',
    submitted: '',
  });
  const unit = (i: number, state: UnitStatus['state']): UnitStatus => ({ unit: i, jobId: `x_${i}`, state, stdout: '', stderr: '' });

  it('counts a failed unit until a later job completes it, and a chain only by its last link', () => {
    const states: SubmissionState[] = [
      { record: record('1', 'chain', ['driver']), units: [unit(0, 'completed')] },
      { record: record('2', 'units', ['seed 1', 'seed 2']), units: [unit(0, 'completed'), unit(1, 'failed')] },
      { record: record('4', 'chain', ['link'], ['2', '1']), units: [unit(0, 'blocked')] },
    ];
    assert.deepStrictEqual(outstandingFailures(states).map((f) => `${f.record.jobId}:${f.what}`), ['2:seed 2', '4:link']);
    // The run again: the blocked link was cancelled, seed 2 re-run alone.
    states[2].units = [unit(0, 'cancelled')];
    states.push({ record: record('5', 'units', ['seed 2']), units: [unit(0, 'completed')] });
    assert.deepStrictEqual(outstandingFailures(states), []);
  });
});

describe('Slurm executor: `smile-lens train` on a real single-node cluster', function () {
  this.timeout(300_000);
  const cluster = useLocalCluster();
  let tmp: string;
  let data: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-slurm-exec-'));
    data = (await ensureData(runConfig({ preset: 'small' }), () => undefined)).folder;
  });
  after(async () => {
    if (!tmp) return;
    // A failed case may leave jobs queued: they go before their folder does.
    const ids = fs.readdirSync(tmp).flatMap((d) => (fs.existsSync(path.join(tmp, d, 'slurm')) ? submissions(d).map((s) => s.jobId) : []));
    if (ids.length) await runCommand('scancel', ids, { env: cluster.env });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const env = () => ({ ...process.env, ...cluster.env, SMILE_LENS_BACKEND: BACKEND });
  const smileLens = (...argv: string[]): SpawnSyncReturns<string> => spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', env: env(), cwd: tmp });
  const train = (out: string, ...more: string[]) => smileLens('train', '--data', data, '--small', '--seeds', '2', '--epochs', '1', '--out', out, '--executor', 'slurm', ...more);
  const submissions = (out: string) => new RunFolder(path.join(tmp, out)).slurm.readSubmissions();
  const metricsWithoutTimes = (out: string) => JSON.stringify(JSON.parse(fs.readFileSync(new RunFolder(path.join(tmp, out)).metricsFile, 'utf8'), (k, v) => (k === 'seconds' ? undefined : v)));

  it('reports a failed task with its log, and runs it alone again when the command is run again', () => {
    const run = new RunFolder(path.join(tmp, 'failing'));
    // A corrupt checkpoint: seed 2's task fails when it resumes from it.
    fs.mkdirSync(run.seed(2).dir, { recursive: true });
    fs.writeFileSync(run.seed(2).checkpointFile, 'not json');
    const first = train('failing', '--wait');
    assert.strictEqual(first.status, 1, first.stdout + first.stderr);
    const [units] = submissions('failing');
    const log = path.join(units.logDir, `${units.name}_${units.jobId}_1.err`);
    assert.match(first.stderr, new RegExp(`seed 2: Slurm task ${units.jobId}_1 failed \\(exit 1\\): ${run.seed(2).checkpointFile}: expected a checkpoint pointer`));
    assert.ok(first.stderr.includes(`log: ${log}`), first.stderr);
    assert.match(fs.readFileSync(log, 'utf8'), /expected a checkpoint pointer, but it is not valid JSON/);
    assert.ok(run.seed(1).isTrained() && !run.seed(2).readResult(), 'seed 1 is saved, seed 2 is not');

    const status = smileLens('status', '--run', 'failing');
    assert.strictEqual(status.status, 1, status.stderr);
    assert.match(status.stdout, /^ {2}1 {5}done, \d+\.\d%/m);
    assert.match(status.stdout, new RegExp(`job ${units.jobId} +2 tasks train-seed: 1 completed, 1 failed`));
    assert.ok(status.stdout.includes(`training seed 2: Slurm task ${units.jobId}_1 failed (exit 1)`), status.stdout);
    assert.ok(status.stdout.includes(`log: ${log}`), status.stdout);
    assert.ok(status.stdout.includes(`cd ${tmp} && smile-lens train --data ${data} --small --seeds 2 --epochs 1 --out failing --executor slurm --wait`), status.stdout);

    fs.rmSync(run.seed(2).checkpointFile);
    const seed1 = fs.statSync(run.seed(1).resultFile).mtimeMs;
    const again = train('failing', '--wait');
    assert.strictEqual(again.status, 0, again.stdout + again.stderr);
    const rerun = submissions('failing')[1];
    assert.deepStrictEqual(rerun.what, [`training seed 2 of ${run.dir}`], 'only seed 2 is submitted again');
    assert.doesNotMatch(again.stdout, /seed 1 done/);
    assert.strictEqual(fs.statSync(run.seed(1).resultFile).mtimeMs, seed1, 'seed 1 is not trained again');
    assert.strictEqual(smileLens('status', '--run', 'failing').status, 0);
  });

  it('without --wait submits the command as a chain of jobs that ends with the same metrics', () => {
    const t0 = Date.now();
    const submitted = train('chain');
    assert.strictEqual(submitted.status, 0, submitted.stderr);
    const [first] = submissions('chain');
    assert.match(submitted.stdout, new RegExp(`^submitted job ${first.jobId}: .smile-lens train .* runs on Slurm as a chain of jobs`, 'm'));
    assert.ok(submitted.stdout.includes(`follow: smile-lens status --run ${path.join(tmp, 'chain')} [--wait]`), submitted.stdout);
    const followed = smileLens('status', '--run', 'chain', '--wait');
    assert.strictEqual(followed.status, 0, followed.stdout + followed.stderr);
    const roles = submissions('chain').map((s) => `${s.role}${s.afterOk ? ` after ${s.afterOk.join(',')}` : ''}`);
    const ids = submissions('chain').map((s) => s.jobId);
    assert.deepStrictEqual(roles, ['chain', `units`, `chain after ${ids[1]},${ids[0]}`]);
    assert.strictEqual(metricsWithoutTimes('chain'), metricsWithoutTimes('failing'));
    console.log(`      chain of 3 jobs done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  });

  /** Polls `value` until it is truthy or `seconds` have passed; returns its last value. */
  async function until<T>(value: () => Promise<T> | T, seconds: number): Promise<T> {
    const end = Date.now() + seconds * 1000;
    let v = await value();
    while (!v && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      v = await value();
    }
    return v;
  }

  it('cancels a run: its jobs end and no task process is left', async () => {
    const submitted = smileLens('train', '--data', data, '--small', '--seeds', '2', '--epochs', '50', '--out', 'cancelled', '--executor', 'slurm');
    assert.strictEqual(submitted.status, 0, submitted.stderr);
    // Wait until the chain's first job has submitted the seeds' array and both tasks run.
    const units = await until(() => submissions('cancelled').find((s) => s.role === 'units'), 120);
    assert.ok(units, 'the array was submitted');
    const workers = async () => (await runCommand('pgrep', ['-f', units.jobsFile!])).stdout.split('\n').filter(Boolean);
    assert.ok(await until(async () => (await workers()).length === 2, 120), 'both tasks run');
    const cancel = smileLens('status', '--run', 'cancelled', '--cancel');
    assert.match(cancel.stdout, new RegExp(`^cancelled jobs (\\d+, )*${units.jobId}, \\d+$`, 'm'));
    assert.ok(await until(async () => (await workers()).length === 0, 30), 'no worker of the cancelled tasks is left');
    const status = smileLens('status', '--run', 'cancelled');
    assert.strictEqual(status.status, 1);
    assert.match(status.stdout, new RegExp(`job ${units.jobId} +2 tasks train-seed: 2 cancelled`));
  });
});
