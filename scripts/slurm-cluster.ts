// `npm run slurm-cluster -- start|stop|status [--dir <folder>]`: the
// single-node Slurm cluster of lib/executor/slurm/local-cluster.ts (as root;
// state in <project>/.slurm unless --dir). Slurm's commands reach it with
// SLURM_CONF=<dir>/slurm.conf, which start and status print.
import { localClusterStatus, startLocalCluster, stopLocalCluster } from '../lib/executor/slurm/local-cluster';

const USAGE = 'usage: npm run slurm-cluster -- start|stop|status [--dir <folder>]';

async function main(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  let dir: string | undefined;
  if (rest.length === 2 && rest[0] === '--dir') dir = rest[1];
  else if (rest.length) {
    console.error(`slurm-cluster: unexpected ${rest.join(' ')}\n${USAGE}`);
    return 2;
  }
  const log = (line: string) => console.log(`  ${line}`);
  if (action === 'start') {
    const r = await startLocalCluster({ dir, log });
    console.log(r.started ? `started in ${r.seconds.toFixed(1)} s: node ${r.node} is idle` : 'already running');
    console.log(`export SLURM_CONF=${r.env.SLURM_CONF}`);
  } else if (action === 'stop') {
    const r = await stopLocalCluster({ dir, log });
    console.log(r.stopped.length ? `stopped ${r.stopped.join(', ')}${r.cancelledJobs ? ` (cancelled ${r.cancelledJobs} jobs first)` : ''}` : 'not running');
  } else if (action === 'status') {
    const s = await localClusterStatus({ dir });
    for (const d of s.daemons) console.log(`${d.name.padEnd(10)}${d.pid ? `running (pid ${d.pid})` : 'not running'}`);
    if (s.node) console.log(`node      ${s.node}`);
    console.log(`export SLURM_CONF=${s.conf}`);
    return s.daemons.every((d) => d.pid) ? 0 : 3;
  } else {
    console.error(USAGE);
    return 2;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`slurm-cluster: ${(e as Error).message}`);
    process.exit(1);
  },
);
