// Reading an executed grading notebook: did the exercise's tests pass?
// A test cell passes only when it RAN (an execution count) and shows no
// failure (checkExecuted's rules: error outputs, tracebacks on stderr). A
// test cell that never ran — tslab's silent abort after an earlier failure,
// or a kernel that died — is "aborted", with the failure that caused it
// named, and is never counted as passed.
import { checkExecuted } from '../notebook/check';
import { Cell, joinSource, Notebook } from '../notebook/ipynb';
import { gradeId } from './cell-roles';
import { gradingInfo } from './grading-notebooks';

export type TestStatus = 'passed' | 'failed' | 'aborted';

export interface TestOutcome {
  gradeId: string;
  status: TestStatus;
  /** The error's first line (failed) or what caused the abort. */
  message?: string;
}

export interface ExerciseOutcome {
  /** The first non-passed test's status; passed only when every test passed. */
  status: TestStatus;
  message: string;
  tests: TestOutcome[];
}

/** The first line of an error as the student would read it ("Error: …", "TypeError: …", "3:7 - Cannot find name 'x'."). */
const ERROR_LINE = /^\s*(?:Uncaught\s+)?(?:(?:[A-Za-z_$][\w$]*)?(?:Error|Exception)(?:\s*\[\w+\])?:|\d+:\d+ - )/;

function ran(cell: Cell): boolean {
  return typeof cell.execution_count === 'number' && cell.execution_count > 0;
}

/** Output problems only (whether the cell ran is judged apart). */
function outputProblems(cell: Cell): string[] {
  return checkExecuted({ cells: [{ ...cell, execution_count: 1 }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
}

/** The first line that says what went wrong in a failed cell. */
export function errorLine(cell: Cell): string {
  const outputs = cell.outputs ?? [];
  // nbconvert_config.py adds a generic CellError when tslab replies 'error': the stderr says more.
  for (const o of outputs) {
    if (o.output_type === 'error' && o.ename && o.ename !== 'CellError') return `${o.ename}: ${String(o.evalue ?? '').split('\n')[0]}`.slice(0, 300);
  }
  const stderr = outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => joinSource(o.text)).join('');
  const lines = stderr.split('\n');
  const hit = lines.find((l) => ERROR_LINE.test(l));
  if (hit) return hit.trim().slice(0, 300);
  const problems = outputProblems(cell);
  if (problems.length) return problems[0].replace(/^cell \d+ \([^)]*\): /, '').slice(0, 300);
  return 'the kernel reported this cell as failed';
}

function label(cell: Cell): string {
  return gradingInfo(cell)?.label ?? gradeId(cell) ?? cell.id ?? 'a cell';
}

/** The first cell that ran and failed, as "<label>: <error line>". */
export function firstFailure(nb: Notebook): string | undefined {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code' || joinSource(cell.source).trim() === '') continue;
    if (outputProblems(cell).length > 0) return `${label(cell)}: ${errorLine(cell)}`;
    if (!ran(cell)) return undefined;
  }
  return undefined;
}

export function judgeExercise(executed: Notebook, testIds: readonly string[]): ExerciseOutcome {
  const tests: TestOutcome[] = testIds.map((id) => {
    const cell = executed.cells.find((c) => gradeId(c) === id);
    if (!cell) return { gradeId: id, status: 'aborted', message: 'missing from the executed notebook' };
    if (outputProblems(cell).length > 0) return { gradeId: id, status: 'failed', message: errorLine(cell) };
    if (!ran(cell)) {
      const cause = firstFailure(executed);
      return {
        gradeId: id,
        status: 'aborted',
        message: cause ? `aborted after an earlier failure in ${cause}` : 'aborted: never ran (the kernel stopped before it)',
      };
    }
    return { gradeId: id, status: 'passed' };
  });
  const first = tests.find((t) => t.status !== 'passed');
  if (!first) return { status: 'passed', message: '', tests };
  const message = first.status === 'failed' ? `${first.gradeId}: ${first.message}` : `${first.gradeId} ${first.message}`;
  return { status: first.status, message, tests };
}
