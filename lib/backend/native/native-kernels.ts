// The native twins of the SIMD wasm convolution kernels (conv-kernels.cc):
// compiled on first use for the CPU that runs them (g++ -march=native, about
// 2 s, cached in .build/native/ under a hash of the source, the flags, Node's
// ABI and the CPU's model and features), loaded as a Node-API addon.
// WebAssembly SIMD is 4 floats wide; AVX-512 is 16: a training step's
// convolutions measured 229 → 64 ms (batch 32, 128 px) with bits unchanged
// (see the .cc file's header). Where no compiler, no Node headers or no
// 512/256-bit vectors are found, the wasm kernels run and
// `nativeKernels().reason` says why. SMILE_LENS_NATIVE=off keeps them off.
import { createHash } from 'crypto';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from '../../run/locations';

export const NATIVE_ENV = 'SMILE_LENS_NATIVE';

export interface NativeConvKernels {
  /** conv-tile-kernel.ts's entries, blocks of `vectors` × 16 output channels. */
  convTiles(
    heap: ArrayBuffer,
    pixels: number,
    vectors: number,
    list: number,
    entries: number,
    kc: number,
    blocks: number,
    width: number,
    pixelBytes: number,
    rowStride: number,
    zeros: number,
    outStep: number,
    pixelStride: number,
    tapStride: number,
    /** Floats of each pixel's block written: 16·vectors, or fewer (one block of one vector) for padded channels. */
    stored: number,
    /** Threads that split the tiles (1: this one only). */
    threads: number,
  ): void;
  /** filter-gradient-kernel.ts's (row, tap) entries, all channels (output channels a multiple of 16). */
  filterGradient(heap: ArrayBuffer, list: number, entries: number, xStep: number, dyStep: number, dwRowBytes: number, ciCount: number, coCount: number, threads: number): void;
}

export interface NativeState {
  kernels?: NativeConvKernels;
  /** Why they do not run (unset when they do). */
  reason?: string;
  /** What they were built for, e.g. 'AVX-512, g++ 12.2.0'. */
  description?: string;
}

const SOURCE = path.join(__dirname, 'conv-kernels.cc');
// No fused multiply-add (it would change bits), vectors as wide as the CPU's.
const FLAGS = ['-O3', '-march=native', '-ffp-contract=off', '-fno-fast-math', '-std=c++17', '-pthread', '-shared', '-fPIC', '-fvisibility=hidden'];

let state: NativeState | undefined;
let enabled = true;

let threads = 1;

/** Threads each native kernel call is split over (SMILE_LENS_WASM_THREADS; sums never split, so results do not change). */
export function useNativeThreads(count: number): void {
  threads = Math.max(1, Math.floor(count));
}

export function nativeThreads(): number {
  return threads;
}

/** Turns the native kernels off (or back on) in this process: tests compare both engines. */
export function useNativeKernels(on: boolean): void {
  enabled = on;
}

/** The native kernels when they are on and load; undefined otherwise. */
export function activeNativeKernels(): NativeConvKernels | undefined {
  return enabled ? nativeKernels().kernels : undefined;
}

function headerDir(): string | undefined {
  const candidates = [path.join(path.dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
  return candidates.find((d) => fs.existsSync(path.join(d, 'node_api.h')));
}

function cpuFlags(): string {
  return fs.existsSync('/proc/cpuinfo') ? (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '') : '';
}

function vectorWidth(flags: string): string | undefined {
  if (/\bavx512f\b/.test(flags)) return 'AVX-512';
  if (/\bavx2\b/.test(flags)) return 'AVX2';
  return undefined;
}

/** Builds (once per source, flags, Node ABI and CPU) and loads the addon; says why not when it cannot. */
export function nativeKernels(): NativeState {
  if (state) return state;
  if (/^(0|off|false|no)$/i.test(process.env[NATIVE_ENV] ?? '')) return (state = { reason: `${NATIVE_ENV}=${process.env[NATIVE_ENV]}` });
  const flags = cpuFlags();
  const width = vectorWidth(flags);
  if (!width) return (state = { reason: 'the CPU has neither AVX-512 nor AVX2 (the wasm kernels are as wide)' });
  const headers = headerDir();
  if (!headers) return (state = { reason: "Node's C headers (node_api.h) are not installed" });
  const compiler = process.env.CXX ?? 'g++';
  const version = spawnSync(compiler, ['-dumpfullversion'], { encoding: 'utf8' });
  if (version.status !== 0) return (state = { reason: `no C++ compiler (${compiler}) to build them` });
  const cpu = os.cpus()[0]?.model ?? '';
  const source = fs.readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).update(FLAGS.join(' ')).update(compiler + version.stdout).update(process.versions.modules).update(cpu + flags).digest('hex').slice(0, 16);
  const file = path.join(projectRoot(), '.build', 'native', `conv-kernels-${hash}.node`);
  const description = `${width}, ${compiler} ${version.stdout.trim()}`;
  try {
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Built beside its final name and renamed: processes starting together never load half a file.
      const tmp = `${file}.tmp-${os.hostname()}-${process.pid}`;
      const built = spawnSync(compiler, [...FLAGS, `-I${headers}`, '-o', tmp, SOURCE], { encoding: 'utf8' });
      if (built.status !== 0) return (state = { reason: `${compiler} failed to build ${path.basename(SOURCE)}: ${(built.stderr || built.error?.message || '').split('\n')[0]}` });
      fs.renameSync(tmp, file);
    }
    const addon = { exports: {} as NativeConvKernels };
    process.dlopen(addon, file);
    return (state = { kernels: addon.exports, description });
  } catch (e) {
    return (state = { reason: `cannot build or load the native kernels: ${(e as Error).message.split('\n')[0]}` });
  }
}
