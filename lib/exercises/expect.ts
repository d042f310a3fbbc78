// What the exercises' check cells compare with: the expected numbers (a
// tensor, an array or a number), within a tolerance, throwing ONE line that
// says what is wrong and where — the grader reports an error's first line,
// and a student should not have to read a stack trace. Used from notebooks,
// so it compiles under tslab's non-strict TypeScript too.
import * as tf from '@tensorflow/tfjs';

export type Expected = number | ArrayLike<number> | tf.Tensor;

export interface CloseOptions {
  /** Absolute tolerance (default 1e-5) … */
  tol?: number;
  /** … plus this much relative to |expected| (default 1e-4). */
  rtol?: number;
  /** Appended to the message, e.g. what a wrong answer usually means. */
  hint?: string;
}

function isTensor(x: unknown): x is tf.Tensor {
  return !!x && typeof x === 'object' && typeof (x as tf.Tensor).dataSync === 'function' && Array.isArray((x as tf.Tensor).shape);
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return !!x && typeof x === 'object' && typeof (x as ArrayLike<number>).length === 'number';
}

function num(v: number): string {
  return Number.isNaN(v) ? 'NaN' : Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
}

/** "[1, 0, 2]" for flat index i in a row-major array of this shape. */
function position(i: number, shape: readonly number[]): string {
  if (shape.length <= 1) return `[${i}]`;
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return `[${idx.join(', ')}]`;
}

function describe(x: unknown): string {
  if (isTensor(x)) return `a tensor of shape [${x.shape.join(', ')}]`;
  if (isArrayLike(x)) return `${x.length} values`;
  if (typeof x === 'number') return num(x);
  return x === undefined ? 'undefined (did the function return its result?)' : typeof x;
}

/** Throws unless `actual` matches `expected` in kind, shape and values. */
export function expectClose(what: string, actual: unknown, expected: Expected, options: CloseOptions = {}): void {
  const tol = options.tol ?? 1e-5;
  const rtol = options.rtol ?? 1e-4;
  const hint = options.hint ? ` — ${options.hint}` : '';
  const fail = (message: string): never => {
    throw new Error(`${what}: ${message}${hint}`);
  };
  let a: ArrayLike<number>;
  let e: ArrayLike<number>;
  let shape: readonly number[];
  if (isTensor(expected)) {
    if (!isTensor(actual)) fail(`expected ${describe(expected)}, got ${describe(actual)}`);
    const t = actual as tf.Tensor;
    if (t.shape.length !== expected.shape.length || t.shape.some((d, i) => d !== expected.shape[i])) {
      fail(`expected shape [${expected.shape.join(', ')}], got [${t.shape.join(', ')}]`);
    }
    a = t.dataSync() as ArrayLike<number>;
    e = expected.dataSync() as ArrayLike<number>;
    shape = expected.shape;
  } else if (isArrayLike(expected)) {
    const values = isTensor(actual) ? (actual.dataSync() as ArrayLike<number>) : actual;
    if (!isArrayLike(values)) fail(`expected ${describe(expected)}, got ${describe(actual)}`);
    a = values as ArrayLike<number>;
    e = expected;
    if (a.length !== e.length) fail(`expected ${e.length} values, got ${a.length}`);
    shape = [e.length];
  } else {
    if (typeof actual !== 'number') fail(`expected the number ${num(expected)}, got ${describe(actual)}`);
    a = [actual as number];
    e = [expected];
    shape = [];
  }
  let wrong = 0;
  let first = -1;
  for (let i = 0; i < e.length; i++) {
    const ok = Number.isNaN(e[i]) ? Number.isNaN(a[i]) : Math.abs(a[i] - e[i]) <= tol + rtol * Math.abs(e[i]);
    if (!ok) {
      wrong++;
      if (first < 0) first = i;
    }
  }
  if (wrong === 0) return;
  const where = shape.length === 0 ? '' : ` at ${position(first, shape)}`;
  const diff = Number.isNaN(e[first]) || Number.isNaN(a[first]) ? '' : ` (|difference| ${num(Math.abs(a[first] - e[first]))})`;
  const count = wrong > 1 ? `; ${wrong} of ${e.length} values are off` : '';
  fail(`got ${num(a[first])}${where}, expected ${num(e[first])}${diff}${count}`);
}

/** Throws unless `fn` throws (e.g. on inputs that do not fit together). */
export function expectThrows(what: string, fn: () => unknown, hint?: string): void {
  let threw = false;
  try {
    fn();
  } catch {
    threw = true;
  }
  if (!threw) throw new Error(`${what}: expected an error, but nothing was thrown${hint ? ` — ${hint}` : ''}`);
}
