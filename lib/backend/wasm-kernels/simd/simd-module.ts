// smile-lens's own SIMD kernels, instantiated on the tfjs wasm backend's own
// memory (imported, not copied: they read and write tensors where they lie in
// the heap). Built once per memory from ./filter-gradient-kernel.
import { BackendWasm, Info } from '../wasm-ops';
import { emitModule } from './wasm-emitter';
import { FILTER_GRADIENT_VARIANTS, filterGradientFunctions } from './filter-gradient-kernel';

export type FilterGradientRow = (
  xRow: number,
  xStep: number,
  dyRow: number,
  dyStep: number,
  count: number,
  dwTap: number,
  dwRowBytes: number,
  ciCount: number,
  coCount: number,
) => void;

export interface SimdKernels {
  memory: WebAssembly.Memory;
  /** Keyed by `${channelBlock}x${vectors}` (see FILTER_GRADIENT_VARIANTS). */
  filterGradient: Map<string, FilterGradientRow>;
}

type EmscriptenModule = { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory; HEAPU8: Uint8Array };

/** The backend's WebAssembly.Memory (exported by the plain build, imported by the threaded one). */
export function backendMemory(backend: BackendWasm): WebAssembly.Memory {
  const module = (backend as unknown as { wasm: EmscriptenModule }).wasm;
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('wasm backend: cannot find its WebAssembly.Memory');
  return memory;
}

const cache = new WeakMap<WebAssembly.Memory, SimdKernels>();

/** The module's bytes for a memory of the given kind (shared or not). */
export function simdModuleBytes(sharedMemory: boolean): Uint8Array {
  return emitModule(filterGradientFunctions(), sharedMemory);
}

export function simdKernels(backend: BackendWasm): SimdKernels {
  const memory = backendMemory(backend);
  let kernels = cache.get(memory);
  if (!kernels) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes(shared)), { env: { memory } });
    const filterGradient = new Map<string, FilterGradientRow>();
    for (const [block, vectors] of FILTER_GRADIENT_VARIANTS) {
      filterGradient.set(`${block}x${vectors}`, instance.exports[`filter_gradient_${block}x${vectors}`] as FilterGradientRow);
    }
    kernels = { memory, filterGradient };
    cache.set(memory, kernels);
  }
  return kernels;
}

/** Byte address of a tensor's data in the heap. */
export function address(backend: BackendWasm, x: Info): number {
  return (backend as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(x.dataId).memoryOffset;
}
