// The Slurm client against a real single-node cluster on this machine
// (lib/executor/slurm/local-cluster.ts), started in `before` unless it is
// running already, and then stopped again in `after`: no daemon outlives the
// tests. Tasks are tiny shell commands; each case takes a few seconds, most
// of it Slurm's scheduler (about 1 s from sbatch to a task's start).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArrayJob } from '../lib/executor/slurm/batch-script';
import { runCommand } from '../lib/executor/slurm/run-command';
import { SlurmClient, Submission, UnitStatus, unitsToRerun } from '../lib/executor/slurm/slurm-client';
import { useLocalCluster } from './slurm-cluster-fixture';

describe('Slurm client on a real single-node cluster', function () {
  this.timeout(60_000);
  const cluster = useLocalCluster();
  let client: SlurmClient;
  let tmp: string;

  before(() => {
    client = new SlurmClient({ env: cluster.env });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-slurm-'));
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const sh = (script: string, ...args: string[]) => ['/bin/sh', '-c', script, 'sh', ...args];
  const job = (name: string, commands: string[][]): ArrayJob => ({ name, commands, logDir: path.join(tmp, 'logs'), workDir: tmp });
  const follow = (subs: Submission[]) => client.follow(subs, { intervalSeconds: 0.25 });
  const summary = (statuses: UnitStatus[]) => statuses.map((s) => `${s.unit}:${s.state}${s.state === 'failed' ? `(${s.exitCode})` : ''}`).join(' ');

  it('runs an array: every unit completes, its output in its own log', async () => {
    const t0 = Date.now();
    const sub = await client.submitArray(path.join(tmp, 'ok.sbatch'), job('ok', [0, 1, 2].map((i) => sh('echo "unit $1 task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_JOB_ID"', String(i)))));
    const statuses = await follow([sub]);
    assert.strictEqual(summary(statuses), '0:completed 1:completed 2:completed');
    for (const s of statuses) {
      assert.strictEqual(s.slurmState, 'COMPLETED');
      assert.strictEqual(fs.readFileSync(s.stdout, 'utf8'), `unit ${s.unit} task ${s.unit} of ${sub.jobId}\n`);
      assert.strictEqual(s.jobId, `${sub.jobId}_${s.unit}`);
    }
    console.log(`      3 tasks submitted and finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('reports a failing task as FAILED with its exit code and log path', async () => {
    const sub = await client.submitArray(path.join(tmp, 'fail.sbatch'), job('fail', [sh('exit 0'), sh('echo "bad input: seed 2" >&2; exit 3')]));
    const statuses = await follow([sub]);
    assert.strictEqual(summary(statuses), '0:completed 1:failed(3)');
    const failed = statuses[1];
    assert.strictEqual(failed.slurmState, 'FAILED');
    assert.strictEqual(failed.reason, 'NonZeroExitCode');
    assert.strictEqual(failed.stderr, path.join(tmp, 'logs', `fail_${sub.jobId}_1.err`));
    assert.strictEqual(fs.readFileSync(failed.stderr, 'utf8'), 'bad input: seed 2\n');
  });

  it('starts a dependent job only after the array succeeded (afterok), and never after a failure', async () => {
    const marks = path.join(tmp, 'marks');
    const array = await client.submitArray(path.join(tmp, 'units.sbatch'), job('units', [0, 1].map((i) => sh('sleep 1; echo "$1 $(date +%s.%N)" >> "$2"', `unit${i}`, marks))));
    const merge = await client.submitArray(path.join(tmp, 'merge.sbatch'), job('merge', [sh('echo "merge $(date +%s.%N)" >> "$1"; wc -l < "$1"', marks)]), { afterOk: [array.jobId] });
    // Units are numbered per job: the merge job's unit 0 is not the array's.
    assert.strictEqual(summary(await follow([merge])), '0:completed');
    assert.strictEqual(summary(await client.unitStatuses([array])), '0:completed 1:completed');
    const lines = fs.readFileSync(marks, 'utf8').trim().split('\n');
    assert.deepStrictEqual(lines.map((l) => l.split(' ')[0]).sort(), ['merge', 'unit0', 'unit1']);
    const time = (who: string) => Number(lines.find((l) => l.startsWith(who))!.split(' ')[1]);
    assert.ok(time('merge') > Math.max(time('unit0'), time('unit1')), lines.join('\n'));
    assert.strictEqual(fs.readFileSync(path.join(tmp, 'logs', `merge_${merge.jobId}_0.out`), 'utf8').trim(), '3');

    const failing = await client.submitArray(path.join(tmp, 'bad.sbatch'), job('bad', [sh('exit 1')]));
    const never = await client.submitArray(path.join(tmp, 'never.sbatch'), job('never', [sh('echo ran')]), { afterOk: [failing.jobId] });
    const [blocked] = await follow([never]);
    assert.strictEqual(blocked.state, 'blocked');
    assert.strictEqual(blocked.reason, 'DependencyNeverSatisfied');
    await client.cancel([never]);
    assert.strictEqual((await client.unitStatuses([never]))[0].state, 'cancelled');
  });

  it('re-runs only the failed unit, as a new job with its own logs', async () => {
    const counts = path.join(tmp, 'runs');
    const ready = path.join(tmp, 'ready');
    // Unit 1 fails until the file `ready` exists; every run of a unit leaves a line.
    const commands = [0, 1, 2].map((i) => sh('echo "$1" >> "$2"; [ "$1" != 1 ] || [ -e "$3" ]', String(i), counts, ready));
    const first = await client.submitArray(path.join(tmp, 'rerun.sbatch'), job('rerun', commands));
    const statuses = await follow([first]);
    assert.strictEqual(summary(statuses), '0:completed 1:failed(1) 2:completed');
    fs.writeFileSync(ready, '');
    const again = await client.resubmit(first, unitsToRerun(statuses));
    assert.deepStrictEqual(again.units, [1]);
    const final = await follow([first, again]);
    assert.strictEqual(summary(final), '0:completed 1:completed 2:completed');
    assert.strictEqual(final[1].jobId, `${again.jobId}_1`);
    assert.strictEqual(final[0].jobId, `${first.jobId}_0`);
    assert.deepStrictEqual(fs.readFileSync(counts, 'utf8').trim().split('\n').sort(), ['0', '1', '1', '2']);
  });

  it('cancels running and pending tasks (scancel), leaving no task process behind', async () => {
    const sleep = `sleep 300.${process.pid}${Date.now() % 1000}`; // a command line no other process has
    // 4 tasks on 2 CPUs: two run, two wait.
    const sub = await client.submitArray(path.join(tmp, 'cancel.sbatch'), job('cancel', [0, 1, 2, 3].map(() => sh(sleep))));
    const runningTwo = async () => (await client.unitStatuses([sub])).filter((s) => s.state === 'running').length === 2;
    for (let i = 0; i < 100 && !(await runningTwo()); i++) await new Promise((r) => setTimeout(r, 200));
    assert.strictEqual(summary(await client.unitStatuses([sub])), '0:running 1:running 2:pending 3:pending');
    const t0 = Date.now();
    await client.cancel([sub]);
    const statuses = await follow([sub]);
    assert.strictEqual(summary(statuses), '0:cancelled 1:cancelled 2:cancelled 3:cancelled');
    // A running task gets SIGTERM: the script dies of it, or (when its command died first) exits 128 + 15.
    for (const s of statuses.slice(0, 2)) assert.ok(s.signal === 15 || s.exitCode === 143, JSON.stringify(s));
    for (let i = 0; i < 50; i++) {
      const ps = await runCommand('pgrep', ['-fx', sleep]);
      if (ps.code === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.strictEqual((await runCommand('pgrep', ['-fx', sleep])).code, 1, 'a cancelled task is still running');
    console.log(`      cancelled and settled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('follows what `sbatch --array=1-3 --wrap` submits too (SLURM_CONF leads the commands to the cluster)', async () => {
    const r = await runCommand('sbatch', ['--parsable', '--array=1-3', `--output=${tmp}/wrap_%A_%a.out`, '--wrap', 'echo $SLURM_ARRAY_TASK_ID'], { env: cluster.env });
    assert.strictEqual(r.code, 0, r.stderr);
    const jobId = r.stdout.trim().split(';')[0];
    const statuses = await follow([{ jobId, name: 'wrap', script: '', logDir: tmp, units: [1, 2, 3] }]);
    assert.strictEqual(summary(statuses), '1:completed 2:completed 3:completed');
    for (const t of [1, 2, 3]) assert.strictEqual(fs.readFileSync(path.join(tmp, `wrap_${jobId}_${t}.out`), 'utf8'), `${t}\n`);
  });
});
