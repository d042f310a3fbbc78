// A direct convolution kernel, as WebAssembly SIMD: one tile of P output
// pixels of one output row × 4·V output channels held in registers. For each
// pixel it adds, tap after tap (row-major) and input channel after input
// channel, one f32 product at a time into an accumulator that starts at +0 —
// the order in which XNNPACK's convolution (igemm) adds the same products, so
// results are bit-identical to tfjs-backend-wasm's Conv2D. Where a tap falls
// outside the input, XNNPACK multiplies a row of zeros: the kernel does the
// same for a pixel whose column is outside, and skips tap rows outside the
// input for the whole tile (±0 added to a sum that starts at +0 never
// changes it). SIMD runs across output channels (independent sums), never
// within one sum. It serves the forward convolution (conv2d.ts) and each
// sub-pixel phase of the input gradient (conv2d-backprop-input.ts).
//
// conv_tile_{P}x{V}(list, entries, kc, blocks, width, pixelBytes, rowStride,
//   zeros, outStep, pixelStride, tapStride) runs `entries` six-i32 entries of `list`:
//   base    address of the input row of the first tap row inside the input, column 0
//   c0      input column of pixel 0 at tap column 0; pixel p at tap column u
//           reads column c0 + p·pixelStride + u·tapStride (inside if < width)
//   rows    tap rows inside the input (row r at base + r·rowStride)
//   cols    tap columns
//   w       packed weights [block][tap][kc][4V], at the first tap row inside
//   out     address of pixel 0's outputs; pixel p's at out + p·outStep
//   blockBytes  bytes from one block's packed weights to the next's
// kc: input channels (pixelBytes = 4·kc apart… or more); the zeros row holds kc zeros.
import { FunctionBuilder } from './wasm-emitter';

export const CONV_TILE_PIXELS = [1, 2, 3, 4];
export const CONV_TILE_VECTORS = [1, 2];
export const ENTRY_INTS = 7;

export const convTileExport = (pixels: number, vectors: number) => `conv_tile_${pixels}x${vectors}`;

function tileKernel(pixels: number, vectors: number): FunctionBuilder {
  const f = new FunctionBuilder(new Array(11).fill('i32'), convTileExport(pixels, vectors));
  const [list, entries, kc, blocks, width, pixelBytes, rowStride, zeros, outStep, pixelStride, tapStride] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const end = f.local('i32');
  const base = f.local('i32');
  const c0 = f.local('i32');
  const rows = f.local('i32');
  const cols = f.local('i32');
  const w0 = f.local('i32');
  const out = f.local('i32');
  const block = f.local('i32');
  const uh = f.local('i32');
  const uw = f.local('i32');
  const rowBase = f.local('i32');
  const column = f.local('i32');
  const wp = f.local('i32');
  const k = f.local('i32');
  const blockBytes = f.local('i32');
  const a = Array.from({ length: pixels }, () => f.local('i32'));
  const acc = Array.from({ length: pixels }, () => Array.from({ length: vectors }, () => f.local('v128')));
  const b = Array.from({ length: vectors }, () => f.local('v128'));
  const xs = f.local('v128');
  const step = 16 * vectors;

  f.block();
  f.get(entries).eqz().brIf(0);
  f.get(list).get(entries).i32(4 * ENTRY_INTS).mul().add().set(end);
  f.loop(); // tiles
  f.get(list).i32Load(0).set(base);
  f.get(list).i32Load(4).set(c0);
  f.get(list).i32Load(8).set(rows);
  f.get(list).i32Load(12).set(cols);
  f.get(list).i32Load(16).set(w0);
  f.get(list).i32Load(20).set(out);
  f.get(list).i32Load(24).set(blockBytes);
  f.i32(0).set(block);
  f.loop(); // channel blocks
  for (const row of acc) for (const v of row) f.v128Zero().set(v);
  // The block's taps lie one after the other: wp runs straight through them.
  f.get(w0).get(block).get(blockBytes).mul().add().set(wp);
  f.block();
  f.get(rows).eqz().brIf(0);
  f.i32(0).set(uh);
  f.loop(); // tap rows
  f.get(base).get(uh).get(rowStride).mul().add().set(rowBase);
  f.i32(0).set(uw);
  f.loop(); // tap columns
  f.get(c0).get(uw).get(tapStride).mul().add().set(column);
  for (let p = 0; p < pixels; p++) {
    // a_p = column inside ? rowBase + column·pixelBytes : zeros (an unsigned compare catches columns < 0).
    const col = () => f.get(column).get(pixelStride).i32(p).mul().add();
    col().get(pixelBytes).mul().get(rowBase).add();
    f.get(zeros);
    col().get(width).ltU();
    f.select().set(a[p]);
  }
  f.get(kc).set(k);
  f.loop(); // input channels, one at a time (unrolling measured ~1.5× slower on V8)
  for (let j = 0; j < vectors; j++) f.get(wp).v128Load(16 * j).set(b[j]);
  for (let p = 0; p < pixels; p++) {
    f.get(a[p]).load32Splat(0).set(xs);
    for (let j = 0; j < vectors; j++) f.get(acc[p][j]).get(xs).get(b[j]).f32x4Mul().f32x4Add().set(acc[p][j]);
  }
  for (let p = 0; p < pixels; p++) f.get(a[p]).i32(4).add().set(a[p]);
  f.get(wp).i32(step).add().set(wp);
  f.get(k).i32(1).sub().set(k);
  f.get(k).brIf(0);
  f.end();
  f.get(uw).i32(1).add().set(uw);
  f.get(uw).get(cols).lt().brIf(0);
  f.end();
  f.get(uh).i32(1).add().set(uh);
  f.get(uh).get(rows).lt().brIf(0);
  f.end();
  f.end();
  // Pixel p's block at out + p·outStep + block·16V.
  for (let p = 0; p < pixels; p++) {
    for (let j = 0; j < vectors; j++) {
      f.get(out).get(outStep).i32(p).mul().add().get(block).i32(step).mul().add().get(acc[p][j]).v128Store(16 * j);
    }
  }
  f.get(block).i32(1).add().set(block);
  f.get(block).get(blocks).lt().brIf(0);
  f.end();
  f.get(list).i32(4 * ENTRY_INTS).add().set(list);
  f.get(list).get(end).ne().brIf(0);
  f.end();
  f.end();
  return f;
}

export function convTileFunctions(): FunctionBuilder[] {
  const out: FunctionBuilder[] = [];
  for (const p of CONV_TILE_PIXELS) for (const v of CONV_TILE_VECTORS) out.push(tileKernel(p, v));
  return out;
}
