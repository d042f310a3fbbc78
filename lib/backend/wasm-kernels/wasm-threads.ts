// Multithreaded tfjs-backend-wasm in Node (opt-in: SMILE_LENS_WASM_THREADS=n).
//
// tfjs 4.22 reports WASM_HAS_MULTITHREAD_SUPPORT=false under Node outright
// (tfjs issue #3830) and, when forced, hands Emscripten Blob URLs for the
// pthread worker, which worker_threads cannot load. The threaded build itself
// runs fine on Node 20's worker_threads once it gets file paths:
//  - the worker script (shipped as a JS string) is written to a temp file,
//    with its newlines escaped the way tfjs escapes them for its Blob;
//  - the main script is given to the workers as a path they can eval;
//  - tfjs sizes its pthreadpool as os.cpus().length / 2 ("2 hyperthreads per
//    core"), which is 1 on a 2-vCPU machine, so os.cpus() is widened while
//    the module initialises;
//  - workers start without the parent's execArgv (tsx's loader would
//    otherwise transpile Emscripten's worker in each of the 8 pool threads).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker as NodeWorker } from 'worker_threads';
import * as tf from '@tensorflow/tfjs';

export const WASM_THREADS_ENV = 'SMILE_LENS_WASM_THREADS';

type EmscriptenModule = Record<string, unknown> & {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => number;
};

function packageFile(...parts: string[]): string {
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), ...parts);
}

/** A Worker that does not inherit the parent's --require/--import hooks. */
class PlainWorker extends NodeWorker {
  constructor(filename: string | URL, options: ConstructorParameters<typeof NodeWorker>[1] = {}) {
    super(filename, { ...options, execArgv: [] });
  }
}

async function instantiateThreaded(threads: number): Promise<EmscriptenModule> {
  const mainScript = packageFile('wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(packageFile('wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-wasm-'));
  const workerFile = path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  fs.writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n'));
  const factory = require(mainScript) as (config: object) => Promise<EmscriptenModule>;

  // The namespace import is read-only; the module object itself is not.
  const osModule = require('os') as { cpus: typeof os.cpus };
  const realCpus = osModule.cpus;
  const globals = globalThis as { Worker?: unknown };
  const previousWorker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  osModule.cpus = () => Array.from({ length: 2 * threads }, () => realCpus()[0]);
  // Emscripten assigns global.Worker = worker_threads.Worker; keep ours instead.
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PlainWorker, set: () => undefined });
  try {
    const module = await factory({
      locateFile: (file: string) =>
        file.endsWith('.worker.js') ? workerFile : file.endsWith('.wasm') ? packageFile('dist', 'tfjs-backend-wasm-threaded-simd.wasm') : file,
      mainScriptUrlOrBlob: mainScript,
    });
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    return module;
  } finally {
    osModule.cpus = realCpus;
    if (previousWorker) Object.defineProperty(globalThis, 'Worker', previousWorker);
    else delete globals.Worker;
    // Emscripten may start more workers later (more threads than its pool of 8).
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
}

/**
 * Replaces the 'wasm' backend factory by one that starts the threaded SIMD
 * build with `threads` threads. Must run before the wasm backend initialises.
 */
export function useThreadedWasm(threads: number): void {
  if (!Number.isInteger(threads) || threads < 2) throw new Error(`wasm threads: expected an integer ≥ 2, got ${threads}`);
  const engine = tf.engine() as unknown as { registry: Record<string, unknown> };
  if (engine.registry['wasm']) throw new Error('wasm threads: the wasm backend is already initialised');
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  wasm.setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', async () => new wasm.BackendWasm(await instantiateThreaded(threads) as never), 2);
}

/** The thread count requested through SMILE_LENS_WASM_THREADS (1 when unset). */
export function requestedWasmThreads(): number {
  const raw = process.env[WASM_THREADS_ENV];
  if (!raw) return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${WASM_THREADS_ENV}: expected a positive integer, got "${raw}"`);
  return n;
}
