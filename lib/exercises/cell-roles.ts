// What a cell of an exercise notebook is for, recorded in its metadata so the
// builder and the grader need not guess from the source:
//   metadata.smile_lens = { exercise: 'alpha', role: 'solution' }
// plus nbgrader's own cell metadata (grade_id, solution, grade, locked,
// points), so the same notebook also works with nbgrader. The grade_id is the
// key that matches a student's cell with the instructor's.
import { Cell, joinSource } from '../notebook/ipynb';

/**
 * intro/statement: markdown; setup: code every exercise (or one exercise)
 * needs; solution: the student's code; check: a test the student sees;
 * hidden: a test only the autograder runs; instructor: a note for
 * instructors (any cell type), left out of the release and of grading.
 */
export const CELL_ROLES = ['intro', 'statement', 'setup', 'solution', 'check', 'hidden', 'instructor'] as const;
export type CellRole = (typeof CELL_ROLES)[number];

/** The roles whose cells are graded: an exercise passes only when all of them ran cleanly. */
export const TEST_ROLES: readonly CellRole[] = ['check', 'hidden'];

export interface ExerciseCellMeta {
  /** Exercise id; absent for what all exercises share (intro, common setup). */
  exercise?: string;
  role: CellRole;
}

export interface NbgraderCellMeta {
  grade_id: string;
  solution: boolean;
  grade: boolean;
  locked: boolean;
  points?: number;
  schema_version: 3;
}

/** The metadata for a cell of an exercise notebook (smile_lens and nbgrader). */
export function exerciseMetadata(role: CellRole, exercise?: string, options: { points?: number; gradeId?: string } = {}): Record<string, unknown> {
  const gradeId = options.gradeId ?? (exercise ? `${exercise}-${role}` : role);
  const graded = TEST_ROLES.includes(role);
  const nbgrader: NbgraderCellMeta = {
    grade_id: gradeId,
    solution: role === 'solution',
    grade: graded,
    locked: role !== 'solution',
    schema_version: 3,
  };
  if (graded) nbgrader.points = options.points ?? 1;
  return { smile_lens: exercise ? { exercise, role } : { role }, nbgrader };
}

export function cellMeta(cell: Cell): ExerciseCellMeta | undefined {
  const m = (cell.metadata ?? {}).smile_lens as Partial<ExerciseCellMeta> | undefined;
  if (!m || typeof m !== 'object' || !CELL_ROLES.includes(m.role as CellRole)) return undefined;
  return { role: m.role as CellRole, ...(typeof m.exercise === 'string' ? { exercise: m.exercise } : {}) };
}

export function gradeId(cell: Cell): string | undefined {
  const id = ((cell.metadata ?? {}).nbgrader as { grade_id?: unknown } | undefined)?.grade_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function cellPoints(cell: Cell): number {
  const p = ((cell.metadata ?? {}).nbgrader as { points?: unknown } | undefined)?.points;
  return typeof p === 'number' && p >= 0 ? p : 1;
}

/** "<notebook>: cell 5 (alpha-solution)", for messages. */
export function describeCell(notebook: string, index: number, cell: Cell): string {
  const id = gradeId(cell) ?? cell.id ?? JSON.stringify(joinSource(cell.source).split('\n')[0].slice(0, 40));
  return `${notebook}: cell ${index + 1} (${id})`;
}
