// The input gradient's inner kernel, as WebAssembly SIMD: one tile of P
// consecutive dx pixels of one sub-pixel phase (conv2d-backprop-input.ts) ×
// 4·V input channels held in registers. For each pixel it adds, tap after tap
// (row-major over the phase's taps) and output channel after output channel,
// one f32 product at a time into an accumulator that starts at +0 — the order
// in which XNNPACK's Conv2D adds the same products for that phase, so results
// are bit-identical to the per-phase path. Where a tap falls outside dy,
// XNNPACK multiplies a row of zeros: the kernel does the same for a pixel
// whose column is outside, and skips taps whose row is outside for the whole
// tile (±0 added to a sum that starts at +0 never changes it).
// SIMD runs across channels (independent sums), never within one sum.
//
// input_gradient_{P}x{V}(list, entries, kc, blocks, wo, rowBytes,
//   dyRowStride, zeros, outStep) runs `entries` six-i32 entries of `list`:
//   dyBase  address of dy[b, first valid tap row, column 0]
//   ow0     dy column of pixel 0 at tap column 0 (pixel p, tap column uw: ow0 + p + uw)
//   rows    tap rows inside dy (from the first valid one)
//   tw      tap columns of the phase
//   w       packed weights of the first valid tap row: [tap][block][kc][4V]
//   out     dx address of pixel 0; pixel p at out + p·outStep
// kc: dy channels; the zeros row holds kc zeros.
import { FunctionBuilder } from './wasm-emitter';

export const INPUT_GRADIENT_PIXELS = [1, 2, 3, 4];
export const INPUT_GRADIENT_VECTORS = [1, 2];
export const ENTRY_INTS = 6;

export const inputGradientExport = (pixels: number, vectors: number) => `input_gradient_${pixels}x${vectors}`;

function tileKernel(pixels: number, vectors: number): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], inputGradientExport(pixels, vectors));
  const [list, entries, kc, blocks, wo, rowBytes, dyRowStride, zeros, outStep] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const end = f.local('i32');
  const dyBase = f.local('i32');
  const ow0 = f.local('i32');
  const rows = f.local('i32');
  const tw = f.local('i32');
  const w0 = f.local('i32');
  const out = f.local('i32');
  const block = f.local('i32');
  const uh = f.local('i32');
  const uw = f.local('i32');
  const rowBase = f.local('i32');
  const wp = f.local('i32');
  const k = f.local('i32');
  const tapBytes = f.local('i32'); // packed weights per tap and block: kc·16V
  const a = Array.from({ length: pixels }, () => f.local('i32'));
  const acc = Array.from({ length: pixels }, () => Array.from({ length: vectors }, () => f.local('v128')));
  const b = Array.from({ length: vectors }, () => f.local('v128'));
  const xs = f.local('v128');
  const step = 16 * vectors;

  f.get(kc).i32(step).mul().set(tapBytes);
  f.block();
  f.get(entries).eqz().brIf(0);
  f.get(list).get(entries).i32(4 * ENTRY_INTS).mul().add().set(end);
  f.loop(); // tiles
  f.get(list).i32Load(0).set(dyBase);
  f.get(list).i32Load(4).set(ow0);
  f.get(list).i32Load(8).set(rows);
  f.get(list).i32Load(12).set(tw);
  f.get(list).i32Load(16).set(w0);
  f.get(list).i32Load(20).set(out);
  f.i32(0).set(block);
  f.loop(); // channel blocks
  for (const row of acc) for (const v of row) f.v128Zero().set(v);
  f.block();
  f.get(rows).eqz().brIf(0);
  f.i32(0).set(uh);
  f.loop(); // tap rows
  f.get(dyBase).get(uh).get(dyRowStride).mul().add().set(rowBase);
  f.i32(0).set(uw);
  f.loop(); // tap columns
  // wp = w0 + ((uh·tw + uw)·blocks + block)·tapBytes
  f.get(w0).get(uh).get(tw).mul().get(uw).add().get(blocks).mul().get(block).add().get(tapBytes).mul().add().set(wp);
  for (let p = 0; p < pixels; p++) {
    // a_p = column inside dy ? rowBase + column·rowBytes : zeros (column = ow0 + p + uw, unsigned compare).
    f.get(rowBase).get(ow0).i32(p).add().get(uw).add().get(rowBytes).mul().add();
    f.get(zeros);
    f.get(ow0).i32(p).add().get(uw).add().get(wo).ltU();
    f.select().set(a[p]);
  }
  f.get(kc).set(k);
  f.loop(); // dy channels, one at a time (unrolling measured ~1.5× slower on V8)
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
  f.get(uw).get(tw).lt().brIf(0);
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

export function inputGradientFunctions(): FunctionBuilder[] {
  const out: FunctionBuilder[] = [];
  for (const p of INPUT_GRADIENT_PIXELS) for (const v of INPUT_GRADIENT_VECTORS) out.push(tileKernel(p, v));
  return out;
}
