// The filter gradient's inner kernel, as WebAssembly SIMD: for one row of
// output positions and one filter tap, dW[ci, co] += Σ_ow x[ow, ci] · dy[ow, co]
// over a block of `block` input channels × 4·`vectors` output channels held in
// registers, added in position order — the order XNNPACK's GEMM adds the same
// products in (one f32 multiply, then one f32 add into the accumulator), so the
// sums are bit-identical to the im2col + BatchMatMul path. SIMD runs across
// output channels (independent sums), never within one sum.
//
// filter_gradient_{block}x{vectors}(list, entries, xStep, dyStep, dwRowBytes,
//   ciCount, coCount, xOffset, dyOffset, dwOffset) runs, for each of the
//   `entries` (row, tap) entries of `list` in order — four i32 each: xRow,
//   dyRow, count, dwTap — the row kernel below on that entry with the offsets
//   added (a channel range: several threads can share one list).
// The row kernel, all addresses and steps in bytes:
//   x[ow, ci] at xRow + ow·xStep + 4ci, dy[ow, co] at dyRow + ow·dyStep + 4co,
//   dW[ci, co] at dwTap + ci·dwRowBytes + 4co; ci < ciCount (a multiple of
//   block), co < coCount (a multiple of 4·vectors), ow < count (≥ 1).
import { FunctionBuilder } from './wasm-emitter';

/** [channel block, f32x4 vectors of output channels]: what the driver can combine. */
export const FILTER_GRADIENT_VARIANTS: [number, number][] = [
  [4, 2],
  [3, 2],
  [2, 2],
  [1, 2],
  [4, 1],
  [3, 1],
  [2, 1],
  [1, 1],
];

export const filterGradientExport = (block: number, vectors: number) => `filter_gradient_${block}x${vectors}`;

function rowKernel(block: number, vectors: number): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], '');
  const [xRow, xStep, dyRow, dyStep, count, dwTap, dwRowBytes, ciCount, coCount] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const ci = f.local('i32');
  const co = f.local('i32');
  const px = f.local('i32');
  const pd = f.local('i32');
  const k = f.local('i32');
  const pw = f.local('i32');
  const acc = Array.from({ length: block }, () => Array.from({ length: vectors }, () => f.local('v128')));
  const d = Array.from({ length: vectors }, () => f.local('v128'));
  const xs = f.local('v128');
  /** Pushes the address of dW row ci+i, column co. */
  const dwAddress = (i: number) => f.get(pw).get(dwRowBytes).i32(i).mul().add();

  f.i32(0).set(ci).loop(); // channel blocks
  f.i32(0).set(co).loop(); // output-channel blocks
  f.get(dwTap).get(ci).get(dwRowBytes).mul().add().get(co).i32(4).mul().add().set(pw);
  for (let i = 0; i < block; i++) for (let j = 0; j < vectors; j++) dwAddress(i).v128Load(16 * j).set(acc[i][j]);
  f.get(xRow).get(ci).i32(4).mul().add().set(px);
  f.get(dyRow).get(co).i32(4).mul().add().set(pd);
  f.get(count).set(k);
  f.loop(); // positions, in order
  for (let j = 0; j < vectors; j++) f.get(pd).v128Load(16 * j).set(d[j]);
  for (let i = 0; i < block; i++) {
    f.get(px).load32Splat(4 * i).set(xs);
    for (let j = 0; j < vectors; j++) f.get(acc[i][j]).get(xs).get(d[j]).f32x4Mul().f32x4Add().set(acc[i][j]);
  }
  f.get(px).get(xStep).add().set(px);
  f.get(pd).get(dyStep).add().set(pd);
  f.get(k).i32(1).sub().set(k);
  f.get(k).brIf(0);
  f.end();
  for (let i = 0; i < block; i++) for (let j = 0; j < vectors; j++) dwAddress(i).get(acc[i][j]).v128Store(16 * j);
  f.get(co).i32(4 * vectors).add().set(co);
  f.get(co).get(coCount).lt().brIf(0);
  f.end();
  f.get(ci).i32(block).add().set(ci);
  f.get(ci).get(ciCount).lt().brIf(0);
  f.end();
  return f;
}

function listDriver(block: number, vectors: number, rowKernelIndex: number): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], filterGradientExport(block, vectors));
  const [list, entries, xStep, dyStep, dwRowBytes, ciCount, coCount, xOffset, dyOffset, dwOffset] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const end = f.local('i32');
  f.block();
  f.get(entries).eqz().brIf(0);
  f.get(list).get(entries).i32(16).mul().add().set(end);
  f.loop();
  f.get(list).i32Load(0).get(xOffset).add();
  f.get(xStep);
  f.get(list).i32Load(4).get(dyOffset).add();
  f.get(dyStep);
  f.get(list).i32Load(8);
  f.get(list).i32Load(12).get(dwOffset).add();
  f.get(dwRowBytes).get(ciCount).get(coCount);
  f.call(rowKernelIndex);
  f.get(list).i32(16).add().set(list);
  f.get(list).get(end).ne().brIf(0);
  f.end();
  f.end();
  return f;
}

/** The row kernels (not exported) followed by their exported list drivers. */
export function filterGradientFunctions(): FunctionBuilder[] {
  const kernels = FILTER_GRADIENT_VARIANTS.map(([block, vectors]) => rowKernel(block, vectors));
  const drivers = FILTER_GRADIENT_VARIANTS.map(([block, vectors], i) => listDriver(block, vectors, i));
  return [...kernels, ...drivers];
}
