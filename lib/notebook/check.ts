// What went wrong in an executed notebook. nbconvert's exit status is not
// enough with tslab: a failing cell only writes to stderr, and the cells after
// it are skipped without any output at all.
import { Cell, codeCells, joinSource, Notebook, Output } from './ipynb';

/** Text in a stderr stream that means a cell failed (tracebacks, TS diagnostics, stack frames). */
const FAILURE_PATTERNS: { re: RegExp; what: string }[] = [
  { re: /Traceback \(most recent call last\)/, what: 'Python traceback' },
  { re: /TSError/, what: 'TypeScript error' },
  { re: /\bis not defined\b/, what: 'undefined name' },
  // tslab's compile diagnostics: "3:7 - Cannot find name 'x'."
  { re: /^\d+:\d+ - /m, what: 'TypeScript diagnostic' },
  { re: /^\s*at .*(evalmachine|\.[jt]s:\d+:\d+)/m, what: 'stack trace' },
  { re: /^(Uncaught|Unhandled)\w*/m, what: 'uncaught error' },
];

function firstLines(text: string, n = 3): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(0, n).join(' | ').slice(0, 300);
}

function describeCell(index: number, cell: Cell): string {
  const first = joinSource(cell.source).split('\n').find((l) => l.trim()) ?? '';
  return `cell ${index + 1} (${cell.id ?? 'no id'}: ${JSON.stringify(first.trim().slice(0, 60))})`;
}

function outputProblem(o: Output): string | undefined {
  if (o.output_type === 'error') {
    return `error output: ${o.ename ?? 'Error'}: ${o.evalue ?? ''}`.trim();
  }
  if (o.output_type === 'stream' && o.name === 'stderr') {
    const text = joinSource(o.text);
    const hit = FAILURE_PATTERNS.find((p) => p.re.test(text));
    // tslab type-checks the files a cell imports too, and its diagnostics name no file.
    const hint = hit?.what === 'TypeScript diagnostic' ? ' (line:column in this cell or in a file it imports: `npx tsc -p .` names the file)' : '';
    if (hit) return `stderr shows a ${hit.what}${hint}: ${firstLines(text)}`;
  }
  return undefined;
}

/**
 * The problems in an executed notebook, one line each, empty when it ran
 * cleanly: error outputs, stderr that shows a failure, and code cells that
 * never ran (no execution_count: tslab's silent abort after a failed cell).
 * Empty code cells are not executed by nbconvert and are not problems.
 */
export function checkExecuted(nb: Notebook): string[] {
  const problems: string[] = [];
  for (const { index, cell } of codeCells(nb)) {
    const where = describeCell(index, cell);
    for (const o of cell.outputs ?? []) {
      const p = outputProblem(o);
      if (p) problems.push(`${where}: ${p}`);
    }
    const ran = typeof cell.execution_count === 'number' && cell.execution_count > 0;
    if (!ran && joinSource(cell.source).trim() !== '') {
      problems.push(`${where}: did not run (no execution_count; the kernel skipped it after an earlier failure, or died)`);
    }
  }
  return problems;
}
