// Project-local Jupyter: the tslab kernel specs live in <repo>/.jupyter (not
// in ~/.local or /usr/local), so the repository is self-contained and two
// checkouts never fight over one global "tslab" kernel.
//
// Debian's jupyter is used (/usr/bin/jupyter, /usr/bin/python3): a `python3`
// earlier on PATH (pyenv, venv) usually has no Jupyter installed.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from '../run/locations';
import { Notebook, readNotebook } from './ipynb';

export const JUPYTER_DIR = path.join(projectRoot(), '.jupyter');
/** Goes first on JUPYTER_PATH: holds kernels/tslab and kernels/jslab. */
export const JUPYTER_DATA_DIR = path.join(JUPYTER_DIR, 'share', 'jupyter');
export const KERNEL_NAME = 'tslab';
/** Records tslab's execute replies in the executed notebook (see the file). */
const NBCONVERT_CONFIG = path.join(projectRoot(), 'lib', 'notebook', 'nbconvert_config.py');
const TSLAB_BIN = path.join(projectRoot(), 'node_modules', '.bin', 'tslab');

function firstExisting(candidates: (string | undefined)[]): string | undefined {
  return candidates.find((c) => !!c && fs.existsSync(c));
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

/** The jupyter launcher, or undefined when Jupyter is not installed. SMILE_LENS_JUPYTER overrides. */
export function jupyterBinary(): string | undefined {
  return firstExisting([process.env.SMILE_LENS_JUPYTER, '/usr/bin/jupyter']) ?? onPath('jupyter');
}

/** Whether `jupyter <sub>` exists (lab, notebook, nbconvert...). */
export function hasJupyterCommand(sub: string): boolean {
  const jupyter = jupyterBinary();
  if (!jupyter) return false;
  const r = spawnSync(jupyter, [sub, '--version'], { encoding: 'utf8', timeout: 30_000, env: jupyterEnv() });
  return r.status === 0;
}

/** The environment for any jupyter process: project kernels first, runtime files inside .jupyter/. */
export function jupyterEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  // An explicit undefined removes a variable (e.g. SMILE_LENS_SMALL for the full configuration).
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  const rest = env.JUPYTER_PATH ? env.JUPYTER_PATH.split(path.delimiter).filter((p) => p && p !== JUPYTER_DATA_DIR) : [];
  env.JUPYTER_PATH = [JUPYTER_DATA_DIR, ...rest].join(path.delimiter);
  env.JUPYTER_RUNTIME_DIR = env.JUPYTER_RUNTIME_DIR ?? path.join(JUPYTER_DIR, 'runtime');
  // Python warnings about the frozen-modules debugger etc. are noise here.
  env.PYDEVD_DISABLE_FILE_VALIDATION = '1';
  return env;
}

const LAUNCHER = path.join(projectRoot(), 'lib', 'notebook', 'tslab-kernel.js');

/** The kernel specs this checkout needs: TypeScript (tslab) and JavaScript (jslab). */
function kernelSpecs(): Record<string, { argv: string[]; display_name: string; language: string }> {
  // An absolute node: Jupyter started from a desktop may not have node on PATH.
  const argv = [process.execPath, LAUNCHER, 'kernel', '--config-path', '{connection_file}'];
  return {
    tslab: { argv, display_name: 'TypeScript (smile-lens)', language: 'typescript' },
    jslab: { argv: [...argv, '--js'], display_name: 'JavaScript (smile-lens)', language: 'javascript' },
  };
}

function specFile(name: string): string {
  return path.join(JUPYTER_DATA_DIR, 'kernels', name, 'kernel.json');
}

