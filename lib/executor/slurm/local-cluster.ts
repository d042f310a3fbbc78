// A real single-node Slurm cluster on this machine, for the tests and for
// trying the Slurm executor: Debian's slurm-wlm and munge (22.05), no
// systemd, run as root. Everything it writes — munge key and socket, the
// controller's state, slurmd's spool, logs, pid files, slurm.conf — lives in
// one private folder (default <project>/.slurm, ignored by git); clients find
// the cluster through SLURM_CONF (localClusterEnv()).
//
// start() is idempotent (a running cluster is left alone); stop() cancels
// every job, then ends the daemons by the process ids in their pid files, and
// leaves nothing running.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from '../../run/locations';
import { endProcess, processAlive, processesWithSocketsUnder, processName, waitUntil, withDescendants } from '../../util/processes';
import { CommandResult, runCommand } from './run-command';

/** The private folder of the project's cluster. */
export function defaultClusterDir(): string {
  return path.join(projectRoot(), '.slurm');
}

export interface ClusterPaths {
  dir: string;
  conf: string;
  mungeDir: string;
  mungeKey: string;
  mungeSocket: string;
  mungePid: string;
  mungeLog: string;
  mungeSeed: string;
  stateDir: string;
  spoolDir: string;
  logDir: string;
  slurmctldPid: string;
  slurmdPid: string;
  slurmctldLog: string;
  slurmdLog: string;
}

export function clusterPaths(dir: string = defaultClusterDir()): ClusterPaths {
  dir = path.resolve(dir);
  const munge = path.join(dir, 'munge');
  const log = path.join(dir, 'log');
  return {
    dir,
    conf: path.join(dir, 'slurm.conf'),
    mungeDir: munge,
    mungeKey: path.join(munge, 'munge.key'),
    mungeSocket: path.join(munge, 'munge.socket.2'),
    mungePid: path.join(munge, 'munged.pid'),
    mungeLog: path.join(munge, 'munged.log'),
    mungeSeed: path.join(munge, 'munged.seed'),
    stateDir: path.join(dir, 'state'),
    spoolDir: path.join(dir, 'spool'),
    logDir: log,
    slurmctldPid: path.join(dir, 'slurmctld.pid'),
    slurmdPid: path.join(dir, 'slurmd.pid'),
    slurmctldLog: path.join(log, 'slurmctld.log'),
    slurmdLog: path.join(log, 'slurmd.log'),
  };
}

/** The environment a Slurm client needs to talk to this cluster. */
export function localClusterEnv(dir?: string): { SLURM_CONF: string } {
  return { SLURM_CONF: clusterPaths(dir).conf };
}

export interface NodeSpec {
  clusterName: string;
  /** The short host name (`hostname -s`): NodeName and SlurmctldHost. */
  host: string;
  cpus: number;
  realMemoryMiB: number;
  slurmctldPort: number;
  slurmdPort: number;
}

/** This machine as one node: `hostname -s`, `nproc`, all its memory. */
export function thisMachine(ports: { slurmctldPort: number; slurmdPort: number }): NodeSpec {
  return {
    clusterName: 'smilelens',
    host: os.hostname().split('.')[0],
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    realMemoryMiB: Math.floor(os.totalmem() / 2 ** 20),
    ...ports,
  };
}

/** The cluster's slurm.conf: minimal, every path in the private folder. */
export function slurmConf(node: NodeSpec, p: ClusterPaths): string {
  return [
    '# A single-node Slurm cluster for smile-lens (lib/executor/slurm/local-cluster.ts).',
    `ClusterName=${node.clusterName}`,
    // 127.0.0.1: no name service needed for the host name.
    `SlurmctldHost=${node.host}(127.0.0.1)`,
    // Ports chosen free at start, so clusters of two checkouts can run side by side.
    `SlurmctldPort=${node.slurmctldPort}`,
    `SlurmdPort=${node.slurmdPort}`,
    'AuthType=auth/munge',
    'CredType=cred/munge',
    // Our own munged, not the system's /run/munge.
    `AuthInfo=socket=${p.mungeSocket}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    `StateSaveLocation=${p.stateDir}`,
    `SlurmdSpoolDir=${p.spoolDir}`,
    `SlurmctldPidFile=${p.slurmctldPid}`,
    `SlurmdPidFile=${p.slurmdPid}`,
    `SlurmctldLogFile=${p.slurmctldLog}`,
    `SlurmdLogFile=${p.slurmdLog}`,
    // No cgroups: plain process tracking, no task binding.
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    // No slurmdbd: no accounting, so no sacct (clients follow jobs with squeue).
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/none',
    'MpiDefault=none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    // Schedule as soon as a CPU frees or a dependency is met (the default waits up to 3 s).
    'SchedulerParameters=batch_sched_delay=0',
    // The node is what this file says (no drain over a detected-hardware mismatch).
    'SlurmdParameters=config_overrides',
    'ReturnToService=2',
    // A cancelled task gets SIGKILL 5 s after SIGTERM (default 30 s), so stop() is quick.
    'KillWait=5',
    `NodeName=${node.host} NodeAddr=127.0.0.1 CPUs=${node.cpus} RealMemory=${node.realMemoryMiB} State=UNKNOWN`,
    `PartitionName=main Nodes=${node.host} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// The daemons

function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<CommandResult> {
  return runCommand(command, args, { env, timeoutMs });
}

interface Daemon {
  name: 'munged' | 'slurmctld' | 'slurmd';
  pidFile: string;
}

function daemons(p: ClusterPaths): Daemon[] {
  return [
    { name: 'munged', pidFile: p.mungePid },
    { name: 'slurmctld', pidFile: p.slurmctldPid },
    { name: 'slurmd', pidFile: p.slurmdPid },
  ];
}

/** The daemon's pid when its pid file names a live process of that name (not a recycled pid). */
function daemonPid(d: Daemon): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(d.pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) && processName(pid).startsWith(d.name) ? pid : undefined;
}

function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => net.createServer());
  return Promise.all(servers.map((s) => new Promise<number>((resolve, reject) => s.once('error', reject).listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port))))).finally(() =>
    servers.forEach((s) => s.close()),
  );
}

