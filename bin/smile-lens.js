#!/usr/bin/env node
// The `smile-lens` command. Runs the compiled build (.build/, npm run build)
// when it is as new as lib/; rebuilds a stale one first (about a second, and
// said on stderr), so code older than its sources never runs. Without esbuild
// or a writable checkout it runs the TypeScript sources through tsx (a few
// seconds slower per start). SMILE_LENS_BUILD=off runs the sources always.
'use strict';
const path = require('path');

function loadMain() {
  if (!/^(0|off|false|no)$/i.test(process.env.SMILE_LENS_BUILD ?? '')) {
    const builder = require('../scripts/build.js');
    const state = builder.buildState();
    if (state.fresh) return require('../.build/lib/cli/main.js');
    try {
      const { seconds } = builder.build();
      process.stderr.write(`smile-lens: rebuilt .build/ (${state.why}) in ${seconds.toFixed(1)} s\n`);
      return require('../.build/lib/cli/main.js');
    } catch (e) {
      process.stderr.write(`smile-lens: cannot build .build/ (${e.message.split('\n')[0]}); running the TypeScript sources (slower start)\n`);
    }
  }
  require('tsx/cjs');
  return require(path.join('..', 'lib', 'cli', 'main.ts'));
}

// Stack traces name TypeScript lines (the build's source maps), when asked for.
if (process.argv.includes('--debug') || /^(1|true|yes|on)$/i.test(process.env.SMILE_LENS_DEBUG ?? '')) process.setSourceMapsEnabled(true);

loadMain()
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
