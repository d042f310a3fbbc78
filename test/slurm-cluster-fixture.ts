// The project's single-node Slurm cluster for a mocha suite: started in
// `before` unless it runs already, and stopped in `after` only when this
// suite started it, so no daemon outlives the tests. Without Slurm (or as a
// user other than root) the suite is skipped with the reason.
import * as assert from 'assert';
import { clusterPaths, localClusterStatus, localClusterUnavailable, startLocalCluster, stopLocalCluster } from '../lib/executor/slurm/local-cluster';

export interface ClusterHandle {
  /** What a Slurm client needs in its environment (SLURM_CONF). */
  env: { SLURM_CONF: string };
}

export function useLocalCluster(): ClusterHandle {
  const handle: ClusterHandle = { env: { SLURM_CONF: clusterPaths().conf } };
  let startedHere = false;
  before(async function () {
    const unavailable = localClusterUnavailable();
    if (unavailable) {
      console.log(`    (skipped: ${unavailable})`);
      return this.skip();
    }
    this.timeout(120_000);
    const r = await startLocalCluster();
    startedHere = r.started;
    handle.env = r.env;
    console.log(`    cluster ${r.started ? `started in ${r.seconds.toFixed(1)} s` : 'was running already (left running)'}`);
  });
  after(async function () {
    this.timeout(120_000);
    if (!startedHere) return;
    const r = await stopLocalCluster();
    const s = await localClusterStatus();
    assert.deepStrictEqual(s.daemons.filter((d) => d.pid), [], `still running after stop: ${JSON.stringify(s.daemons)}`);
    console.log(`    cluster stopped: ${r.stopped.join(', ')}`);
  });
  return handle;
}
