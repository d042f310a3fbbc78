// Entry point of the `smile-lens` command: dispatches to the subcommands.
// Exit codes: 0 done, 1 a failure (the message names what and where), 2 a
// usage error (an unknown or out-of-range option), 128+n stopped by signal n.
import * as fs from 'fs';
import * as path from 'path';
import { Command, commandHelp, parseOptions, UsageError } from './command';
import { COMMANDS, CommandEntry } from './commands';
import { ConfigError } from '../config/schema';
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

/**
 * On SIGINT, SIGTERM or SIGHUP: stop every worker this process started, say
 * what is kept and how to resume, and exit 128 + n. What was finished is on
 * disk already (every file is written whole), so the same command resumes.
 */
function stopOnSignals(name: string): void {
  for (const [signal, n] of Object.entries(SIGNALS)) {
    process.once(signal as NodeJS.Signals, () => {
      const { stopChildren } = require('../worker/children') as typeof import('../worker/children');
      process.stderr.write(`\nsmile-lens ${name}: interrupted (${signal}); stopping the workers. Everything finished so far is saved: run the same command again to resume.\n`);
      stopChildren('SIGTERM', 3000).finally(() => process.exit(128 + n));
    });
  }
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
  const command: Command<any> = entry.load();
  if (name === 'help' || rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(command, entry.summary));
    return 0;
  }
  const debug = rest.includes('--debug') || /^(1|true|yes|on)$/i.test(process.env.SMILE_LENS_DEBUG ?? '');
  try {
    const options = parseOptions(command, rest);
    stopOnSignals(entry.name);
    if (command.compute !== false) {
      const { chooseBackend, describeBackend } = require('../backend/select') as typeof import('../backend/select');
      console.log(describeBackend(await chooseBackend(typeof options.backend === "string" ? options.backend : undefined)));
    }
    const code = await command.run(options, { name: entry.name, argv: rest });
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      console.error(e instanceof UsageError ? e.message : `smile-lens ${entry.name}: ${e.message}`);
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
