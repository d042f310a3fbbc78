// Fault injection: every long command is stopped at random points, by
// SIGINT, SIGTERM or SIGKILL to the parent and by SIGKILL to one of its
// workers, on a tiny configuration. After each stop: no process of the
// command survives, every file in its folder is whole (each JSON parses,
// each .npy decodes, each model loads), and running the command again
// resumes to exactly the files of an uninterrupted run (JSON compared
// without its timings). The counts are printed.
import * as assert from 'assert';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseBackend } from '../lib/backend/select';
import { generateSyntheticCfd } from '../lib/data/synthetic/generate';
import { loadModel } from '../lib/model/model-files';
import { createRandom } from '../lib/util/random';
import { decodeNpy } from '../lib/util/npy';
import { processAlive, withDescendants } from '../lib/util/processes';

const BACKEND = process.env.SMILE_LENS_BACKEND ?? 'wasm';
const BIN = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
/** Change it to try other points; the test prints it. */
const SEED = Number(process.env.SMILE_LENS_FAULT_SEED ?? 15);

type Target = 'parent' | 'worker';
interface Stop {
  signal: NodeJS.Signals;
  target: Target;
}
const STOPS: Stop[] = [
  { signal: 'SIGINT', target: 'parent' },
  { signal: 'SIGTERM', target: 'parent' },
  { signal: 'SIGKILL', target: 'parent' },
  { signal: 'SIGKILL', target: 'worker' },
];

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  /** Every process of the command seen while it ran (itself and its workers). */
  pids: Set<number>;
  stderr: string;
}

/** Runs `smile-lens args`; `stop` is called with the child once it runs, and may signal it or its workers. */
function run(args: string[], env: NodeJS.ProcessEnv, stop?: (child: ChildProcess, pids: () => number[]) => void): Promise<Outcome> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args, '--backend', BACKEND], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const pids = new Set<number>([child.pid!]);
  const tree = () => withDescendants([child.pid!]).filter((p) => p !== child.pid);
  const watch = setInterval(() => tree().forEach((p) => pids.add(p)), 100);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  stop?.(child, tree);
  return new Promise((resolve, reject) => {
    const hang = setTimeout(() => reject(new Error(`smile-lens ${args.join(' ')} did not end within 180 s:\n${stderr}`)), 180_000);
    child.on('exit', (code, signal) => {
      clearInterval(watch);
      clearTimeout(hang);
      resolve({ code, signal, seconds: (Date.now() - started) / 1000, pids, stderr });
    });
  });
}

/** JSON keys that say when or how long, not what. */
const TIMINGS = ['seconds', 'created'];

/** Every file under `dir` (relative path → contents), JSON without its timings. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.json')) {
        // Where the folder is differs between the runs compared: it is left out too.
        const json = JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8')), (k, v) => (TIMINGS.includes(k) ? undefined : v));
        out.set(path.relative(dir, f), json.split(JSON.stringify(dir).slice(1, -1)).join('<folder>'));
      } else out.set(path.relative(dir, f), fs.readFileSync(f).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `…${a.slice(Math.max(0, i - 60), i + 40)}… instead of …${b.slice(Math.max(0, i - 60), i + 40)}…`;
}

/** What an interruption may leave: whole files only (temporaries aside, which the next run removes). */
async function assertWhole(dir: string): Promise<number> {
  let temporaries = 0;
  const models: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.tmp-\d+-/.test(e.name)) temporaries++;
      else if (e.name.endsWith('.json')) {
        assert.doesNotThrow(() => JSON.parse(fs.readFileSync(f, 'utf8')), `${f} is not whole JSON`);
        if (e.name === 'model.json') models.push(d);
      } else if (e.name.endsWith('.npy')) assert.doesNotThrow(() => decodeNpy(fs.readFileSync(f)), `${f} is not a whole .npy`);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  for (const m of models) (await loadModel(m)).dispose();
  return temporaries;
}

