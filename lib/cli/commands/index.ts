// The list of subcommands, in the order --help shows them.
import type { Command } from '../command';

export function loadCommands(): Command[] {
  /* eslint-disable @typescript-eslint/no-var-requires */
  return [
    require('./backend').default,
    require('./smoke').default,
    require('./experiment').default,
    require('./train').default,
    require('./train-seed').default,
    require('./explain').default,
    require('./explain-seed').default,

  ];
}
