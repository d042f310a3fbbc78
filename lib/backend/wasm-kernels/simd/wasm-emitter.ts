// A minimal WebAssembly binary writer: enough of the format (types, one
// imported memory, functions with i32/v128 locals, exports) and of the
// instruction set (integer arithmetic, loops, f32x4 loads, stores, mul, add)
// to generate smile-lens's SIMD kernels at load time from TypeScript. No
// compiler, no committed binary: the module is a pure function of this source.

export type ValType = 'i32' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, v128: 0x7b };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A function body under construction: params first, then declared locals. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(
    readonly params: ValType[],
    /** '' for a function only the module itself calls. */
    readonly exportName: string,
  ) {}

  /** A new local of the given type; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  get(i: number): this {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...uleb(i));
  }
  i32(n: number): this {
    return this.op(0x41, ...sleb(n | 0));
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  /** i32.lt_s */
  lt(): this {
    return this.op(0x48);
  }
  /** i32.ne */
  ne(): this {
    return this.op(0x47);
  }
  /** i32.lt_u */
  ltU(): this {
    return this.op(0x49);
  }
  /** select: the first of two values when the i32 on top is non-zero, else the second. */
  select(): this {
    return this.op(0x1b);
  }
  /** i32.eqz */
  eqz(): this {
    return this.op(0x45);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  block(): this {
    return this.op(0x02, 0x40);
  }
  end(): this {
    return this.op(0x0b);
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  /** Calls the module's function number `index` (its position in emitModule's list). */
  call(index: number): this {
    return this.op(0x10, ...uleb(index));
  }
  /** i32.load at the address on the stack plus `offset` bytes. */
  i32Load(offset = 0): this {
    return this.op(0x28, 2, ...uleb(offset));
  }
  /** v128.load at the address on the stack plus `offset` bytes (alignment hint 4 bytes). */
  v128Load(offset = 0): this {
    return this.op(0xfd, ...uleb(0), 2, ...uleb(offset));
  }
  /** v128.load32_splat: one f32 broadcast to four lanes. */
  load32Splat(offset = 0): this {
    return this.op(0xfd, ...uleb(9), 2, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.op(0xfd, ...uleb(11), 2, ...uleb(offset));
  }
  /** v128.const 0 */
  v128Zero(): this {
    return this.op(0xfd, ...uleb(12), ...new Array<number>(16).fill(0));
  }
  f32x4Add(): this {
    return this.op(0xfd, ...uleb(0xe4));
  }
  f32x4Mul(): this {
    return this.op(0xfd, ...uleb(0xe6));
  }

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  body(): number[] {
    // Locals as runs of one type each.
    const runs: [number, ValType][] = [];
    for (const t of this.locals) {
      if (runs.length && runs[runs.length - 1][1] === t) runs[runs.length - 1][0]++;
      else runs.push([1, t]);
    }
    const bytes = [...vector(runs.map(([n, t]) => [...uleb(n), VALTYPE[t]])), ...this.code, 0x0b];
    return [...uleb(bytes.length), ...bytes];
  }
}

/**
 * The module's bytes: every function gets its own type; the memory is
 * imported as env.memory (shared, as the threaded tfjs build's, or not).
 */
export function emitModule(functions: FunctionBuilder[], sharedMemory: boolean): Uint8Array {
  const types = section(1, vector(functions.map((f) => [0x60, ...vector(f.params.map((p) => [VALTYPE[p]])), 0])));
  // Limits: shared memories must declare a maximum (65536 pages = 4 GiB covers any).
  const limits = sharedMemory ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]]));
  const funcs = section(3, vector(functions.map((_, i) => uleb(i))));
  const exported = functions.map((f, i) => [f, i] as const).filter(([f]) => f.exportName);
  const exports = section(7, vector(exported.map(([f, i]) => [...name(f.exportName), 0x00, ...uleb(i)])));
  const code = section(10, vector(functions.map((f) => f.body())));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}
