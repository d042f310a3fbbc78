// The single-node cluster itself: its slurm.conf (pure), and a whole life in
// a folder of its own — start, start again (nothing to do), a daemon killed
// and brought back, stop with a job running — after which nothing of it runs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clusterPaths, localClusterStatus, localClusterUnavailable, slurmConf, startLocalCluster, stopLocalCluster, thisMachine } from '../lib/executor/slurm/local-cluster';
import { processAlive } from '../lib/util/processes';
import { runCommand } from '../lib/executor/slurm/run-command';

describe('local Slurm cluster: slurm.conf', () => {
  it('describes this machine as one node, every path in the private folder', () => {
    const p = clusterPaths('/x/.slurm');
    const conf = slurmConf({ clusterName: 'smilelens', host: 'vm', cpus: 2, realMemoryMiB: 24105, slurmctldPort: 7001, slurmdPort: 7002 }, p);
    const settings = new Map(conf.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('NodeName') && !l.startsWith('PartitionName')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]));
    for (const [k, v] of Object.entries({
      ClusterName: 'smilelens',
      SlurmctldHost: 'vm(127.0.0.1)',
      SlurmctldPort: '7001',
      SlurmdPort: '7002',
      SlurmUser: 'root',
      ProctrackType: 'proctrack/linuxproc',
      TaskPlugin: 'task/none',
      SelectType: 'select/cons_tres',
      SelectTypeParameters: 'CR_Core',
      AuthInfo: 'socket=/x/.slurm/munge/munge.socket.2',
      StateSaveLocation: '/x/.slurm/state',
      SlurmdSpoolDir: '/x/.slurm/spool',
      SlurmctldPidFile: '/x/.slurm/slurmctld.pid',
      SlurmdPidFile: '/x/.slurm/slurmd.pid',
      AccountingStorageType: 'accounting_storage/none',
    })) {
      assert.strictEqual(settings.get(k), v, k);
    }
    assert.match(conf, /^NodeName=vm NodeAddr=127\.0\.0\.1 CPUs=2 RealMemory=24105 State=UNKNOWN$/m);
    assert.match(conf, /^PartitionName=main Nodes=vm Default=YES MaxTime=INFINITE State=UP$/m);
    const me = thisMachine({ slurmctldPort: 1, slurmdPort: 2 });
    assert.strictEqual(me.cpus, os.availableParallelism());
    assert.strictEqual(me.host, os.hostname().split('.')[0]);
  });
});


describe('local Slurm cluster: start, restart, stop', function () {
  this.timeout(120_000);
  const unavailable = localClusterUnavailable();
  let dir: string;

  before(function () {
    if (unavailable) {
      console.log(`    (skipped: ${unavailable})`);
      return this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-cluster-'));
  });
  after(async () => {
    if (!dir) return;
    await stopLocalCluster({ dir }); // whatever a failed case left running
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pids = async () => Object.fromEntries((await localClusterStatus({ dir })).daemons.map((d) => [d.name, d.pid]));

  it('starts once, is left alone when running, and brings a killed daemon back', async () => {
    const first = await startLocalCluster({ dir });
    assert.strictEqual(first.started, true);
    assert.deepStrictEqual(first.env, { SLURM_CONF: path.join(dir, 'slurm.conf') });
    const running = await pids();
    assert.ok(running.munged && running.slurmctld && running.slurmd, JSON.stringify(running));
    assert.match((await localClusterStatus({ dir })).node!, /^\S+ idle$/);
    console.log(`      started in ${first.seconds.toFixed(2)} s`);

    const again = await startLocalCluster({ dir });
    assert.strictEqual(again.started, false);
    assert.deepStrictEqual(await pids(), running);

    process.kill(running.munged!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual((await pids()).munged, undefined);
    assert.strictEqual((await startLocalCluster({ dir })).started, true);
    const back = await pids();
    assert.ok(back.munged && back.munged !== running.munged, 'a new munged (over the socket the killed one left)');
    assert.strictEqual(back.slurmctld, running.slurmctld, 'slurmctld untouched');
  });

  it('stops: cancels the jobs, ends every daemon and task, removes the pid files', async () => {
    const env = { SLURM_CONF: clusterPaths(dir).conf };
    const sleep = `sleep 400.${process.pid}`;
    const r = await runCommand('sbatch', ['--parsable', '--output=/dev/null', '--wrap', sleep], { env });
    assert.strictEqual(r.code, 0, r.stderr);
    for (let i = 0; i < 50 && (await runCommand('pgrep', ['-fx', sleep])).code !== 0; i++) await new Promise((res) => setTimeout(res, 200));
    assert.strictEqual((await runCommand('pgrep', ['-fx', sleep])).code, 0, 'the job runs');
    const before = await pids();
    const t0 = Date.now();
    const stopped = await stopLocalCluster({ dir });
    console.log(`      stopped in ${((Date.now() - t0) / 1000).toFixed(2)} s`);
    assert.strictEqual(stopped.cancelledJobs, 1);
    assert.deepStrictEqual(stopped.stopped, [`slurmd ${before.slurmd}`, `slurmctld ${before.slurmctld}`, `munged ${before.munged}`]);
    assert.deepStrictEqual(await pids(), { munged: undefined, slurmctld: undefined, slurmd: undefined });
    for (const pid of Object.values(before)) assert.ok(!processAlive(pid!), `process ${pid} still runs`);
    assert.strictEqual((await runCommand('pgrep', ['-fx', sleep])).code, 1, "the job's process is gone");
    const p = clusterPaths(dir);
    assert.deepStrictEqual([p.mungePid, p.slurmctldPid, p.slurmdPid].filter((f) => fs.existsSync(f)), []);
    assert.deepStrictEqual(await stopLocalCluster({ dir }), { stopped: [], cancelledJobs: 0 });
  });
});
