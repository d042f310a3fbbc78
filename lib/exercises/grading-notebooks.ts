// The notebooks the grader executes: one per exercise, so a failure in one
// exercise cannot abort (tslab skips every cell after a failed one) or pass
// another. Exercise k's notebook is the instructor's shared setup cells and
// exercise k's own cells — setup, checks and hidden tests always from the
// instructor (a student cannot edit a check away, and the hidden tests are
// put back) — with the solution cells' code taken from the submission.
// Code cells the student added are kept, after the cell they follow, in
// the exercise (or the shared setup) that cell belongs to.
import { Cell, codeCell, joinSource, newNotebook, Notebook } from '../notebook/ipynb';
import { gradeId } from './cell-roles';
import { ExerciseInfo, ExerciseLayout } from './layout';

/** Marks a grading notebook's cells with where they came from, for messages. */
export const GRADING_KEY = 'smile_lens_grading';

export interface GradingCellInfo {
  label: string;
  from: 'instructor' | 'submission';
}

export interface GradingPlan {
  exercise: ExerciseInfo;
  /** Undefined when a solution cell is missing from the submission (nothing to run). */
  notebook?: Notebook;
  /** Solution grade_ids the submission lacks. */
  missing: string[];
  /** Code cells of the submission's own that were included. */
  extraCells: number;
}

export function gradingInfo(cell: Cell): GradingCellInfo | undefined {
  return (cell.metadata ?? {})[GRADING_KEY] as GradingCellInfo | undefined;
}

/** Before any tagged cell. */
const START = '';

function sortSubmission(layout: ExerciseLayout, submission: Notebook) {
  const known = new Map(layout.cells.map((c) => [c.gradeId, c]));
  const solutions = new Map<string, string>();
  const matched = new Set<string>();
  const extras = new Map<string, string[]>();
  let anchor = START;
  for (const cell of submission.cells) {
    if (cell.cell_type !== 'code') continue;
    const id = gradeId(cell);
    const instructorCell = id ? known.get(id) : undefined;
    if (id && instructorCell && !matched.has(id)) {
      matched.add(id);
      if (instructorCell.meta.role === 'solution') solutions.set(id, joinSource(cell.source));
      anchor = id;
      continue;
    }
    // A cell of the student's own (or a copy of a tagged cell): it runs where it stands.
    const source = joinSource(cell.source);
    if (source.trim() === '') continue;
    extras.set(anchor, [...(extras.get(anchor) ?? []), source]);
  }
  return { solutions, extras };
}

function gradingCell(source: string, metadata: Record<string, unknown>, info: GradingCellInfo): Cell {
  const cell = codeCell(source);
  cell.metadata = { ...metadata, [GRADING_KEY]: info };
  return cell;
}

export function gradingNotebooks(layout: ExerciseLayout, submission: Notebook, only?: readonly string[]): GradingPlan[] {
  const { solutions, extras } = sortSubmission(layout, submission);
  const exercises = only ? layout.exercises.filter((e) => only.includes(e.id)) : layout.exercises;
  return exercises.map((exercise) => {
    const cells: Cell[] = [];
    const missing: string[] = [];
    let extraCells = 0;
    const addExtras = (anchor: string) => {
      (extras.get(anchor) ?? []).forEach((source, i) => {
        const after = anchor === START ? 'the start' : anchor;
        cells.push(gradingCell(source, {}, { label: `your cell ${i + 1} after ${after}`, from: 'submission' }));
        extraCells++;
      });
    };
    addExtras(START);
    for (const c of layout.cells) {
      if (c.meta.role === 'instructor' || (c.meta.exercise !== undefined && c.meta.exercise !== exercise.id)) continue;
      const metadata = { smile_lens: c.cell.metadata.smile_lens, nbgrader: c.cell.metadata.nbgrader };
      if (c.meta.role === 'solution') {
        const source = solutions.get(c.gradeId);
        if (source === undefined) missing.push(c.gradeId);
        else cells.push(gradingCell(source, metadata, { label: c.gradeId, from: 'submission' }));
      } else {
        cells.push(gradingCell(joinSource(c.cell.source), metadata, { label: c.gradeId, from: 'instructor' }));
      }
      addExtras(c.gradeId);
    }
    return { exercise, notebook: missing.length ? undefined : newNotebook(cells), missing, extraCells };
  });
}
