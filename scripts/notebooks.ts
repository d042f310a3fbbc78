// `npm run notebooks [-- 00 01 ...]`: re-executes every notebook (or the named
// ones) in order with the FULL configuration and writes each back in place
// with its outputs. The same seeds give the same numbers, so a re-run changes
// only what really changed. A notebook with any problem (error output, a
// failure on stderr, a cell that never ran) is NOT written back: its last good
// state stays, the problems are listed, and the command fails.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkExecuted } from '../lib/notebook/check';
import { selectNotebooks } from '../lib/notebook/discover';
import { Notebook, normaliseNotebook, writeNotebook } from '../lib/notebook/ipynb';
import { executeNotebook, REPO_ROOT } from '../lib/notebook/jupyter';

/** Drops what changes on every run without meaning anything (nbclient's timestamps). */
function forCommit(nb: Notebook): Notebook {
  const out = normaliseNotebook(nb);
  for (const cell of out.cells) delete (cell.metadata as Record<string, unknown>).execution;
  return out;
}

async function main(argv: string[]): Promise<number> {
  const notebooks = selectNotebooks(argv.filter((a) => !a.startsWith('--')));
  if (notebooks.length === 0) {
    console.error('no notebooks found in notebooks/');
    return 1;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-notebooks-'));
  let failed = 0;
  try {
    for (const nb of notebooks) {
      const name = path.relative(REPO_ROOT, nb);
      console.log(`${name}: executing (full configuration)...`);
      const run = await executeNotebook(nb, {
        output: path.join(work, path.basename(nb)),
        // The full configuration: SMILE_LENS_SMALL removed even if the caller's shell has it.
        env: { SMILE_LENS_SMALL: undefined },
        cellTimeoutSec: 6 * 3600,
        timeoutSec: 12 * 3600,
      });
      const problems = run.notebook ? checkExecuted(run.notebook) : [`nbconvert wrote no notebook (exit ${run.status}):\n${run.stderr}`];
      if (run.status !== 0 && run.notebook) problems.push(`nbconvert exited with ${run.status}:\n${run.stderr.trim().split('\n').slice(-15).join('\n')}`);
      if (problems.length) {
        failed++;
        console.error(`${name}: FAILED after ${run.seconds.toFixed(0)} s; not written back. Problems:\n  ${problems.join('\n  ')}`);
        break; // Later notebooks may depend on this one's results.
      }
      writeNotebook(nb, forCommit(run.notebook!));
      console.log(`${name}: ok in ${run.seconds.toFixed(0)} s, written with outputs`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
