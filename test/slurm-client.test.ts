import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { taskFiles } from '../lib/executor/slurm/batch-script';
import type { CommandResult } from '../lib/executor/slurm/run-command';
import { SlurmClient, Submission, unitsToRerun } from '../lib/executor/slurm/slurm-client';

/** A fake Slurm: answers each command from a table and records the calls. */
function fakeSlurm(answers: Record<string, (args: string[]) => Partial<CommandResult>>) {
  const calls: string[][] = [];
  const runner = async (command: string, args: string[]): Promise<CommandResult> => {
    calls.push([command, ...args]);
    const answer = answers[command];
    if (!answer) throw new Error(`unexpected ${command}`);
    return { code: 0, stdout: '', stderr: '', ...answer(args) };
  };
  return { calls, client: new SlurmClient({ runner }) };
}

const NO_ACCOUNTING = () => ({ stdout: 'AccountingStorageType   = accounting_storage/none\n' });

describe('Slurm client (fake Slurm commands)', () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-slurm-client-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const job = () => ({ name: 'audit', commands: [['true'], ['true'], ['true']], logDir: path.join(tmp, 'logs'), workDir: tmp });

  it('submits the script as an array with --parsable, afterok dependencies, and reads the job id', async () => {
    const { calls, client } = fakeSlurm({ sbatch: () => ({ stdout: '4242;smilelens\n' }) });
    const script = path.join(tmp, 'audit.sbatch');
    const sub = await client.submitArray(script, job(), { afterOk: ['40', '41'] });
    assert.deepStrictEqual(calls, [['sbatch', '--parsable', '--array=0-2', '--dependency=afterok:40:41', script]]);
    assert.deepStrictEqual(sub, { jobId: '4242', name: 'audit', script, logDir: path.join(tmp, 'logs'), units: [0, 1, 2], afterOk: ['40', '41'] });
    assert.ok(fs.statSync(path.join(tmp, 'logs')).isDirectory(), 'the log folder exists before the tasks start');
    assert.match(fs.readFileSync(script, 'utf8'), /^#SBATCH --array=0-2$/m);
    const again = await client.resubmit(sub, [2, 0]);
    assert.deepStrictEqual(calls[1], ['sbatch', '--parsable', '--array=0,2', script]);
    assert.deepStrictEqual(again.units, [0, 2]);
    assert.strictEqual(again.afterOk, undefined);
    await assert.rejects(client.resubmit(sub, [5]), /units 5 are not in job 4242 \(units 0-2\)/);
  });

  it("says what sbatch said when it refuses", async () => {
    const { client } = fakeSlurm({ sbatch: () => ({ code: 1, stderr: 'sbatch: error: invalid partition specified: gpu\n' }) });
    await assert.rejects(client.submitArray(path.join(tmp, 'x.sbatch'), job()), /sbatch --parsable --array=0-2 .*x\.sbatch` failed \(exit 1\): sbatch: error: invalid partition specified: gpu/);
  });

  it("takes each unit's latest attempt: squeue first, then the exit-status files, else unknown", async () => {
    const logDir = path.join(tmp, 'logs');
    const first: Submission = { jobId: '10', name: 'audit', script: 's', logDir, units: [0, 1, 2, 3] };
    const rerun: Submission = { ...first, jobId: '11', units: [1] };
    fs.mkdirSync(logDir, { recursive: true });
    fs.writeFileSync(taskFiles(logDir, 'audit', '10', 2).exit, '0\n');
    fs.writeFileSync(taskFiles(logDir, 'audit', '10', 3).exit, '7\n');
    const { calls, client } = fakeSlurm({ squeue: () => ({ stdout: '10_0|FAILED|NonZeroExitCode|512\n11_1|RUNNING|None|0\n10_1|FAILED|NonZeroExitCode|256\n' }), scontrol: NO_ACCOUNTING });
    const statuses = await client.unitStatuses([first, rerun]);
    assert.deepStrictEqual(calls[0], ['squeue', '-h', '-r', '-t', 'all', '-j', '10,11', '-O', 'JobArrayID:0|,State:0|,Reason:0|,exit_code:0']);
    assert.deepStrictEqual(
      statuses.map((s) => [s.unit, s.jobId, s.state, s.exitCode]),
      [
        [0, '10_0', 'failed', 2],
        [1, '11_1', 'running', 0],
        [2, '10_2', 'completed', 0],
        [3, '10_3', 'failed', 7],
      ],
    );
    assert.strictEqual(statuses[0].stderr, path.join(logDir, 'audit_10_0.err'));
    assert.strictEqual(statuses[1].stdout, path.join(logDir, 'audit_11_1.out'));
    assert.deepStrictEqual(unitsToRerun(statuses), [0, 3]);

    fs.rmSync(taskFiles(logDir, 'audit', '10', 3).exit);
    fs.writeFileSync(taskFiles(logDir, 'audit', '10', 2).exit, '143\n');
    const forgotten = fakeSlurm({ squeue: () => ({ code: 1, stderr: 'slurm_load_jobs error: Invalid job id specified\n' }), scontrol: NO_ACCOUNTING });
    const [, , killed, lost] = await forgotten.client.unitStatuses([first]);
    assert.deepStrictEqual([killed.state, killed.exitCode, killed.reason], ['failed', 143, 'killed by signal 15']);
    assert.strictEqual(lost.state, 'unknown');
    assert.match(lost.reason!, /no longer knows the task/);
  });

  it('asks sacct, where accounting is on, about tasks the controller has forgotten', async () => {
    const sub: Submission = { jobId: '20', name: 'train', script: 's', logDir: path.join(tmp, 'none'), units: [0, 1] };
    const { calls, client } = fakeSlurm({
      squeue: () => ({ stdout: '20_1|RUNNING|None|0\n' }),
      scontrol: () => ({ stdout: 'AccountingStorageType   = accounting_storage/slurmdbd\n' }),
      sacct: () => ({ stdout: '20_0|TIMEOUT|0:15\n20_1|RUNNING|0:0\n' }),
    });
    const statuses = await client.unitStatuses([sub]);
    assert.deepStrictEqual(calls.find((c) => c[0] === 'sacct'), ['sacct', '-n', '-P', '-X', '-j', '20', '-o', 'JobID,State,ExitCode']);
    assert.deepStrictEqual(statuses.map((s) => [s.state, s.slurmState, s.signal]), [['failed', 'TIMEOUT', 15], ['running', 'RUNNING', 0]]);
  });

  it('follows until every unit is final and cancels whole jobs or single tasks', async () => {
    const sub: Submission = { jobId: '30', name: 'x', script: 's', logDir: tmp, units: [0, 1] };
    const answers = ['30_0|PENDING|Priority|0\n30_1|PENDING|Dependency|0\n', 'timeout', '30_0|RUNNING|None|0\n30_1|PENDING|Dependency|0\n', '30_0|COMPLETED|None|0\n30_1|PENDING|DependencyNeverSatisfied|0\n'];
    const squeue = () => {
      const a = answers.shift()!;
      return a === 'timeout' ? { code: 1, stderr: 'squeue: error: Socket timed out on send/recv operation' } : { stdout: a };
    };
    const { calls, client } = fakeSlurm({ squeue, scancel: () => ({}), scontrol: NO_ACCOUNTING });
    const seen: string[] = [];
    const final = await client.follow([sub], { intervalSeconds: 0.01, onUpdate: (s) => seen.push(s.map((u) => u.state).join(',')) });
    assert.deepStrictEqual(seen, ['pending,pending', 'running,pending', 'completed,blocked']);
    assert.deepStrictEqual(final.map((s) => s.reason), [undefined, 'DependencyNeverSatisfied']);
    assert.strictEqual(calls.filter((c) => c[0] === 'squeue').length, 4, 'a failed poll is retried');
    answers.push('timeout', 'timeout');
    await assert.rejects(client.follow([sub], { intervalSeconds: 0.01, tolerateErrors: 1 }), /squeue failed \(exit 1\): squeue: error: Socket timed out/);
    await client.cancel([sub]);
    await client.cancel([sub, { ...sub, jobId: '31', units: [1] }], [1]);
    assert.deepStrictEqual(calls.filter((c) => c[0] === 'scancel'), [['scancel', '30'], ['scancel', '30_1', '31_1']]);
  });
});
