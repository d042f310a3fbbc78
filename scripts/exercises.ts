// `npm run exercises [-- --check]`: builds the students' release of every
// assignment, nbgrader's way: notebooks/source/<assignment>/*.ipynb (with
// solutions and hidden tests) → notebooks/release/<assignment>/*.ipynb, with
// solutions replaced by a stub that throws "not implemented", hidden tests and
// notes for instructors removed, outputs cleared, and no pointer back to the
// source. The release is committed; --check only compares and fails when it
// is out of date (what the tests check too).
import { buildRelease, repoRelative, staleReleaseFiles } from '../lib/exercises/build';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length) {
    console.error(`usage: npm run exercises [-- --check]   (unexpected: ${unknown.join(' ')})`);
    return 2;
  }
  const built = buildRelease({ write: !check });
  if (built.length === 0) {
    console.log('no notebook in notebooks/source/<assignment>/ has "// BEGIN SOLUTION" markers: nothing to build');
    return 0;
  }
  for (const b of built) {
    const v = b.version;
    const what =
      `${v.exercises.length} exercises (${v.exercises.join(', ')}); ${v.stubbed} solution regions stubbed, ` +
      `${v.hiddenRemoved} hidden-test regions removed, ${v.cellsRemoved} cells left out`;
    const state = !b.changed ? 'up to date' : check ? 'OUT OF DATE' : 'written';
    console.log(`${repoRelative(b.target)} ← ${repoRelative(b.source)}: ${state}; ${what}`);
  }
  // A released notebook whose source is gone (or lost its markers) is left alone, but said.
  for (const f of staleReleaseFiles(built)) console.warn(`${repoRelative(f)}: no source notebook with solution markers builds it (stale?)`);
  if (check && built.some((b) => b.changed)) {
    console.error('the release is out of date: run `npm run exercises` and commit notebooks/release/');
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
