// The shape of a `smile-lens` subcommand and the one parser for its options.
// Options are typed fields (lib/config/schema.ts): each declares its range,
// so a wrong value is refused before any work starts with a message naming
// the option, the value and what was expected, and the command receives its
// options already typed.
import { BACKENDS, backendNamed } from '../backend/names';
import { bool, choice, ConfigError, Field, Parsed } from '../config/schema';

export type OptionFields = Record<string, Field<any>>;

/** Options every subcommand accepts. */
export const COMMON_OPTIONS = {
  backend: {
    ...choice(BACKENDS, { describe: 'force a backend (env SMILE_LENS_BACKEND); aliases gpu, node, native', placeholder: '<name>' }),
    parse: (raw: string) => backendNamed(raw) ?? (raw as (typeof BACKENDS)[number]),
  },
  debug: bool({ describe: 'show stack traces of failures (env SMILE_LENS_DEBUG=1)' }),
};

export type CommandOptions<S extends OptionFields> = Parsed<S & typeof COMMON_OPTIONS>;

/** How the command was called: its name and its arguments as typed (a Slurm job runs them again). */
export interface Invocation {
  name: string;
  argv: string[];
}

export interface Command<S extends OptionFields = OptionFields, P = unknown> {
  name: string;
  /** Extra paragraphs for --help (examples, notes). */
  details?: string;
  options: S;
  /** Computes with TensorFlow.js: a backend is chosen (and named) before `run`. Default true. */
  compute?: boolean;
  /**
   * Everything that can be checked before any work starts and before a
   * backend is chosen: settings across options, folders that must exist,
   * output folders (lib/util/output-folder.ts). Throws a UsageError (exit 2)
   * or returns what `run` needs (typically the run's configuration).
   */
  prepare?(options: CommandOptions<S>): P;
  /** `invocation` is given by the command line (main.ts); a test may leave it out. */
  run(options: CommandOptions<S>, ...rest: undefined extends P ? [P?, Invocation?] : [P, Invocation?]): Promise<number | void>;
}

/** Declares a command with its options typed from their fields. */
export function defineCommand<S extends OptionFields, P = undefined>(c: Command<S, P>): Command<S, P> {
  return c;
}

/** Parses, prepares and runs a command in this process, without choosing a backend or handling signals (main.ts does): for tests. */
export async function runCommand<S extends OptionFields, P>(command: Command<S, P>, argv: string[], name = command.name): Promise<number | void> {
  const options = parseOptions(command, argv);
  const prepared = command.prepare?.(options);
  return (command as Command<S, unknown>).run(options, prepared, { name, argv });
}

/** A mistake in how a command was called (exit code 2). */
export class UsageError extends Error {}

function closest(name: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  const best = candidates.map((c) => ({ c, d: distance(name, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.c : undefined;
}

/** Parses and checks a command's options; a UsageError names the first problem. */
export function parseOptions<S extends OptionFields>(command: Command<S>, argv: string[]): CommandOptions<S> {
  const fields: OptionFields = { ...command.options, ...COMMON_OPTIONS };
  const usage = (message: string) => new UsageError(`smile-lens ${command.name}: ${message} (see smile-lens ${command.name} --help)`);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw usage(`unexpected argument "${arg}"`);
    let [key, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let negated = false;
    if (key.startsWith('no-') && fields[key.slice(3)]?.kind === 'boolean') {
      key = key.slice(3);
      negated = true;
    }
    const field = fields[key];
    if (!field || field.hidden === true && !(key in command.options)) {
      const hint = closest(key, Object.keys(fields).filter((k) => !fields[k].hidden));
      throw usage(`unknown option --${key}${hint ? ` (did you mean --${hint}?)` : ''}`);
    }
    try {
      if (field.kind === 'boolean') {
        out[key] = inline === undefined ? !negated : negated ? !field.parse(inline) : field.parse(inline);
        continue;
      }
      const raw = inline ?? argv[++i];
      if (raw === undefined || (inline === undefined && raw.startsWith('--') && field.kind !== 'number' && field.kind !== 'int')) throw new ConfigError(`needs a value ${field.placeholder}`);
      out[key] = field.parse(raw, out[key]);
    } catch (e) {
      if (e instanceof ConfigError) throw usage(`--${key}: ${e.message}`);
      throw e;
    }
  }
  for (const [key, field] of Object.entries(fields)) {
    if (out[key] === undefined && field.default !== undefined) out[key] = field.default;
    if (field.required && out[key] === undefined) throw usage(`--${key} ${field.placeholder} is required`);
    const problem = field.check(out[key]);
    if (problem) throw usage(`--${key}: ${problem}`);
  }
  return out as CommandOptions<S>;
}

export function commandHelp(command: Command, summary: string): string {
  const lines = [`Usage: smile-lens ${command.name} [options]`, '', summary, '', 'Options:'];
  const fields: [string, Field<unknown>][] = [...Object.entries(command.options), ...Object.entries(COMMON_OPTIONS), ['help', bool({ describe: 'show this help' })]];
  const shown = fields.filter(([, f]) => !f.hidden);
  const left = shown.map(([name, f]) => `  --${name}${f.kind === 'boolean' ? '' : ` ${f.placeholder}`}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  shown.forEach(([name, f], i) => {
    const def = f.default === undefined || (f.kind === 'boolean' && f.default === false) || name === 'help' ? '' : ` (default: ${Array.isArray(f.default) ? f.default.join(',') : f.default === '' ? 'none' : f.default})`;
    const req = f.required ? ' (required)' : '';
    const range = f.kind === 'int' || f.kind === 'number' ? ` [${f.expected}]` : '';
    lines.push(`${left[i].padEnd(width)}${f.describe}${range}${req}${def}`);
  });
  if (command.details) lines.push('', command.details.trim());
  return lines.join('\n');
}
