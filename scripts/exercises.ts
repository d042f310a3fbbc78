// `npm run exercises [-- --check]`: builds the student version of every
// instructor notebook (a top-level notebook in notebooks/ with solution
// markers) into notebooks/exercises/: solutions replaced by a stub that
// throws "not implemented", hidden tests removed, outputs cleared. The student
// versions are committed; --check only compares and fails when one is out of
// date (what the tests check too).
import * as fs from 'fs';
import * as path from 'path';
import { buildStudentVersions, EXERCISES_DIR, repoRelative } from '../lib/exercises/build';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length) {
    console.error(`usage: npm run exercises [-- --check]   (unexpected: ${unknown.join(' ')})`);
    return 2;
  }
  const built = buildStudentVersions({ write: !check });
  if (built.length === 0) {
    console.log('no notebook in notebooks/ has "// BEGIN SOLUTION" markers: nothing to build');
    return 0;
  }
  for (const b of built) {
    const v = b.version;
    const what =
      `${v.exercises.length} exercises (${v.exercises.join(', ')}); ${v.stubbed} solution regions stubbed, ` +
      `${v.hiddenRemoved} hidden-test regions removed (${v.cellsRemoved} cells)`;
    const state = !b.changed ? 'up to date' : check ? 'OUT OF DATE' : 'written';
    console.log(`${repoRelative(b.target)} ← ${repoRelative(b.source)}: ${state}; ${what}`);
  }
  // A student version whose instructor notebook is gone (or lost its markers) is left alone, but said.
  const expected = new Set(built.map((b) => path.basename(b.target)));
  const stale = fs.existsSync(EXERCISES_DIR) ? fs.readdirSync(EXERCISES_DIR).filter((f) => f.endsWith('.ipynb') && !expected.has(f)) : [];
  for (const f of stale) console.warn(`${repoRelative(path.join(EXERCISES_DIR, f))}: no instructor notebook with solution markers builds it (stale?)`);
  if (check && built.some((b) => b.changed)) {
    console.error('student versions are out of date: run `npm run exercises` and commit notebooks/exercises/');
    return 1;
  }
  return 0;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
