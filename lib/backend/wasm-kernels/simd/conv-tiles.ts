// The JavaScript side of the SIMD convolution kernel (./conv-tile-kernel):
// the tiles of one convolution, grouped by pixel count (a row's last tile may
// be narrower), written straight into the heap, then run on every thread —
// each thread takes a run of tiles, and tiles never share an output pixel.
import { BackendWasm, free, Info } from '../wasm-ops';
import { convTileExport, ENTRY_INTS } from './conv-tile-kernel';
import { address, KernelCall, shares, simdKernels } from './simd-module';

export const TILE = 4;

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
}

export class TileLists {
  private readonly lists: (Info | undefined)[];
  private readonly zeros: Info;
  private views: (Int32Array | undefined)[] | undefined;
  private readonly filled = new Array<number>(TILE + 1).fill(0);

  /** Allocates room for counts[p] tiles of p pixels, and a zeros row of kc values. */
  constructor(
    private readonly backend: BackendWasm,
    counts: number[],
    kc: number,
  ) {
    this.lists = counts.map((count) => (count ? backend.makeOutput([count * ENTRY_INTS], 'int32') : undefined));
    this.zeros = backend.makeOutput([Math.max(1, kc)], 'float32');
  }

  /** Tiles a row of `count` pixels makes, by pixel count. */
  static countRow(counts: number[], count: number, rows: number): void {
    counts[TILE] += rows * Math.floor(count / TILE);
    if (count % TILE) counts[count % TILE] += rows;
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
    const kernels = simdKernels(this.backend);
    (this.backend.typedArrayFromHeap(this.zeros) as Float32Array).fill(0);
    const zeros = address(this.backend, this.zeros);
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
