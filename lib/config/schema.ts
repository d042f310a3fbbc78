// Typed, validated settings: every numeric and enumerated setting declares
// its range once, here in a field, and the same field parses a command-line
// value, checks a value a notebook passes in, and describes itself in --help.
// A wrong value is refused before any work starts, with a message naming the
// setting, the value and what was expected.

export class ConfigError extends Error {}

export interface Field<T> {
  readonly kind: 'int' | 'number' | 'string' | 'choice' | 'boolean' | 'list';
  readonly describe: string;
  /** Applied when the setting is absent. */
  readonly default?: T;
  readonly required?: boolean;
  /** Placeholder in --help, e.g. '<n>'. */
  readonly placeholder: string;
  /** What a valid value is, in words: "a whole number from 1 to 1000". */
  readonly expected: string;
  /** Allowed values of a choice (or of a list of choices). */
  readonly values?: readonly string[];
  /** Hidden from --help (internal or deprecated settings). */
  readonly hidden?: boolean;
  /** Parses one command-line value (a list field gets each comma-separated part appended). */
  parse(raw: string, previous?: T): T;
  /** undefined when `value` is valid, else what is wrong with it. */
  check(value: unknown): string | undefined;
}

interface Common<T> {
  describe: string;
  default?: T;
  required?: boolean;
  placeholder?: string;
  hidden?: boolean;
}

type Out<T, O> = O extends { default: unknown } ? Field<T> : O extends { required: true } ? Field<T> : Field<T | undefined>;

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : Array.isArray(v) ? `"${v.join(',')}"` : String(v));

function make<T>(kind: Field<T>['kind'], o: Common<T>, expected: string, parse: Field<T>['parse'], check: (v: unknown) => boolean, extra: Partial<Field<T>> = {}): Field<T> {
  return {
    kind,
    describe: o.describe,
    default: o.default,
    required: o.required,
    hidden: o.hidden,
    placeholder: o.placeholder ?? `<${kind === 'int' || kind === 'number' ? 'n' : kind}>`,
    expected,
    parse,
    check: (v) => (v === undefined && !o.required ? undefined : check(v) ? undefined : `expected ${expected}, got ${show(v)}`),
    ...extra,
  };
}

