// Did a change leave every result as it was? Runs the main job twice — in a
// clean copy of a git revision (default: main) and in this checkout — with
// the same settings, then compares the two run folders
// (lib/run/compare-runs.ts): metrics.json apart from timings and every table
// byte for byte, the maps and models reported too. Exit code 0 when identical.
//
//   npx tsx scripts/identical-results.ts [--base <rev>] [--small] [--jobs <n>] [--keep <folder>]
//   npx tsx scripts/identical-results.ts --compare <run folder> <run folder>
//
// The small configuration takes minutes; the full one the main job's time
// twice: run it niced (`nice -n 10`), in the background. The copy of the
// revision shares this checkout's node_modules (the same packages) and
// generates its own data, as a fresh clone would.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareRuns, formatComparison } from '../lib/run/compare-runs';
import { projectRoot } from '../lib/run/locations';

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** A clean copy of `rev` (its committed files only) in `dir`, with this checkout's node_modules. */
function checkout(rev: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', rev], { cwd: projectRoot(), maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  fs.symlinkSync(path.join(projectRoot(), 'node_modules'), path.join(dir, 'node_modules'));
}

/** Runs the main job of the checkout at `root` with its outputs in `outputs`; returns its run folder. */
async function mainJob(root: string, outputs: string, args: string[], log: string): Promise<string> {
  const started = Date.now();
  const out = fs.openSync(log, 'w');
  const child = spawn(process.execPath, [path.join(root, 'bin', 'smile-lens.js'), 'experiment', ...args], {
    cwd: root,
    env: { ...process.env, SMILE_LENS_OUTPUTS: outputs },
    stdio: ['ignore', out, out],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  fs.closeSync(out);
  if (code !== 0) throw new Error(`the main job in ${root} failed (exit ${code}); see ${log}`);
  const runs = fs.readdirSync(path.join(outputs, 'runs'));
  if (runs.length !== 1) throw new Error(`${outputs}/runs: expected one run folder, found ${runs.join(', ')}`);
  console.log(`main job in ${root}: ${((Date.now() - started) / 60000).toFixed(1)} min (log: ${log})`);
  return path.join(outputs, 'runs', runs[0]);
}

async function main(argv: string[]): Promise<number> {
  const compare = argv.indexOf('--compare');
  if (compare >= 0) {
    const [before, after] = argv.slice(compare + 1, compare + 3);
    if (!before || !after) throw new Error('--compare needs two run folders');
    const c = compareRuns(before, after);
    console.log(formatComparison(c));
    return c.identical ? 0 : 1;
  }
  const base = option(argv, '--base') ?? 'main';
  const work = option(argv, '--keep') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-identical-'));
  const args = ['--backend', process.env.SMILE_LENS_BACKEND ?? 'wasm'];
  if (argv.includes('--small')) args.push('--small');
  const jobs = option(argv, '--jobs');
  if (jobs) args.push('--jobs', jobs);
  const revision = execFileSync('git', ['rev-parse', '--short', base], { cwd: projectRoot(), encoding: 'utf8' }).trim();
  console.log(`before: ${base} (${revision}) in ${path.join(work, 'base')}; after: ${projectRoot()}; settings: ${args.join(' ')}`);
  try {
    checkout(base, path.join(work, 'base'));
    const before = await mainJob(path.join(work, 'base'), path.join(work, 'before'), args, path.join(work, 'before.log'));
    const after = await mainJob(projectRoot(), path.join(work, 'after'), args, path.join(work, 'after.log'));
    const c = compareRuns(before, after);
    console.log(formatComparison(c));
    return c.identical ? 0 : 1;
  } finally {
    if (!option(argv, '--keep')) fs.rmSync(work, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
