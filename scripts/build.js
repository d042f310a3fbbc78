#!/usr/bin/env node
// `npm run build` (run by scripts/setup.sh): lib/ compiled to JavaScript in
// .build/lib/, so the command line and its workers start in a fraction of a
// second instead of compiling TypeScript at every start.
//
// Each file is transpiled on its own by esbuild with the options tsx uses at
// run time (so the code that runs is the code the tests ran through tsx), into
// the same layout: every path found from __dirname stays valid, and the files
// lib/ holds beside its sources (python, JavaScript) are copied along.
//
// bin/smile-lens.js runs the build only when it is fresh: built after the last
// change to lib/, tsconfig.json or package.json (modification times of files
// and folders, so added, removed and renamed files count). A stale build is
// rebuilt on the spot (about a second, cheaper than one start through tsx) and
// says so; code older than its sources never runs.
//
// Plain JavaScript: it runs before anything is compiled.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, '.build');
const STAMP = path.join(BUILD_DIR, 'build.json');
/** What the build is made from, besides lib/. */
const INPUTS = ['tsconfig.json', 'package.json'];

function writeAtomic(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Every file and folder of the sources, with its modification time. */
function walk(dir, out = []) {
  out.push({ file: dir, mtimeMs: fs.statSync(dir).mtimeMs, directory: true });
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file, out);
    else if (entry.isFile()) out.push({ file, mtimeMs: fs.statSync(file).mtimeMs, directory: false });
  }
  return out;
}

/**
 * Whether .build/ holds lib/ as it is now: { fresh: true } or { fresh: false,
 * why } naming the first newer source. Costs a stat per file (a few ms).
 */
function buildState(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, '.build', 'build.json'), 'utf8'));
  } catch {
    return { fresh: false, why: 'no build yet' };
  }
  const sources = [...walk(path.join(root, 'lib')), ...INPUTS.map((f) => ({ file: path.join(root, f), mtimeMs: fs.statSync(path.join(root, f)).mtimeMs }))];
  const newer = sources.find((s) => s.mtimeMs > stamp.sourcesAt);
  return newer ? { fresh: false, why: `${path.relative(root, newer.file)} changed after the last build` } : { fresh: true };
}

/** Compiles lib/ into .build/lib/; returns the number of files and the seconds it took. */
function build(root = ROOT) {
  const started = Date.now();
  // Sources read from here on may be newer than the stamp: the stamp says
  // when reading began, so a file saved during the build triggers the next one.
  const sourcesAt = started;
  const esbuild = require('esbuild');
  const files = walk(path.join(root, 'lib')).filter((f) => !f.directory);
  const typescript = files.filter((f) => f.file.endsWith('.ts') && !f.file.endsWith('.d.ts')).map((f) => f.file);
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: typescript,
    outbase: path.join(root, 'lib'),
    outdir: path.join(root, '.build', 'lib'),
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // As tsx transpiles: names kept (__name), the project's tsconfig.
    keepNames: true,
    tsconfig: path.join(root, 'tsconfig.json'),
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'silent',
    write: false,
  });
  // Written file by file, each atomically, and the stamp last: a process
  // starting meanwhile sees a stale build (and builds itself), never half a file.
  for (const out of result.outputFiles) writeAtomic(out.path, out.contents);
  const assets = files.filter((f) => !typescript.includes(f.file));
  for (const a of assets) writeAtomic(path.join(root, '.build', 'lib', path.relative(path.join(root, 'lib'), a.file)), fs.readFileSync(a.file));
  writeAtomic(path.join(root, '.build', 'build.json'), JSON.stringify({ sourcesAt, esbuild: esbuild.version, files: typescript.length + assets.length }, null, 2) + '\n');
  return { files: typescript.length + assets.length, seconds: (Date.now() - started) / 1000 };
}

/** Removes the build (npm run build starts clean, so no file of a deleted source lingers). */
function clean(root = ROOT) {
  fs.rmSync(path.join(root, '.build'), { recursive: true, force: true });
}

module.exports = { BUILD_DIR, STAMP, buildState, build, clean };

if (require.main === module) {
  clean();
  const { files, seconds } = build();
  console.log(`compiled lib/ into ${path.relative(process.cwd(), BUILD_DIR) || '.build'}/ (${files} files, ${seconds.toFixed(1)} s)`);
}