/** The kernel specs exist and start this checkout's tslab through the launcher. */
export function kernelsRegistered(): boolean {
  try {
    for (const name of Object.keys(kernelSpecs())) {
      const argv = (JSON.parse(fs.readFileSync(specFile(name), 'utf8')) as { argv?: string[] }).argv ?? [];
      if (argv[1] !== LAUNCHER || !fs.existsSync(argv[0]) || !fs.existsSync(TSLAB_BIN)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers the tslab/jslab kernels in <repo>/.jupyter/share/jupyter/kernels
 * (what `npm run setup` does). Written directly rather than by `tslab install`:
 * the spec must start lib/notebook/tslab-kernel.js (which sets the working
 * directory), and this needs no Python.
 */
export function registerKernels(options: { quiet?: boolean } = {}): void {
  if (!fs.existsSync(TSLAB_BIN)) throw new Error(`${TSLAB_BIN} is missing: run \`npm ci\` (or \`npm run setup\`) first`);
  for (const [name, spec] of Object.entries(kernelSpecs())) {
    fs.mkdirSync(path.dirname(specFile(name)), { recursive: true });
    fs.writeFileSync(specFile(name), JSON.stringify(spec, null, 1) + '\n');
  }
  if (!options.quiet) process.stderr.write(`registered the tslab and jslab kernels in ${path.join(JUPYTER_DATA_DIR, 'kernels')}\n`);
}

export function ensureKernels(options: { quiet?: boolean } = {}): void {
  if (!kernelsRegistered()) registerKernels(options);
}

export interface ExecuteOptions {
  /** Where to write the executed notebook (default: a fresh temporary file). Never the input. */
  output?: string;
  /** Extra environment for the kernel (e.g. SMILE_LENS_SMALL=1). */
  env?: NodeJS.ProcessEnv;
  /** Longest time one cell may run (default 600 s). */
  cellTimeoutSec?: number;
  /** Longest time the whole notebook may run (default 1800 s). */
  timeoutSec?: number;
}

export interface ExecuteResult {
  /** The executed notebook as written by nbconvert (read back), if it was written. */
  notebook?: Notebook;
  output: string;
  /** nbconvert's exit status (errors inside cells do not change it: see checkExecuted). */
  status: number | null;
  /** nbconvert's own output (stdout and stderr). */
  stderr: string;
  seconds: number;
}

export interface RunResult {
  status: number | null;
  /** stdout and stderr, interleaved. */
  output: string;
  seconds: number;
}

/** Runs `jupyter <args>` with the project environment, collecting its output; kills it after timeoutSec. */
export function runJupyter(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutSec?: number } = {}): Promise<RunResult> {
  const jupyter = jupyterBinary();
  if (!jupyter) throw new Error('jupyter is not installed: run `npm run setup` (Debian: apt-get install jupyter-nbconvert)');
  const timeoutSec = options.timeoutSec ?? 1800;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(jupyter, args, { env: jupyterEnv(options.env), cwd: options.cwd ?? projectRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[smile-lens] jupyter ${args[0]} timed out after ${timeoutSec} s; killed\n`;
      child.kill('SIGKILL');
    }, timeoutSec * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/**
 * Executes a notebook headless with nbconvert and reads the result. The
 * kernel runs with the repository root as working directory (see
 * tslab-kernel.js), whatever folder the notebook is in.
 *
 * Runs with --allow-errors on purpose: a failing cell then still produces an
 * output notebook for checkExecuted to explain, instead of only a Python
 * traceback from nbconvert. The exit status alone proves nothing with tslab.
 */
export async function executeNotebook(input: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  ensureKernels({ quiet: true });
  const abs = path.resolve(input);
  const output = path.resolve(
    options.output ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-nb-')), path.basename(input)),
  );
  if (output === abs) throw new Error(`executeNotebook: output must not be the input (${abs})`);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  if (fs.existsSync(output)) fs.unlinkSync(output);
  const args = [
    'nbconvert', '--to', 'notebook', '--execute', '--allow-errors',
    `--config=${NBCONVERT_CONFIG}`,
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--ExecutePreprocessor.timeout=${options.cellTimeoutSec ?? 600}`,
    '--output-dir', path.dirname(output),
    '--output', path.basename(output, '.ipynb'),
    abs,
  ];
  const run = await runJupyter(args, { cwd: path.dirname(abs), env: options.env, timeoutSec: options.timeoutSec });
  const notebook = fs.existsSync(output) ? readNotebook(output) : undefined;
  return { notebook, output, status: run.status, stderr: run.output, seconds: run.seconds };
}
