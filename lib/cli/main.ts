// Entry point of the `smile-lens` command: dispatches to the subcommands.
// Exit codes: 0 done, 1 a failure (the message names what and where), 2 a
// usage error (an unknown or out-of-range option), 128+n stopped by signal n.
import * as fs from 'fs';
import * as path from 'path';
import { Command, commandHelp, parseOptions, UsageError } from './command';
import { COMMANDS, CommandEntry } from './commands';
import { ConfigError } from '../config/schema';
import { BACKEND_ENV, BACKEND_EXPECTED, backendNamed } from '../backend/names';
import { projectRoot } from '../run/locations';

export function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  return [
    'Usage: smile-lens <command> [options]',
    '',
    'What does a facial-expression network really look at?',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `smile-lens help <command>` (or `smile-lens <command> --help`) for the options of one command.',
    'Every command accepts --backend <tensorflow-gpu|tensorflow|wasm|cpu> (or env SMILE_LENS_BACKEND) and --debug.',
    'smile-lens --version prints the version.',
  ].join('\n');
}

function find(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** A word of a command line as a POSIX shell reads it back. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Settles once a signal has stopped the command (never otherwise): the exit code. */
let interrupted: Promise<number> | undefined;

/**
 * On SIGINT, SIGTERM or SIGHUP: stop every worker this process started, say
 * where the work stood and how to resume, and exit 128 + n. What was
 * finished is on disk already (every file is written whole), so the same
 * command resumes. A second signal ends the process at once.
 */
function stopOnSignals(name: string, argv: string[]): void {
  for (const [signal, n] of Object.entries(SIGNALS)) {
    process.once(signal as NodeJS.Signals, () => {
      const { liveChildren, stopChildren } = require('../worker/children') as typeof import('../worker/children');
      const { currentStates } = require('../progress/last-state') as typeof import('../progress/last-state');
      const workers = liveChildren();
      const lines = [
        '',
        `smile-lens ${name}: interrupted (${signal})${workers ? `; stopping ${workers} worker${workers > 1 ? 's' : ''}` : ''}.`,
        ...currentStates().map((s) => `  where it stood: ${s}`),
        'Everything finished so far is saved (each seed epoch, image and table is written whole). To resume, run the same command again:',
        `  smile-lens ${argv.map(shellWord).join(' ')}`,
      ];
      process.stderr.write(lines.join('\n') + '\n');
      interrupted = stopChildren('SIGTERM', 3000).then(() => process.exit(128 + n));
    });
  }
}

/** The environment's backend, checked like --backend (a usage error before any work). */
function checkBackendEnv(): void {
  const value = process.env[BACKEND_ENV];
  if (value && !backendNamed(value)) throw new UsageError(`smile-lens: ${BACKEND_ENV}=${value}: expected ${BACKEND_EXPECTED}`);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(version());
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    console.log(mainHelp());
    return name ? 0 : 2;
  }
  const entry = find(name === 'help' ? rest[0] : name);
  if (!entry) {
    console.error(`smile-lens: unknown command "${name === 'help' ? rest[0] : name}"\n\n${mainHelp()}`);
    return 2;
  }
  const command: Command<any, unknown> = entry.load();
  if (name === 'help' || rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(command, entry.summary));
    return 0;
  }
  const debug = rest.includes('--debug') || /^(1|true|yes|on)$/i.test(process.env.SMILE_LENS_DEBUG ?? '');
  // Workers inherit it: their failures then come with stack traces too.
  if (debug) process.env.SMILE_LENS_DEBUG = '1';
  try {
    // Everything that can be refused is refused here, before a backend starts.
    const options = parseOptions(command, rest);
    checkBackendEnv();
    const prepared = command.prepare?.(options);
    stopOnSignals(entry.name, argv);
    if (command.compute !== false) {
      const { chooseBackend, describeBackend } = require('../backend/select') as typeof import('../backend/select');
      console.log(describeBackend(await chooseBackend(typeof options.backend === 'string' ? options.backend : undefined)));
    }
    const code = await command.run(options, prepared, { name: entry.name, argv: rest });
    if (interrupted) return await interrupted;
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    // Workers stopped by the signal fail their units: that is not news.
    if (interrupted) return await interrupted;
    if (e instanceof UsageError || e instanceof ConfigError) {
      console.error(e.message.startsWith('smile-lens') ? e.message : `smile-lens ${entry.name}: ${e.message}`);
      if (debug) console.error(e.stack);
      return 2;
    }
    const err = e as Error;
    console.error(`smile-lens ${entry.name}: ${err.message}`);
    if (debug) console.error(err.stack);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
