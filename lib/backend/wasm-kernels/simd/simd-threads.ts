// Helper threads for smile-lens's SIMD kernels on the threaded wasm build.
// Each helper is a worker_thread holding its own instance of the same module
// on the same shared memory; the main thread hands it a list of calls through
// a small shared control block and blocks (Atomics.wait) until it is done —
// the kernels are synchronous, like every tfjs kernel. A call list carries no
// pointers to JS objects, only export names and i32 arguments.
import { Worker } from 'worker_threads';
import type { KernelCall } from './simd-module';
import { wasmApi, WasmMemory } from './webassembly-api';

const MAX_CALLS = 8;
const MAX_ARGS = 12;
// Control block (Int32Array): [0] job generation (−1: exit), [1] generation done,
// [2] number of calls, then per call: export number, argument count, MAX_ARGS arguments.
const CALL_SLOTS = 2 + MAX_ARGS;
const CONTROL_LENGTH = 3 + MAX_CALLS * CALL_SLOTS;

// Plain JavaScript: it runs without the parent's loaders (execArgv: []).
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { memory, bytes, names, control } = workerData;
const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const fns = names.map((n) => exports[n]);
const c = new Int32Array(control);
let generation = 0;
for (;;) {
  Atomics.wait(c, 0, generation);
  generation = Atomics.load(c, 0);
  if (generation < 0) break;
  const calls = c[2];
  for (let i = 0; i < calls; i++) {
    const base = 3 + i * ${CALL_SLOTS};
    const args = Array.from(c.subarray(base + 2, base + 2 + c[base + 1]));
    fns[c[base]](...args);
  }
  Atomics.store(c, 1, generation);
  Atomics.notify(c, 1);
}
`;

interface Helper {
  worker: Worker;
  control: Int32Array;
}

export class SimdThreads {
  private readonly helpers: Helper[];
  private readonly names: string[];
  private generation = 0;
  private busy: Helper[] = [];

  constructor(memory: WasmMemory, bytes: Uint8Array, count: number) {
    const module = new wasmApi.Module(bytes);
    this.names = wasmApi.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    this.helpers = Array.from({ length: count }, () => {
      const control = new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4));
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        execArgv: [],
        workerData: { memory, bytes, names: this.names, control: control.buffer },
      });
      worker.unref();
      return { worker, control };
    });
  }

  get count(): number {
    return this.helpers.length;
  }

  /** Hands calls[i] to helper i (fewer lists than helpers leave the rest idle). */
  start(calls: KernelCall[][]): void {
    if (calls.length > this.helpers.length) throw new Error(`simd threads: ${calls.length} call lists for ${this.helpers.length} helpers`);
    this.generation++;
    this.busy = [];
    calls.forEach((list, i) => {
      if (list.length === 0) return;
      if (list.length > MAX_CALLS) throw new Error(`simd threads: ${list.length} calls in one job (at most ${MAX_CALLS})`);
      const { control } = this.helpers[i];
      control[2] = list.length;
      list.forEach((call, j) => {
        const base = 3 + j * CALL_SLOTS;
        if (call.args.length > MAX_ARGS) throw new Error(`simd threads: ${call.name} has ${call.args.length} arguments (at most ${MAX_ARGS})`);
        const index = this.names.indexOf(call.name);
        if (index < 0) throw new Error(`simd threads: no export ${call.name}`);
        control[base] = index;
        control[base + 1] = call.args.length;
        control.set(call.args, base + 2);
      });
      Atomics.store(control, 0, this.generation);
      Atomics.notify(control, 0);
      this.busy.push(this.helpers[i]);
    });
  }

  /** Blocks until every helper given work by the last start() is done. */
  wait(): void {
    for (const { control } of this.busy) {
      // Wait on the very value that was seen: reading it again could miss the helper's one notify.
      for (let seen = Atomics.load(control, 1); seen !== this.generation; seen = Atomics.load(control, 1)) Atomics.wait(control, 1, seen);
    }
    this.busy = [];
  }
}
