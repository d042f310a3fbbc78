// smile-lens's own SIMD kernels, instantiated on the tfjs wasm backend's own
// memory (imported, not copied: they read and write tensors where they lie in
// the heap). With the threaded build (shared memory) the same module also
// runs in helper threads (./simd-threads), which split a kernel's outputs.
import { BackendWasm, Info } from '../wasm-ops';
import { filterGradientFunctions } from './filter-gradient-kernel';
import { batchNormFunctions } from './batch-norm-kernel';
import { convTileFunctions } from './conv-tile-kernel';
import { SimdThreads } from './simd-threads';
import { emitModule } from './wasm-emitter';
import { wasmApi, WasmMemory } from './webassembly-api';

/** One call of an exported kernel: its name and i32 arguments. */
export interface KernelCall {
  name: string;
  args: number[];
}

export interface SimdKernels {
  /** Threads the calls are spread over (1 without the threaded build). */
  threads: number;
  /** Runs calls[t] on thread t (thread 0 is this one) and returns when all are done. */
  parallel(calls: KernelCall[][]): void;
}

type EmscriptenModule = { asm?: { memory?: WasmMemory }; wasmMemory?: WasmMemory };

/** The backend's WebAssembly.Memory (exported by the plain build, imported by the threaded one). */
export function backendMemory(backend: BackendWasm): WasmMemory {
  const module = (backend as unknown as { wasm: EmscriptenModule }).wasm;
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof wasmApi.Memory)) throw new Error('wasm backend: cannot find its WebAssembly.Memory');
  return memory;
}

/** The module's bytes for a memory of the given kind (shared or not). */
export function simdModuleBytes(sharedMemory: boolean): Uint8Array {
  // The filter gradient's drivers call its row kernels by index: they come first.
  return emitModule([...filterGradientFunctions(), ...convTileFunctions(), ...batchNormFunctions()], sharedMemory);
}

const cache = new WeakMap<WasmMemory, SimdKernels>();

export function simdKernels(backend: BackendWasm): SimdKernels {
  const memory = backendMemory(backend);
  let kernels = cache.get(memory);
  if (!kernels) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = simdModuleBytes(shared);
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    const exports = instance.exports as Record<string, (...args: number[]) => void>;
    const run = (call: KernelCall) => exports[call.name](...call.args);
    const tfjsThreads = (require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
    const helpers = shared && tfjsThreads > 1 ? new SimdThreads(memory, bytes, tfjsThreads - 1) : undefined;
    kernels = {
      threads: 1 + (helpers?.count ?? 0),
      parallel(calls) {
        if (!helpers) {
          for (const list of calls) list.forEach(run);
          return;
        }
        helpers.start(calls.slice(1));
        calls[0]?.forEach(run);
        helpers.wait();
      },
    };
    cache.set(memory, kernels);
  }
  return kernels;
}

/** [from, to) of each of `parts` near-equal consecutive shares of `count` items. */
export function shares(count: number, parts: number): [number, number][] {
  return Array.from({ length: parts }, (_, t) => [Math.floor((count * t) / parts), Math.floor((count * (t + 1)) / parts)]);
}

/** Byte address of a tensor's data in the heap. */
export function address(backend: BackendWasm, x: Info): number {
  return (backend as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(x.dataId).memoryOffset;
}
