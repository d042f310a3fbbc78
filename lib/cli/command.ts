// The shape of a `smile-lens` subcommand and the parser for its options.
// Each subcommand lives in lib/cli/commands/<name>.ts and is listed in main.ts.

export type OptionKind = 'string' | 'number' | 'boolean' | 'list';

export interface OptionSpec {
  /** Long name without dashes, e.g. 'seeds'. */
  name: string;
  kind: OptionKind;
  description: string;
  /** Shown in --help; applied when the option is absent. */
  default?: string | number | boolean | string[];
  /** Placeholder in --help, e.g. '<folder>'. */
  value?: string;
  required?: boolean;
}

export type ParsedOptions = Record<string, string | number | boolean | string[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** Extra paragraphs for --help (examples, notes). */
  details?: string;
  options: OptionSpec[];
  run(options: ParsedOptions): Promise<number | void>;
}

/** Options every subcommand accepts. */
export const COMMON_OPTIONS: OptionSpec[] = [
  {
    name: 'backend',
    kind: 'string',
    value: '<name>',
    description: 'force a backend: tensorflow-gpu, tensorflow, wasm or cpu (env SMILE_LENS_BACKEND)',
  },
];

export class UsageError extends Error {}

export function parseOptions(command: Command, argv: string[]): ParsedOptions {
  const specs = [...command.options, ...COMMON_OPTIONS];
  const out: ParsedOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`smile-lens ${command.name}: unexpected argument "${arg}"`);
    let [key, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let negated = false;
    if (key.startsWith('no-') && specs.some((s) => s.name === key.slice(3) && s.kind === 'boolean')) {
      key = key.slice(3);
      negated = true;
    }
    const spec = specs.find((s) => s.name === key);
    if (!spec) {
      throw new UsageError(`smile-lens ${command.name}: unknown option --${key} (see smile-lens ${command.name} --help)`);
    }
    if (spec.kind === 'boolean') {
      out[spec.name] = inline === undefined ? !negated : !/^(false|0|no|off)$/i.test(inline);
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`smile-lens ${command.name}: --${key} needs a value ${spec.value ?? ''}`.trim());
    if (spec.kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`smile-lens ${command.name}: --${key} expects a number, got "${raw}"`);
      out[spec.name] = n;
    } else if (spec.kind === 'list') {
      const prev = (out[spec.name] as string[] | undefined) ?? [];
      out[spec.name] = [...prev, ...raw.split(',').map((s) => s.trim()).filter(Boolean)];
    } else {
      out[spec.name] = raw;
    }
  }
  for (const spec of specs) {
    if (out[spec.name] === undefined && spec.default !== undefined) out[spec.name] = spec.default;
    if (spec.required && out[spec.name] === undefined) {
      throw new UsageError(`smile-lens ${command.name}: --${spec.name} ${spec.value ?? ''} is required (see --help)`.replace('  ', ' '));
    }
  }
  return out;
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: smile-lens ${command.name} [options]`, '', command.summary, '', 'Options:'];
  const specs = [...command.options, ...COMMON_OPTIONS, { name: 'help', kind: 'boolean', description: 'show this help' } as OptionSpec];
  const left = specs.map((s) => `  --${s.name}${s.kind === 'boolean' ? '' : ` ${s.value ?? `<${s.kind}>`}`}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  specs.forEach((s, i) => {
    const def = s.default === undefined ? '' : ` (default: ${Array.isArray(s.default) ? s.default.join(',') : s.default})`;
    const req = s.required ? ' (required)' : '';
    lines.push(`${left[i].padEnd(width)}${s.description}${req}${def}`);
  });
  if (command.details) lines.push('', command.details.trim());
  return lines.join('\n');
}
