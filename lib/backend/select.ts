// Chooses the TensorFlow.js compute backend at run time and says why.
//
// Order of preference: tfjs-node-gpu (CUDA), tfjs-node (native CPU), wasm, cpu.
// The native packages are optionalDependencies whose install script downloads
// libtensorflow; where that failed they are absent (or present but broken), so
// each is first probed in a child process: a broken native library can abort a
// process outright, and that must never be ours.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { useCpuBackend } from './cpu';

import { BACKEND_ENV, BACKENDS, BackendName, parseBackendName } from './names';

export { BACKEND_ENV, BACKENDS, parseBackendName };
export type { BackendName };

export interface BackendChoice {
  /** The smile-lens name of the backend that runs. */
  name: BackendName;
  /** tf.getBackend() after the switch ('tensorflow' for both native ones). */
  tfName: string;
  /** Why every better backend was not used, best first. */
  skipped: { name: BackendName; reason: string }[];
  /** Whether the user forced it (flag or environment). */
  forced: boolean;
  /** What runs inside it, when that matters (wasm: which convolution kernels). */
  kernels?: string;
}

const NATIVE_PACKAGE: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

let current: BackendChoice | undefined;

function resolvable(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** A CUDA device is visible to this process (driver nodes or nvidia-smi). */
export function cudaDeviceVisible(): boolean {
  if (fs.existsSync('/dev/nvidia0')) return true;
  const smi = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000 });
  return smi.status === 0 && /GPU \d/.test(smi.stdout ?? '');
}

/** Loads the native package in a throw-away process; '' when it works, else the reason. */
function probeNative(pkg: string): string {
  if (!resolvable(pkg)) {
    return `${pkg} is not installed (its install script downloads libtensorflow; see README "Backends")`;
  }
  // The package as this process resolves it, whatever the probe's working directory.
  const script = `const tf=require(${JSON.stringify(require.resolve(pkg))});tf.tensor([1,2]).square().dataSync();` +
    `process.stdout.write(tf.getBackend())`;
  const probe = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status === 0 && probe.stdout.trim() === 'tensorflow') return '';
  const why = (probe.stderr || probe.stdout || String(probe.error ?? probe.signal ?? '')).trim();
  const firstLine = why.split('\n').find((l) => /error/i.test(l)) ?? why.split('\n')[0] ?? 'unknown failure';
  return `${pkg} is installed but does not load: ${firstLine.slice(0, 200)}`;
}

async function activate(name: BackendName): Promise<{ tfName: string; kernels?: string }> {
  let kernels: string | undefined;
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require(NATIVE_PACKAGE[name]);
    await tf.setBackend('tensorflow');
  } else if (name === 'wasm') {
    // require, not import(): tsx's CommonJS hook does not cover dynamic import.
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
    wasm.setWasmPaths(dist);
    const { registerTrainingKernels } = require('./wasm-kernels/register') as typeof import('./wasm-kernels/register');
    kernels = registerTrainingKernels();
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  } else {
    await useCpuBackend();
  }
  await tf.ready();
  return { tfName: tf.getBackend(), kernels };
}

/**
 * Picks the best available backend (or the forced one: `requested`, else the
 * SMILE_LENS_BACKEND environment variable), activates it and returns why.
 */
export async function chooseBackend(requested?: string): Promise<BackendChoice> {
  const forcedRaw = requested ?? process.env[BACKEND_ENV];
  const forced = forcedRaw ? parseBackendName(forcedRaw, requested ? '--backend' : BACKEND_ENV) : undefined;
  if (current && (!forced || forced === current.name)) return current;

  const skipped: BackendChoice['skipped'] = [];
  const candidates: BackendName[] = forced ? [forced] : [...BACKENDS];
  for (const name of candidates) {
    let reason = '';
    if (name === 'tensorflow-gpu') {
      reason = cudaDeviceVisible() ? probeNative(NATIVE_PACKAGE[name]) : 'no CUDA GPU visible (no /dev/nvidia0, nvidia-smi lists none)';
    } else if (name === 'tensorflow') {
      reason = probeNative(NATIVE_PACKAGE[name]);
    }
    if (!reason) {
      try {
        const { tfName, kernels } = await activate(name);
        current = { name, tfName, skipped, forced: !!forced, kernels };
        return current;
      } catch (e) {
        reason = `failed to start: ${(e as Error).message}`;
      }
    }
    if (forced) throw new Error(`backend "${name}" was requested (${requested ? '--backend' : BACKEND_ENV}) but is not available: ${reason}`);
    skipped.push({ name, reason });
  }
  throw new Error(`no TensorFlow.js backend could start:\n${skipped.map((s) => `  ${s.name}: ${s.reason}`).join('\n')}`);
}

/** One line for logs and notebooks: which backend runs and why not the better ones. */
export function describeBackend(choice: BackendChoice): string {
  const head = `backend: ${choice.name}${choice.forced ? ' (forced)' : ''}${choice.kernels ? ` (${choice.kernels})` : ''}`;
  if (choice.skipped.length === 0) return head;
  return `${head}; not used: ${choice.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`;
}

/** The currently chosen backend, if chooseBackend has run in this process. */
export function currentBackend(): BackendChoice | undefined {
  return current;
}