/** The absolute path of an executable on PATH or in the sbin folders (root's daemons). */
function findExecutable(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin']) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      /* next */
    }
  }
  return undefined;
}

const NEEDED = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sinfo', 'squeue', 'scancel', 'runuser'];

/** Why this machine cannot run the cluster, or undefined when it can. */
export function localClusterUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the local Slurm cluster needs Linux';
  if (process.getuid?.() !== 0) return 'the local Slurm cluster runs its daemons as root (SlurmUser=root); run as root';
  const missing = NEEDED.filter((n) => !findExecutable(n));
  if (missing.length) return `not installed: ${missing.join(', ')} (Debian packages slurm-wlm and munge: bash scripts/setup.sh installs them)`;
  try {
    execFileSync('id', ['munge'], { stdio: 'ignore' });
  } catch {
    return 'no "munge" user (the munge package creates it)';
  }
  return undefined;
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

// ---------------------------------------------------------------------------
// Start, stop, status

export interface StartResult {
  /** False when the cluster was running already (then nothing was done). */
  started: boolean;
  seconds: number;
  env: { SLURM_CONF: string };
  node: string;
}

async function nodeState(p: ClusterPaths): Promise<string> {
  const r = await run('sinfo', ['-h', '-N', '-o', '%N %T'], { SLURM_CONF: p.conf }, 10_000).catch(() => undefined);
  return r && r.code === 0 ? r.stdout.trim() : '';
}

const USABLE = /^\S+ (idle|mixed|allocated|completing)$/;