/** No process of the command is left (zombies, already ended, do not count). */
async function assertNoneSurvive(o: Outcome, what: string): Promise<void> {
  // A worker whose parent was killed notices within a fraction of a second; Jupyter takes a few to shut down.
  const end = Date.now() + 15_000;
  let alive: number[] = [];
  do {
    alive = [...o.pids].filter((p) => processAlive(p));
    if (alive.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < end);
  assert.fail(`${what}: processes ${alive.join(', ')} survived`);
}

describe('fault injection: long commands stopped at random points resume to the same files', function () {
  this.timeout(1_800_000);
  let tmp: string;
  let data: string;
  let env: NodeJS.ProcessEnv;
  const random = createRandom(SEED);
  const counts = { kills: 0, finishedFirst: 0, resumesIdentical: 0, temporariesLeft: 0, labStops: 0 };
  const reference = new Map<string, { files: Map<string, string>; seconds: number }>();

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-faults-'));
    data = path.join(tmp, 'data');
    env = { SMILE_LENS_OUTPUTS: path.join(tmp, 'outputs'), SMILE_LENS_CACHE_DIR: path.join(tmp, 'cache') };
    await generateSyntheticCfd(data, { subjects: 12, expressiveSubjects: 6, width: 64 });
    // A stale build is rebuilt now, not inside the timed reference runs.
    assert.strictEqual(spawnSync(process.execPath, [BIN, '--version']).status, 0);
    // Models are loaded here only to see that they load.
    await chooseBackend('cpu');
  });
  after(() => {
    console.log(`      fault injection (seed ${SEED}): ${counts.kills} kills, ${counts.resumesIdentical} resumes identical to the uninterrupted run; ${counts.finishedFirst} runs finished before their kill; ${counts.temporariesLeft} temporary files left by kills, removed on resume; npm run lab stopped ${counts.labStops} times with Jupyter`);
    if (!process.env.SMILE_LENS_KEEP_FAULTS) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const train = (out: string) => ['train', '--data', data, '--out', out, '--size', '16', '--epochs', '4', '--seeds', '2', '--channels', '4,8,8', '--batch', '4', '--jobs', '2'];
  const explain = (out: string) => ['explain', '--run', out, '--limit', '5', '--samples', '4', '--jobs', '2'];
  const audit = (out: string) => ['audit', '--run', out, '--random-draws', '1', '--jobs', '2'];
  const synth = (out: string) => ['synth', '--out', out, '--subjects', '30', '--width', '96'];

  /** The command's uninterrupted result, made on a copy of `from` (the folder it starts with). */
  async function uninterrupted(name: string, command: (out: string) => string[], from?: string): Promise<string> {
    const out = path.join(tmp, `${name}-reference`);
    if (from) fs.cpSync(from, out, { recursive: true });
    const o = await run(command(out), env);
    assert.strictEqual(o.code, 0, o.stderr);
    reference.set(name, { files: snapshot(out), seconds: o.seconds });
    return out;
  }

  async function stopAndResume(name: string, command: (out: string) => string[], stop: Stop, from?: string): Promise<void> {
    const out = path.join(tmp, `${name}-${stop.signal}-${stop.target}`);
    if (from) fs.cpSync(from, out, { recursive: true });
    const ref = reference.get(name)!;
    // A random point of the uninterrupted run's duration (its first 15% are mostly start-up).
    const delayMs = 1000 * ref.seconds * random.uniform(0.15, 0.85);
    let sent = false;
    const o = await run(command(out), env, (child, workers) => {
      const fire = (): void => {
        if (child.exitCode !== null) return;
        if (stop.target === 'parent') {
          child.kill(stop.signal);
          sent = true;
          return;
        }
        const w = workers();
        if (w.length === 0) return void setTimeout(fire, 50);
        process.kill(w[Math.floor(random.uniform(0, w.length))], stop.signal);
        sent = true;
      };
      setTimeout(fire, delayMs);
    });
    const what = `${name}, ${stop.signal} to the ${stop.target} after ${(delayMs / 1000).toFixed(1)} s`;
    if (!sent || o.code === 0) counts.finishedFirst++;
    else {
      counts.kills++;
      // Stopped while it starts (before its handlers are set), a command dies of the signal itself.
      if (stop.target === 'parent' && stop.signal !== 'SIGKILL' && o.signal === null) {
        assert.strictEqual(o.code, 128 + os.constants.signals[stop.signal], `${what}: exit code\n${o.stderr}`);
        assert.match(o.stderr, /interrupted \(SIG\w+\).*\n(.*\n)*.*run the same command again/, what);
      }
    }
    await assertNoneSurvive(o, what);
    counts.temporariesLeft += await assertWhole(out);
    const resumed = await run(command(out), env);
    assert.strictEqual(resumed.code, 0, `${what}: the resumed run failed\n${resumed.stderr}`);
    await assertNoneSurvive(resumed, `${what}, resumed`);
    const files = snapshot(out);
    assert.deepStrictEqual([...files.keys()].sort(), [...ref.files.keys()].sort(), `${what}: other files than an uninterrupted run`);
    for (const [file, contents] of ref.files) if (files.get(file) !== contents) assert.fail(`${what}: ${file} differs from the uninterrupted run's: ${firstDifference(files.get(file)!, contents)}`);
    counts.resumesIdentical++;
  }

  let trained: string;
  let explained: string;

  it('train: the resumed models and metrics equal an uninterrupted run bit for bit', async () => {
    trained = await uninterrupted('train', train);
    for (const stop of STOPS) await stopAndResume('train', train, stop);
  });

  it('explain: the resumed maps equal an uninterrupted run bit for bit', async () => {
    explained = await uninterrupted('explain', explain, trained);
    for (const stop of STOPS) await stopAndResume('explain', explain, stop, trained);
  });

  it('audit: the resumed tables equal an uninterrupted run bit for bit', async () => {
    await uninterrupted('audit', audit, explained);
    for (const stop of [STOPS[0], STOPS[2], STOPS[3]]) await stopAndResume('audit', audit, stop, explained);
  });

  it('npm run lab: stopped by its PID (SIGTERM) or killed (SIGKILL), Jupyter stops too', async function () {
    if (spawnSync('jupyter', ['notebook', '--version']).status !== 0) this.skip();
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const port = 20000 + Math.floor(random.uniform(0, 20000));
      const npm = spawn('npm', ['run', 'lab', '--', '--no-browser', `--port=${port}`], { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const seen = new Set<number>();
      const serving = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Jupyter did not start within 120 s:\n${output}`)), 120_000);
        const look = (d: Buffer) => {
          output += d.toString();
          if (new RegExp(`:${port}/`).test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        npm.stdout!.on('data', look);
        npm.stderr!.on('data', look);
      });
      await serving;
      withDescendants([npm.pid!]).forEach((p) => seen.add(p));
      assert.ok(seen.size >= 3, `npm, lab.ts and Jupyter run: ${[...seen].join(', ')}`);
      npm.kill(signal);
      await assertNoneSurvive({ pids: seen, code: null, signal: null, seconds: 0, stderr: '' }, `npm run lab after ${signal}`);
      counts.labStops++;
    }
  });

  it('synth: an interrupted set resumes (no .partial folder left) to the same files', async () => {
    const reference = await uninterrupted('synth', synth);
    for (const stop of STOPS.filter((s) => s.target === 'parent')) await stopAndResume('synth', synth, stop);
    assert.deepStrictEqual(fs.readdirSync(tmp).filter((n) => n.includes('.partial-')), [], 'no staging folder left');
    assert.ok(fs.existsSync(path.join(reference, 'synthetic.json')));
  });
});
