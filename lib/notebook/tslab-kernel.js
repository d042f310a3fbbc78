#!/usr/bin/env node
// Starts this checkout's tslab kernel with the repository root as its working
// directory, whatever folder the notebook is in. tslab type-checks a cell
// together with the files it imports, with rootDir = the kernel's working
// directory, and rejects any import outside it ("is not under 'rootDir'"):
// with the notebook's folder as cwd, notebooks/ could not import ../lib/.
// So every notebook imports from './lib/...' and reads './data/...'.
'use strict';
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
process.chdir(root);
// Lets lib code know it runs in a kernel before any cell has displayed anything.
process.env.SMILE_LENS_KERNEL = 'tslab';
// tslab keeps ONE pending TypeScript rebuild timer and throws "Unexpected
// pending rebuildTimer" (an uncaught exception in the kernel) when a second
// kind is scheduled before the next cell compiles: an imported file changed
// AND a file appeared or vanished in a folder TypeScript watches for module
// lookups (node_modules, lib/, the repository root: any npm install, editor
// or data file). Not watching folders removes the second kind; edited files
// are still picked up. (A module added after a failed import needs a kernel
// restart.)
const tsPath = require.resolve('@tslab/typescript-for-tslab', { paths: [path.join(root, 'node_modules', 'tslab')] });
require(tsPath).sys.watchDirectory = () => ({ close() {} });

process.argv = [process.argv[0], path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'), ...process.argv.slice(2)];
require(path.join(root, 'node_modules', 'tslab', 'dist', 'main.js')).main();
