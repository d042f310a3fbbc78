// Bad options and bad folders are refused before any work: exit code 2, one
// line naming the option, the value and what was expected, no backend chosen
// (main.ts names it before a command's work), nothing written. The cases
// new users ran into (issue 15) are here one by one.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../lib/cli/main';
import { EXPERIMENT_DEFAULTS } from '../lib/config/experiment';
import { RunFolder } from '../lib/run/run-folder';
import { outputFolderProblem } from '../lib/util/output-folder';
import { COMMANDS } from '../lib/cli/commands';
import { commandHelp } from '../lib/cli/command';

async function call(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    Object.assign(console, { log, error });
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

describe('options and folders are checked before any work', function () {
  this.timeout(120_000);
  let tmp: string;
  let data: string;
  let run: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-usage-'));
    data = path.join(tmp, 'data');
    fs.mkdirSync(data);
    // A run folder with seeds 1 and 2, of which only seed 1 is trained.
    run = path.join(tmp, 'run');
    const folder = new RunFolder(run);
    folder.writeConfig({ experiment: { ...EXPERIMENT_DEFAULTS, data, seeds: [1, 2] }, data: {}, backend: 'wasm', versions: {}, created: '' });
    folder.seed(1).writeResult({ seed: 1, status: 'done', epochs: 12, history: [], seconds: 1 });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const refused = async (argv: string[], message: RegExp, env: Record<string, string> = {}) => {
    const r = await call(argv, env);
    assert.strictEqual(r.code, 2, `${argv.join(' ')}: exit code (stderr: ${r.err})`);
    assert.strictEqual(r.err.split('\n').length, 1, `${argv.join(' ')}: one line, got:\n${r.err}`);
    assert.match(r.err, message, argv.join(' '));
    assert.doesNotMatch(r.out, /^backend:/m, `${argv.join(' ')}: refused before a backend was chosen`);
  };

  it('numbers out of range name the option, the value and the range (issue 15)', async () => {
    const train = (...a: string[]) => ['train', '--data', data, '--out', path.join(tmp, 'never'), ...a];
    await refused(train('--epochs', '-1'), /^smile-lens train: --epochs: expected a whole number from 1 to 10000, got -1 /);
    await refused(train('--epochs', '0'), /--epochs: expected a whole number from 1 to 10000, got 0 /);
    await refused(train('--batch', '0'), /--batch: expected a whole number from 2 to 4096, got 0 /);
    await refused(train('--batch', '-5'), /--batch: expected a whole number from 2 to 4096, got -5 /);
    await refused(train('--lr', '-1'), /--lr: expected a number above 0 and at most 10, got -1 /);
    await refused(train('--limit-per-class', '-3'), /--limit-per-class: expected a whole number from 0 to 1000000, got -3 /);
    await refused(train('--epochs', 'many'), /--epochs: expected a whole number from 1 to 10000, got "many"/);
    await refused(['explain', '--run', run, '--limit', '-1'], /^smile-lens explain: --limit: expected a whole number from 0 to 1000000, got -1 /);
    await refused(['synth', '--out', path.join(tmp, 'set'), '--width', '3000'], /--width: expected a whole number from 32 to 2444, got 3000/);
    assert.ok(!fs.existsSync(path.join(tmp, 'never')), 'nothing written');
  });

  it('backends are checked like every option, in the flag and in the environment', async () => {
    await refused(['train', '--data', data, '--backend', 'foo'], /^smile-lens train: --backend: expected one of tensorflow-gpu, tensorflow, wasm, cpu, got "foo"/);
    await refused(['train', '--data', data], /SMILE_LENS_BACKEND=bogus: expected one of tensorflow-gpu, tensorflow, wasm, cpu/, { SMILE_LENS_BACKEND: 'bogus' });
  });

  it('settings that contradict each other, and seeds a run does not have', async () => {
    await refused(['synth', '--out', path.join(tmp, 'set'), '--subjects', '5', '--expressive', '9'], /^smile-lens synth: --expressive 9 is more than --subjects 5$/);
    await refused(['bias-sweep', '--subjects', '10', '--expressive-subjects', '20', '--out', path.join(tmp, 'sweep')], /--expressive-subjects 20 is more than --subjects 10/);
    await refused(['explain', '--run', run, '--seeds', '7'], /--seeds 7: .*run has no seed 7 \(its seeds: 1, 2\)/);
    await refused(['explain', '--run', run, '--seeds', '1,2'], /--seeds 1,2: seed 2 of .*run is not trained yet \(trained: 1\)/);
    await refused(['audit', '--run', run, '--seeds', '1'], /seed 1 of .*run has no finished explanations; run smile-lens explain --run \S+ first$/);
    await refused(['audit', '--run', run, '--seeds', '1', '--methods', 'gradcam,gradientshap'], /seed 1 of .*run has no finished gradcam or gradientshap explanations; run smile-lens explain/);
    await refused(['retrain-masked', '--run', run], /seed 2 of .*run is not trained yet/);
    await refused(['train', '--data', data, '--small', '--preset', 'full'], /--small and --preset full contradict each other/);
  });

  it('input folders must exist and be what they should', async () => {
    await refused(['train', '--data', path.join(tmp, 'missing')], /^smile-lens train: --data .*missing: no such folder$/);
    await refused(['explain', '--run', path.join(tmp, 'missing')], /--run .*missing: no such folder/);
    await refused(['explain', '--run', data], /--run .*data: not a run folder \(no config\.json\); make one with smile-lens train/);
    await refused(['report', '--run', run, '--bias-sweep', path.join(tmp, 'missing')], /--bias-sweep .*missing: no such folder/);
  });

  it('output folders inside /proc or /sys, or behind a file, are refused without touching them', async () => {
    await refused(['train', '--data', data, '--out', '/proc/x'], /^smile-lens train: --out: \/proc\/x is inside \/proc, a virtual file system, not a place for outputs$/);
    await refused(['synth', '--out', '/sys/x'], /--out: \/sys\/x is inside \/sys, a virtual file system/);
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    await refused(['train', '--data', data, '--out', path.join(file, 'run')], /--out: .*a-file\/run cannot be made: a part of that path is a file, not a folder/);
    await refused(['synth', '--out', data.replace(/data$/, 'run')], /exists and is not a synthetic data set/);
  });

  it('outputFolderProblem: virtual file systems (also through a link), files in the way, free space', () => {
    assert.strictEqual(outputFolderProblem(path.join(tmp, 'new', 'deeper')), undefined);
    assert.ok(!fs.existsSync(path.join(tmp, 'new')), 'creates nothing');
    assert.match(outputFolderProblem('/proc/self/x')!, /inside \/proc/);
    assert.match(outputFolderProblem('/sys')!, /inside \/sys/);
    assert.strictEqual(outputFolderProblem('/dev/shm/smile-lens-x'), undefined, '/dev/shm is an ordinary memory file system');
    const link = path.join(tmp, 'to-proc');
    fs.symlinkSync('/proc/self', link);
    assert.match(outputFolderProblem(path.join(link, 'x'))!, /inside \/proc \(through .*to-proc → \/proc\/\d+\)/);
    const file = path.join(tmp, 'plain');
    fs.writeFileSync(file, 'x');
    assert.match(outputFolderProblem(file)!, /plain is a file, not a folder/);
    const free = Number(fs.statfsSync(tmp).bavail) * Number(fs.statfsSync(tmp).bsize);
    assert.strictEqual(outputFolderProblem(tmp, Math.floor(free / 2)), undefined);
    assert.match(outputFolderProblem(tmp, free * 10)!, /needs about [\d.]+ [kMGT]?B for its outputs, but only [\d.]+ [kMGT]?B are free there/);
  });

  it('stages called from a notebook check the folders they create too', async () => {
    const { train, ensureData } = require('../lib/pipeline/stages') as typeof import('../lib/pipeline/stages');
    const { runConfig } = require('../lib/config/run-config') as typeof import('../lib/config/run-config');
    await assert.rejects(train(runConfig({ preset: 'small', data, runDir: '/proc/x' })), /\/proc\/x is inside \/proc/);
    const config = runConfig({ preset: 'small' });
    await assert.rejects(ensureData({ ...config, experiment: { ...config.experiment, data: '/sys/x' } }), /\/sys\/x is inside \/sys/);
  });

  it('every numeric option of every command shows its range in --help', () => {
    for (const entry of COMMANDS) {
      const command = entry.load();
      const help = commandHelp(command, entry.summary);
      for (const [name, field] of Object.entries(command.options) as [string, { kind: string; hidden?: boolean; expected: string }][]) {
        if (field.hidden || (field.kind !== 'int' && field.kind !== 'number')) continue;
        assert.ok(help.includes(`[${field.expected}]`), `smile-lens ${entry.name} --help: --${name} without its range`);
        assert.match(field.expected, /from|above|≥|≤/, `smile-lens ${entry.name} --${name}: no range declared (${field.expected})`);
      }
    }
  });

  it('through the command line: /proc and /sys are refused at once (recursive mkdir would loop there)', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
    for (const argv of [['train', '--data', data, '--out', '/proc/x'], ['synth', '--out', '/proc/x']]) {
      const started = Date.now();
      const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 60_000 });
      assert.strictEqual(r.status, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /\/proc\/x is inside \/proc/);
      console.log(`      smile-lens ${argv.join(' ')}: refused in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    }
  });
});
