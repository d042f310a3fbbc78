#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step) through tsx.
require('tsx/cjs');
const { main } = require('../lib/cli/main.ts');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
