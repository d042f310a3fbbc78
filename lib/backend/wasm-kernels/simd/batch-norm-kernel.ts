// Batch normalisation's full-size passes, fused, as WebAssembly SIMD. Each
// output element gets the same f32 operations, in the same order, as the
// chain of XNNPACK passes batch-norm-kernels.ts used to run (a per-channel
// affine map is one multiply then one add of the shift, +0 where there is
// none — which turns −0 into +0 — as XNNPACK's 1×1 depthwise convolution
// does), so results are bit-identical; what goes is the intermediate tensors
// and their memory traffic. SIMD runs across channels.
//
// Every function walks `positions` × `channels` values (channels a multiple
// of 4), per-channel parameters as f32 arrays of `channels` values:
//   batch_norm_centred_square(x, out, positions, channels, negMean)
//       out = c·c,  c = x + negMean
//   batch_norm_normalise(x, xHat, y, positions, channels, negMean, scale, gamma, beta)
//       xHat = (c·scale) + 0,  y = xHat·gamma + beta,  c = x + negMean
//   batch_norm_input_gradient(dy, xHat, dx, positions, channels, a, b, c)
//       dx = ((dy·a) + 0) + (xHat·b + c)
import { FunctionBuilder } from './wasm-emitter';

interface Body {
  f: FunctionBuilder;
  /** Array arguments: addresses of the current vector. */
  arrays: number[];
  /** Pushes the current vector of per-channel parameter i. */
  param: (i: number) => FunctionBuilder;
  /** A local holding +0 in every lane. */
  zero: number;
}

/**
 * One function over arrays (advanced one vector at a time) and per-channel
 * parameters (re-read from their start at every position); `body` emits the
 * stores of one vector of every output.
 */
function elementwise(name: string, arrays: number, params: number, body: (b: Body) => void): FunctionBuilder {
  const f = new FunctionBuilder(new Array(arrays + 2 + params).fill('i32'), name);
  const arrayArgs = Array.from({ length: arrays }, (_, i) => i);
  const [positions, channels] = [arrays, arrays + 1];
  const paramArgs = Array.from({ length: params }, (_, i) => arrays + 2 + i);
  const p = f.local('i32');
  const k = f.local('i32');
  const off = f.local('i32'); // byte offset into the parameter arrays
  const zero = f.local('v128');
  f.v128Zero().set(zero);
  f.block();
  f.get(positions).eqz().brIf(0);
  f.get(positions).set(p);
  f.loop(); // positions
  f.i32(0).set(off);
  f.get(channels).set(k);
  f.loop(); // channel vectors
  body({ f, arrays: arrayArgs, param: (i) => f.get(paramArgs[i]).get(off).add().v128Load(0), zero });
  // Advance: arrays by one vector, the parameter offset by one vector.
  for (const a of arrayArgs) f.get(a).i32(16).add().set(a);
  f.get(off).i32(16).add().set(off);
  f.get(k).i32(4).sub().set(k);
  f.get(k).brIf(0);
  f.end();
  f.get(p).i32(1).sub().set(p);
  f.get(p).brIf(0);
  f.end();
  f.end();
  return f;
}

export function batchNormFunctions(): FunctionBuilder[] {
  const centredSquare = elementwise('batch_norm_centred_square', 2, 1, ({ f, arrays: [x, out], param }) => {
    const c = f.local('v128');
    f.get(x).v128Load(0);
    param(0).f32x4Add().set(c);
    f.get(out).get(c).get(c).f32x4Mul().v128Store(0);
  });
  const normalise = elementwise('batch_norm_normalise', 3, 4, ({ f, arrays: [x, xHat, y], param, zero }) => {
    const v = f.local('v128');
    f.get(x).v128Load(0);
    param(0).f32x4Add();
    param(1).f32x4Mul().get(zero).f32x4Add().set(v);
    f.get(xHat).get(v).v128Store(0);
    f.get(y).get(v);
    param(2).f32x4Mul();
    param(3).f32x4Add().v128Store(0);
  });
  const inputGradient = elementwise('batch_norm_input_gradient', 3, 3, ({ f, arrays: [dy, xHat, dx], param, zero }) => {
    const fromDy = f.local('v128');
    f.get(dy).v128Load(0);
    param(0).f32x4Mul().get(zero).f32x4Add().set(fromDy);
    f.get(dx).get(fromDy);
    f.get(xHat).v128Load(0);
    param(1).f32x4Mul();
    param(2).f32x4Add();
    f.f32x4Add().v128Store(0);
  });
  return [centredSquare, normalise, inputGradient];
}