function range(min: number | undefined, max: number | undefined, whole: boolean, above?: number): string {
  const what = whole ? 'a whole number' : 'a number';
  if (above !== undefined) return max !== undefined ? `${what} above ${above} and at most ${max}` : `${what} above ${above}`;
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`;
  if (min !== undefined) return `${what} ≥ ${min}`;
  if (max !== undefined) return `${what} ≤ ${max}`;
  return what;
}

function parseNumber(raw: string, expected: string): number {
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw new ConfigError(`expected ${expected}, got "${raw}"`);
  return n;
}

interface NumberOptions<T> extends Common<T> {
  min?: number;
  max?: number;
  /** Strictly greater than this (a learning rate above 0). */
  above?: number;
}

export function int<O extends NumberOptions<number>>(o: O): Out<number, O> {
  const expected = range(o.min, o.max, true, o.above);
  const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && (o.min === undefined || v >= o.min) && (o.max === undefined || v <= o.max) && (o.above === undefined || v > o.above);
  return make<number>('int', o, expected, (raw) => parseNumber(raw, expected), ok) as Out<number, O>;
}

export function num<O extends NumberOptions<number>>(o: O): Out<number, O> {
  const expected = range(o.min, o.max, false, o.above);
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && (o.min === undefined || v >= o.min) && (o.max === undefined || v <= o.max) && (o.above === undefined || v > o.above);
  return make<number>('number', o, expected, (raw) => parseNumber(raw, expected), ok) as Out<number, O>;
}

/** A text; with `pattern`, one of a given form (`expected` says which, in words). */
export function text<O extends Common<string> & { nonEmpty?: boolean; pattern?: RegExp; expected?: string }>(o: O): Out<string, O> {
  const expected = o.expected ?? (o.nonEmpty === false ? 'a text' : 'a non-empty text');
  const ok = (v: unknown) => typeof v === 'string' && (o.nonEmpty === false || v.length > 0) && (!o.pattern || o.pattern.test(v));
  return make<string>('string', { placeholder: '<text>', ...o }, expected, (raw) => raw, ok) as Out<string, O>;
}

export function choice<const V extends string, O extends Common<V> = Common<V>>(values: readonly V[], o: O): Out<V, O> {
  const expected = `one of ${values.join(', ')}`;
  const f = make<V>(
    'choice',
    { placeholder: `<${values.join('|')}>`, ...o },
    expected,
    (raw) => raw as V,
    (v) => typeof v === 'string' && (values as readonly string[]).includes(v),
    { values },
  );
  return f as Out<V, O>;
}

export function bool<O extends Common<boolean>>(o: O): Field<boolean> {
  const f = make<boolean>('boolean', { default: false, ...o } as Common<boolean>, 'true or false', (raw) => {
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`expected true or false, got "${raw}"`);
  }, (v) => typeof v === 'boolean');
  return f;
}

/** A comma-separated list (a repeated flag appends); each part is checked by `item`. */
export function list<T, O extends Common<NonNullable<T>[]> & { min?: number; unique?: boolean }>(item: Field<T>, o: O): Out<NonNullable<T>[], O> {
  const least = o.min ?? 1;
  const expected = `a comma-separated list of ${least > 1 ? `at least ${least} ` : ''}values, each ${item.expected}`;
  const f = make<NonNullable<T>[]>(
    'list',
    { placeholder: item.placeholder.replace(/>$/, ',…>'), ...o },
    expected,
    (raw, previous) => [...(previous ?? []), ...raw.split(',').map((s) => s.trim()).filter(Boolean).map((s) => item.parse(s) as NonNullable<T>)],
    (v) => Array.isArray(v) && v.length >= least && v.every((x) => item.check(x) === undefined) && (!o.unique || new Set(v).size === v.length),
    { values: item.values },
  );
  const check = f.check;
  // Name the offending element, not the whole list.
  return {
    ...f,
    check: (v: unknown) => {
      if (Array.isArray(v)) {
        const bad = v.find((x) => item.check(x) !== undefined);
        if (bad !== undefined) return `expected each value to be ${item.expected}, got ${show(bad)}`;
        if (o.unique && new Set(v).size !== v.length) return `expected distinct values, got ${show(v)}`;
      }
      return check(v);
    },
  } as Out<NonNullable<T>[], O>;
}

/** A flag that may be given several times, each value taken whole (commas and all), each checked by `item`. */
export function repeated<T, O extends Common<NonNullable<T>[]>>(item: Field<T>, o: O): Out<NonNullable<T>[], O> {
  const expected = `values each ${item.expected}`;
  const f = make<NonNullable<T>[]>('list', { placeholder: item.placeholder, ...o }, expected, (raw, previous) => [...(previous ?? []), item.parse(raw) as NonNullable<T>], (v) => Array.isArray(v) && v.every((x) => item.check(x) === undefined));
  return {
    ...f,
    check: (v: unknown) => {
      const bad = Array.isArray(v) ? v.find((x) => item.check(x) !== undefined) : undefined;
      return bad !== undefined ? `expected ${item.expected}, got ${show(bad)}` : f.check(v);
    },
  } as Out<NonNullable<T>[], O>;
}

export type Schema = Record<string, Field<unknown>>;
export type Parsed<S> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/** Checks every field of `value` present in `schema`; throws one ConfigError naming each bad setting (as `where.key`). */
export function validate<S extends Schema>(schema: S, value: Partial<Parsed<S>>, where: string): void {
  const problems: string[] = [];
  for (const [key, field] of Object.entries(schema)) {
    const problem = field.check((value as Record<string, unknown>)[key]);
    if (problem) problems.push(`${where}.${key}: ${problem}`);
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));
}

/** The schema's defaults, for the fields that have one. */
export function defaults<S extends Schema>(schema: S): Partial<Parsed<S>> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) if (field.default !== undefined) out[key] = field.default;
  return out as Partial<Parsed<S>>;
}
