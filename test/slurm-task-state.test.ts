import * as assert from 'assert';
import { accountingEnabled, decodeWaitStatus, parseArrayJobId, parseSacct, parseSqueue, unitState } from '../lib/executor/slurm/task-state';

describe('Slurm task states (parsing captured output)', () => {
  it('reads squeue -t all -r as array tasks with decoded exit statuses', () => {
    // Captured from the local cluster (Slurm 22.05): task 2 exited 1, a cancelled running task got SIGTERM.
    const text = ['1_3|COMPLETED|None|0', '1_2|FAILED|NonZeroExitCode|256', '9_1|CANCELLED|None|15', '9_2|PENDING|Resources|0', '2|PENDING|DependencyNeverSatisfied|0', ''].join('\n');
    assert.deepStrictEqual(parseSqueue(text), [
      { arrayJobId: '1', taskId: 3, slurmState: 'COMPLETED', reason: undefined, exitCode: 0, signal: 0 },
      { arrayJobId: '1', taskId: 2, slurmState: 'FAILED', reason: 'NonZeroExitCode', exitCode: 1, signal: 0 },
      { arrayJobId: '9', taskId: 1, slurmState: 'CANCELLED', reason: undefined, exitCode: 0, signal: 15 },
      { arrayJobId: '9', taskId: 2, slurmState: 'PENDING', reason: 'Resources', exitCode: 0, signal: 0 },
    ]);
  });

  it('decodes wait statuses', () => {
    assert.deepStrictEqual(decodeWaitStatus(256 * 3), { exitCode: 3, signal: 0 });
    assert.deepStrictEqual(decodeWaitStatus(9), { exitCode: 0, signal: 9 });
    assert.deepStrictEqual(decodeWaitStatus(0), { exitCode: 0, signal: 0 });
  });

  it("reads sacct's parsable output, expanding tasks not yet started", () => {
    const text = ['12_1|COMPLETED|0:0', '12_2|FAILED|1:0', '12_6|CANCELLED by 0|0:15', '12_7|TIMEOUT|0:0', '12_[3-4,8%2]|PENDING|0:0', '13|COMPLETED|0:0'].join('\n');
    const got = parseSacct(text).map((r) => `${r.arrayJobId}_${r.taskId} ${r.slurmState} ${r.exitCode}:${r.signal}`);
    assert.deepStrictEqual(got, ['12_1 COMPLETED 0:0', '12_2 FAILED 1:0', '12_6 CANCELLED 0:15', '12_7 TIMEOUT 0:0', '12_3 PENDING 0:0', '12_4 PENDING 0:0', '12_8 PENDING 0:0']);
  });

  it('parses array job ids and nothing else', () => {
    assert.deepStrictEqual(parseArrayJobId('5_0'), { arrayJobId: '5', taskIds: [0] });
    assert.deepStrictEqual(parseArrayJobId('5_[0-2,9]'), { arrayJobId: '5', taskIds: [0, 1, 2, 9] });
    assert.strictEqual(parseArrayJobId('5'), undefined);
    assert.strictEqual(parseArrayJobId('5.batch'), undefined);
  });

  it("maps Slurm's states to the units' vocabulary", () => {
    const cases: [string, string | undefined, string][] = [
      ['PENDING', 'Resources', 'pending'],
      ['PENDING', 'Dependency', 'pending'],
      ['PENDING', 'DependencyNeverSatisfied', 'blocked'],
      ['CONFIGURING', undefined, 'pending'],
      ['RUNNING', undefined, 'running'],
      ['COMPLETING', undefined, 'running'],
      ['COMPLETED', undefined, 'completed'],
      ['FAILED', 'NonZeroExitCode', 'failed'],
      ['TIMEOUT', undefined, 'failed'],
      ['OUT_OF_MEMORY', undefined, 'failed'],
      ['NODE_FAIL', undefined, 'failed'],
      ['CANCELLED by 0', undefined, 'cancelled'],
      ['CANCELLED', 'DependencyNeverSatisfied', 'cancelled'],
      ['RUNNING+', undefined, 'running'],
      ['', undefined, 'unknown'],
    ];
    for (const [state, reason, expected] of cases) assert.strictEqual(unitState(state, reason), expected, `${state} ${reason ?? ''}`);
  });

  it('knows from scontrol show config whether sacct can answer', () => {
    assert.strictEqual(accountingEnabled('AccountingStorageHost   = localhost\nAccountingStorageType   = accounting_storage/none\n'), false);
    assert.strictEqual(accountingEnabled('AccountingStorageType   = accounting_storage/slurmdbd\n'), true);
    assert.strictEqual(accountingEnabled('ClusterName = x\n'), false);
  });
});