/** Starts munged, slurmctld and slurmd (those not running) and waits until the node takes jobs. */
export async function startLocalCluster(options: { dir?: string; log?: (line: string) => void } = {}): Promise<StartResult> {
  const started = Date.now();
  const p = clusterPaths(options.dir);
  const log = options.log ?? (() => undefined);
  const result = (didStart: boolean): StartResult => ({ started: didStart, seconds: (Date.now() - started) / 1000, env: localClusterEnv(p.dir), node: os.hostname().split('.')[0] });
  const why = localClusterUnavailable();
  if (why) throw new Error(why);
  // Unix socket paths hold at most 107 bytes (slurmstepd's: <spool>/<node>_<job>.<step>).
  const longest = Math.max(p.mungeSocket.length, p.spoolDir.length + 40);
  if (longest > 107) throw new Error(`${p.dir}: too deep for the cluster's unix sockets (${longest} > 107 bytes); choose a shorter folder (--dir)`);
  const [munge, ctld, slurmd] = daemons(p);
  if (daemons(p).every((d) => daemonPid(d)) && USABLE.test(await nodeState(p))) return result(false);

  for (const dir of [p.dir, p.stateDir, p.spoolDir, p.logDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(p.dir, fs.statSync(p.dir).mode | 0o111); // munged (user munge) passes through to its socket
  // munged refuses a socket folder others cannot traverse, and a key others can read.
  fs.mkdirSync(p.mungeDir, { recursive: true });
  fs.chmodSync(p.mungeDir, 0o711);
  await run('chown', ['munge:munge', p.mungeDir]);
  if (!fs.existsSync(p.mungeKey)) {
    log(`munge key: mungekey -c -k ${p.mungeKey}`);
    const r = await run('runuser', ['-u', 'munge', '--', 'mungekey', '-c', '-k', p.mungeKey]);
    if (r.code !== 0) throw new Error(`mungekey failed: ${r.stderr.trim()}`);
  }

  if (!daemonPid(munge)) {
    // --force: start over a socket left by a munged that was killed (ours is not running, checked above).
    const args = ['-u', 'munge', '--', 'munged', '--force', `--key-file=${p.mungeKey}`, `--socket=${p.mungeSocket}`, `--pid-file=${p.mungePid}`, `--log-file=${p.mungeLog}`, `--seed-file=${p.mungeSeed}`];
    log(`runuser ${args.join(' ')}`);
    const r = await run('runuser', args);
    if (r.code !== 0) throw new Error(`munged did not start: ${r.stderr.trim()}\n${tail(p.mungeLog)}`);
    await waitUntil('munged', () => !!daemonPid(munge) && fs.existsSync(p.mungeSocket), 10_000);
  }

  if (!daemonPid(ctld) || !daemonPid(slurmd)) {
    // One of them is down: restart both on a fresh slurm.conf (new free ports).
    for (const d of [slurmd, ctld]) {
      const pid = daemonPid(d);
      if (pid) await endProcess(pid);
    }
    const [slurmctldPort, slurmdPort] = await freePorts(2);
    fs.writeFileSync(p.conf, slurmConf(thisMachine({ slurmctldPort, slurmdPort }), p));
    for (const name of ['slurmctld', 'slurmd']) {
      log(`SLURM_CONF=${p.conf} ${name}`);
      const r = await run(name, [], { SLURM_CONF: p.conf });
      if (r.code !== 0) throw new Error(`${name} did not start (exit ${r.code}): ${r.stderr.trim()}\n${tail(name === 'slurmd' ? p.slurmdLog : p.slurmctldLog)}`);
    }
  }
  try {
    await waitUntil('the node to be idle in sinfo', async () => USABLE.test(await nodeState(p)), 30_000, 200);
  } catch (e) {
    throw new Error(`${(e as Error).message} (sinfo: "${await nodeState(p)}")\nslurmctld log:\n${tail(p.slurmctldLog)}\nslurmd log:\n${tail(p.slurmdLog)}`);
  }
  return result(true);
}

export interface DaemonStatus {
  name: string;
  pid?: number;
}

export interface ClusterStatus {
  dir: string;
  conf: string;
  daemons: DaemonStatus[];
  /** `sinfo -N -o "%N %T"` when the controller answers. */
  node?: string;
}

export async function localClusterStatus(options: { dir?: string } = {}): Promise<ClusterStatus> {
  const p = clusterPaths(options.dir);
  const list = daemons(p).map((d) => ({ name: d.name, pid: daemonPid(d) }));
  // Without munged, sinfo would retry for seconds before giving up.
  const node = list[0].pid && list[1].pid ? (await nodeState(p)) || undefined : undefined;
  return { dir: p.dir, conf: p.conf, daemons: list, node };
}

/** Processes of this cluster's jobs: the slurmstepd holding sockets in our spool folder, and everything below them. */
function jobProcesses(p: ClusterPaths): number[] {
  return withDescendants(processesWithSocketsUnder('slurmstepd', p.spoolDir));
}

export interface StopResult {
  /** Daemons that were running and are now ended, e.g. ["slurmd 123", …]. */
  stopped: string[];
  cancelledJobs: number;
}

/** Cancels every job, ends slurmd, slurmctld and munged by their pids; nothing of the cluster is left running. */
export async function stopLocalCluster(options: { dir?: string; log?: (line: string) => void } = {}): Promise<StopResult> {
  const p = clusterPaths(options.dir);
  const log = options.log ?? (() => undefined);
  const [munge, ctld, slurmd] = daemons(p);
  const env = { SLURM_CONF: p.conf };
  let cancelledJobs = 0;
  if (daemonPid(munge) && daemonPid(ctld)) {
    const q = await run('squeue', ['-h', '-o', '%A'], env, 10_000).catch(() => undefined);
    const ids = [...new Set<string>((q?.stdout ?? '').split('\n').map((s) => s.trim()).filter(Boolean))];
    if (ids.length) {
      log(`scancel ${ids.join(' ')}`);
      await run('scancel', ids, env, 10_000);
      cancelledJobs = ids.length;
      // Cancelled tasks get SIGTERM, then SIGKILL after KillWait (5 s); their slurmstepd then ends.
      // (Without slurmd nobody signals them: they are ended below, with their slurmstepd.)
      if (daemonPid(slurmd)) await waitUntil('the cancelled jobs to end', () => jobProcesses(p).length === 0, 20_000, 200).catch(() => undefined);
    }
  }
  const stopped: string[] = [];
  for (const d of [slurmd, ctld, munge]) {
    const pid = daemonPid(d);
    if (!pid) continue;
    log(`kill ${pid} (${d.name})`);
    await endProcess(pid);
    stopped.push(`${d.name} ${pid}`);
  }
  const stray = jobProcesses(p);
  for (const pid of stray) {
    log(`kill ${pid} (${processName(pid)}, left by a job)`);
    await endProcess(pid, 2_000);
  }
  for (const d of daemons(p)) fs.rmSync(d.pidFile, { force: true });
  return { stopped, cancelledJobs };
}
