// `npm run notebooks [-- 04 05 …] [--small] [--write]`: executes every
// notebook (or the named ones: a number, a name or a path) in order.
//
//   default   into outputs/notebooks/<name>.ipynb, leaving the committed
//             notebooks alone; the full configuration, or the small one with
//             --small (or SMILE_LENS_SMALL=1), e.g. to try one notebook fast;
//   --write   the full configuration, written back over the committed
//             notebooks with their outputs made portable (paths relative to
//             the project root: portable-outputs.ts). The same seeds give the
//             same numbers, so a re-run changes only what really changed.
//
// A notebook with any problem (error output, a failure on stderr, a cell that
// never ran) is never written back: its last good state stays, the problems
// are listed, and the command fails (and stops: later notebooks may need it).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkExecuted } from '../lib/notebook/check';
import { resolveNotebooks } from '../lib/notebook/discover';
import { Notebook, normaliseNotebook, readNotebook, writeNotebook } from '../lib/notebook/ipynb';
import { executeNotebook } from '../lib/notebook/jupyter';
import { projectRoot } from '../lib/run/locations';
import { portableOutputs } from '../lib/notebook/portable-outputs';
import { outputsRoot } from '../lib/run/locations';

const USAGE = `usage: npm run notebooks -- [notebook…] [--small] [--write]
  notebook  a number (04), a name (04-gradcam) or a path; default: every notebook in notebooks/
  --small   the small configuration (as the tests run; SMILE_LENS_SMALL=1 does the same)
  --write   rewrite the committed notebooks with their outputs (full configuration only);
            without it the executed copies go to outputs/notebooks/`;

/** Drops what changes on every run without meaning anything (nbclient's timestamps) and the machine's paths. */
function forCommit(nb: Notebook): Notebook {
  const out = normaliseNotebook(portableOutputs(nb));
  for (const cell of out.cells) delete (cell.metadata as Record<string, unknown>).execution;
  return out;
}

async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('-'));
  const unknown = flags.filter((f) => !['--small', '--write', '--help', '-h'].includes(f));
  if (unknown.length || flags.includes('--help') || flags.includes('-h')) {
    (unknown.length ? console.error : console.log)(`${unknown.length ? `unknown option ${unknown.join(' ')}\n` : ''}${USAGE}`);
    return unknown.length ? 2 : 0;
  }
  const write = flags.includes('--write');
  const small = flags.includes('--small') || process.env.SMILE_LENS_SMALL === '1';
  if (write && small) {
    console.error(`--write keeps the committed notebooks in the full configuration: drop --small${process.env.SMILE_LENS_SMALL === '1' ? ' (and unset SMILE_LENS_SMALL)' : ''}, or run without --write to execute into outputs/notebooks/`);
    return 2;
  }
  const notebooks = resolveNotebooks(argv.filter((a) => !a.startsWith('-')));
  if (notebooks.length === 0) {
    console.error('no notebooks found in notebooks/');
    return 1;
  }
  for (const nb of notebooks) readNotebook(nb); // a broken file is named before anything runs
  const outDir = path.join(outputsRoot(), 'notebooks');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-notebooks-'));
  const configuration = small ? 'small' : 'full';
  let failed = 0;
  try {
    for (const nb of notebooks) {
      const name = path.relative(projectRoot(), nb);
      const output = write ? path.join(work, path.basename(nb)) : path.join(outDir, path.basename(nb));
      console.log(`${name}: executing (${configuration} configuration)${write ? '' : ` into ${path.relative(process.cwd(), output)}`}...`);
      const run = await executeNotebook(nb, {
        output,
        // An explicit undefined removes SMILE_LENS_SMALL even if the caller's shell has it.
        env: { SMILE_LENS_SMALL: small ? '1' : undefined },
        cellTimeoutSec: 6 * 3600,
        timeoutSec: 12 * 3600,
      });
      const problems = run.notebook ? checkExecuted(run.notebook) : [`nbconvert wrote no notebook (exit ${run.status}):\n${run.stderr}`];
      if (run.status !== 0 && run.notebook) problems.push(`nbconvert exited with ${run.status}:\n${run.stderr.trim().split('\n').slice(-15).join('\n')}`);
      if (problems.length) {
        failed++;
        const kept = write ? 'not written back' : `executed copy in ${path.relative(process.cwd(), output)}`;
        console.error(`${name}: FAILED after ${run.seconds.toFixed(0)} s; ${kept}. Problems:\n  ${problems.join('\n  ')}`);
        break;
      }
      if (write) writeNotebook(nb, forCommit(run.notebook!));
      console.log(`${name}: ok in ${run.seconds.toFixed(0)} s${write ? ', written with outputs' : ''}`);
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
