// The list of subcommands, in the order --help shows them.
import type { Command } from '../command';

export function loadCommands(): Command[] {
  /* eslint-disable @typescript-eslint/no-var-requires */
  return [
    require('./backend').default,
    require('./smoke').default,
    require('./synth').default,
    require('./data').default,
    require('./experiment').default,
    require('./train').default,
    require('./train-seed').default,
    require('./explain').default,
    require('./explain-seed').default,
    require('./audit').default,
    require('./audit-seed').default,
    require('./bias-sweep').default,
    require('./sanity').default,
    require('./sanity-seed').default,
    require('./retrain-masked').default,
    require('./report').default,

  ];
}
