// Entry point of the `smile-lens` command: dispatches to the subcommands.
import { Command, UsageError, commandHelp, parseOptions } from './command';
import { loadCommands } from './commands';

export function mainHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 4;
  return [
    'Usage: smile-lens <command> [options]',
    '',
    'What does a facial-expression network really look at?',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `smile-lens <command> --help` for the options of one command.',
    'Every command accepts --backend <tensorflow-gpu|tensorflow|wasm|cpu> (or env SMILE_LENS_BACKEND).',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const commands = loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp(commands));
    return name ? 0 : 1;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`smile-lens: unknown command "${name}"\n\n${mainHelp(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(command));
    return 0;
  }
  try {
    const options = parseOptions(command, rest);
    const code = await command.run(options);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    const err = e as Error;
    console.error(`smile-lens ${name}: ${err.message}`);
    if (process.env.SMILE_LENS_DEBUG) console.error(err.stack);
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
