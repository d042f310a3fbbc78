// The JavaScript side of the SIMD convolution kernel (./conv-tile-kernel):
// the tiles of one convolution, grouped by pixel count (a row's last tile may
// be narrower), written straight into the heap, then run on every thread —
// each thread takes a run of tiles, and tiles never share an output pixel.
// Blocks of 16·k output channels go to the native twin of the kernel
// (../../native/), whose own threads split the tiles the same way.
import { activeNativeKernels, nativeThreads } from '../../native/native-kernels';
import { BackendWasm, free, Info } from '../wasm-ops';
import { convTileExport, ENTRY_INTS } from './conv-tile-kernel';
import { address, KernelCall, shares, simdKernels } from './simd-module';

/** Pixels per tile of the wasm kernel (16 f32x4 accumulators at most). */
export const TILE = 4;

/**
 * Pixels per tile: the native kernel keeps 16 accumulators of 16 floats, so it
 * takes 16 pixels of one vector, 8 of two, 4 of four; the wasm kernel 4.
 */
export function tilePixels(vectors: number): number {
  return vectors >= 4 && activeNativeKernels() ? 64 / vectors : TILE;
}

/**
 * Lanes per output pixel: the channels, or 16 where the native kernel pads a
 * few (the image's 3, an input gradient's) to one vector, the extra lanes
 * summing zero weights and never stored.
 */
export function paddedLanes(channels: number): number {
  return channels < 16 && channels % 4 !== 0 && activeNativeKernels() ? 16 : channels;
}

/**
 * f32x4 vectors of output channels per packed weight block: whole 16-float
 * vectors (up to 4) for the native kernel where it runs, else 2 or 1.
 */
export function tileVectors(channels: number): number {
  if (activeNativeKernels()) {
    for (const vectors of [16, 8, 4]) if (channels % (4 * vectors) === 0) return vectors;
  }
  return channels % 8 === 0 ? 2 : 1;
}

/** Per-call arguments of the kernel after (list, entries); see conv-tile-kernel.ts. */
export interface TileGeometry {
  /** Input channels summed per tap. */
  kc: number;
  /** Output channel blocks of 4·vectors. */
  blocks: number;
  vectors: number;
  /** Input columns; a column outside [0, width) reads the zeros row. */
  width: number;
  pixelBytes: number;
  rowStride: number;
  outStep: number;
  pixelStride: number;
  tapStride: number;
  /** Output channels actually stored per pixel when fewer than one padded 16-float block (native only). */
  stored?: number;
}

export class TileLists {
  private readonly lists: (Info | undefined)[];
  private readonly zeros: Info;
  private views: (Int32Array | undefined)[] | undefined;
  private readonly filled: number[];

  /** Allocates room for counts[p] tiles of p pixels, and a zeros row of kc values. */
  constructor(
    private readonly backend: BackendWasm,
    counts: number[],
    kc: number,
  ) {
    this.lists = counts.map((count) => (count ? backend.makeOutput([count * ENTRY_INTS], 'int32') : undefined));
    this.filled = counts.map(() => 0);
    this.zeros = backend.makeOutput([Math.max(1, kc)], 'float32');
  }

  /** Tiles of at most counts.length − 1 pixels a row of `count` pixels makes, by pixel count. */
  static countRow(counts: number[], count: number, rows: number): void {
    const tile = counts.length - 1;
    counts[tile] += rows * Math.floor(count / tile);
    if (count % tile) counts[count % tile] += rows;
  }

  /** Adds one tile (the entry's fields, in the kernel's order). Allocate nothing between adds. */
  add(pixels: number, base: number, c0: number, rows: number, cols: number, w: number, out: number, blockBytes: number): void {
    // Views only once every allocation is made: any allocation may grow the heap.
    this.views ??= this.lists.map((l) => (l ? (this.backend.typedArrayFromHeap(l) as Int32Array) : undefined));
    const list = this.views[pixels]!;
    let e = this.filled[pixels];
    list[e++] = base;
    list[e++] = c0;
    list[e++] = rows;
    list[e++] = cols;
    list[e++] = w;
    list[e++] = out;
    list[e++] = blockBytes;
    this.filled[pixels] = e;
  }

  /** Runs every tile, split over the threads, and frees the lists. */
  run(g: TileGeometry): void {
    (this.backend.typedArrayFromHeap(this.zeros) as Float32Array).fill(0);
    const zeros = address(this.backend, this.zeros);
    const native = g.vectors >= 4 ? activeNativeKernels() : undefined;
    if (native) {
      const heap = this.backend.typedArrayFromHeap(this.zeros).buffer as ArrayBuffer;
      this.lists.forEach((l, pixels) => {
        if (!l) return;
        const entries = this.filled[pixels] / ENTRY_INTS;
        native.convTiles(heap, pixels, g.vectors / 4, address(this.backend, l), entries, g.kc, g.blocks, g.width, g.pixelBytes, g.rowStride, zeros, g.outStep, g.pixelStride, g.tapStride, g.stored ?? 4 * g.vectors, nativeThreads());
      });
      free(this.backend, this.zeros, ...this.lists);
      return;
    }
    const kernels = simdKernels(this.backend);
    const calls: KernelCall[][] = Array.from({ length: kernels.threads }, () => []);
    this.lists.forEach((l, pixels) => {
      if (!l) return;
      const list = address(this.backend, l);
      shares(this.filled[pixels] / ENTRY_INTS, kernels.threads).forEach(([from, to], t) => {
        if (to === from) return;
        calls[t].push({
          name: convTileExport(pixels, g.vectors),
          args: [list + from * ENTRY_INTS * 4, to - from, g.kc, g.blocks, g.width, g.pixelBytes, g.rowStride, zeros, g.outStep, g.pixelStride, g.tapStride],
        });
      });
    });
    kernels.parallel(calls);
    free(this.backend, this.zeros, ...this.lists);
  }
}
