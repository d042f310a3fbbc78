// The part of WebAssembly's JavaScript API the SIMD kernels use, typed here:
// tslab compiles lib/ without TypeScript's DOM library, which is where the
// global WebAssembly is declared (Node has it all the same).
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
export type WasmModule = object;

interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: { new (bytes: Uint8Array): WasmModule; exports(module: WasmModule): { name: string; kind: string }[] };
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
