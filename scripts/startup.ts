// `npx tsx scripts/startup.ts [--runs 7]`: how fast smile-lens starts, from
// the compiled build (.build/, npm run build) and from the TypeScript sources
// through tsx (SMILE_LENS_BUILD=off), measured in turns so that a busy
// machine slows both alike. Prints median wall time and median CPU time
// (user + system, which a machine shared with other work inflates less):
//   node -e 0                    the floor: Node itself
//   smile-lens --help
//   smile-lens train --epochs -1 a usage error (the options are checked before any work)
//   smile-lens backend           a command that chooses a backend
//   a worker                     from fork to its first progress message (a train-seed job)
import { fork, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXPERIMENT_DEFAULTS } from '../lib/config/experiment';
import { generateSyntheticCfd } from '../lib/data/synthetic/generate';
import { RunFolder } from '../lib/run/run-folder';
import { projectRoot } from '../lib/run/locations';
import { prepareRun } from '../lib/train/experiment';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const root = projectRoot();
const bin = path.join(root, 'bin', 'smile-lens.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall and CPU seconds of one command (GNU time). */
function timed(argv: string[], env: NodeJS.ProcessEnv = {}): { wall: number; cpu: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', ...argv], { encoding: 'utf8', env: { ...process.env, ...env } });
  const [wall, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys };
}

/** Seconds from fork to the worker's first progress message, and the CPU seconds it used by then. */
function workerStart(script: string, execArgv: string[], job: string): Promise<{ wall: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = fork(script, ['--job', job], { execArgv, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    child.once('message', () => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      // CPU time so far, from /proc (clock ticks of 1/100 s).
      const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(f[11]) + Number(f[12])) / 100;
      child.kill('SIGKILL');
      resolve({ wall, cpu });
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before reporting progress`)));
  });
}

async function main(): Promise<void> {
  if (spawnSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-startup-'));
  try {
    const data = path.join(tmp, 'data');
    await generateSyntheticCfd(data, { subjects: 12, expressiveSubjects: 6, width: 64 });
    const run = new RunFolder(path.join(tmp, 'run'));
    process.env.SMILE_LENS_CACHE_DIR = path.join(tmp, 'cache');
    await prepareRun(run, { ...EXPERIMENT_DEFAULTS, data, seeds: [1], epochs: 1, size: 16, batchSize: 4, model: { ...EXPERIMENT_DEFAULTS.model, channels: [4, 8, 8] } }, 'wasm');
    const job = JSON.stringify({ kind: 'train-seed', payload: { run: run.dir, seed: 1 }, backend: 'wasm' });
    const cases: [string, (build: boolean) => Promise<{ wall: number; cpu: number }>][] = [
      ['node -e 0', async () => timed([process.execPath, '-e', '0'])],
      ['smile-lens --help', async (build) => timed([process.execPath, bin, '--help'], { SMILE_LENS_BUILD: build ? '' : 'off' })],
      ['smile-lens train --epochs -1', async (build) => timed([process.execPath, bin, 'train', '--data', data, '--epochs', '-1'], { SMILE_LENS_BUILD: build ? '' : 'off' })],
      ['smile-lens backend', async (build) => timed([process.execPath, bin, 'backend', '--backend', 'wasm'], { SMILE_LENS_BUILD: build ? '' : 'off' })],
      [
        'a worker, to its first progress',
        (build) =>
          build
            ? workerStart(path.join(root, '.build', 'lib', 'worker', 'entry.js'), [], job)
            : workerStart(path.join(root, 'lib', 'worker', 'entry.ts'), ['--require', require.resolve('tsx/cjs')], job),
      ],
    ];
    console.log(`${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; ${runs} runs each, build and sources in turns; medians`);
    console.log(`${'what'.padEnd(32)} ${'build: wall'.padStart(12)} ${'cpu'.padStart(7)}   ${'sources: wall'.padStart(14)} ${'cpu'.padStart(7)}`);
    for (const [name, measure] of cases) {
      const build: { wall: number; cpu: number }[] = [];
      const sources: { wall: number; cpu: number }[] = [];
      await measure(true); // warm the file cache (and tsx's)
      await measure(false);
      for (let i = 0; i < runs; i++) {
        build.push(await measure(true));
        sources.push(await measure(false));
      }
      const s = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu') => `${median(xs.map((x) => x[k])).toFixed(2)} s`;
      console.log(`${name.padEnd(32)} ${s(build, 'wall').padStart(12)} ${s(build, 'cpu').padStart(7)}   ${s(sources, 'wall').padStart(14)} ${s(sources, 'cpu').padStart(7)}`);
    }
    console.log(`load average now ${os.loadavg()[0].toFixed(1)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
