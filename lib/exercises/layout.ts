// The exercise structure of an instructor notebook, validated: which code
// cell belongs to which exercise in which role, and where its marked regions
// are. Everything the builder and the grader do starts here, so a notebook
// that would leak a solution or grade an exercise without tests is rejected
// with the notebook and cell named.
import { Cell, joinSource, Notebook } from '../notebook/ipynb';
import { cellMeta, cellPoints, CellRole, describeCell, ExerciseCellMeta, gradeId, TEST_ROLES } from './cell-roles';
import { findRegions, hasMarkers, MarkedRegion, MarkerError } from './markers';

export interface LayoutCell {
  index: number;
  cell: Cell;
  meta: ExerciseCellMeta;
  gradeId: string;
  regions: MarkedRegion[];
}

export interface ExerciseInfo {
  id: string;
  /** grade_ids of the check and hidden cells, in notebook order. */
  testIds: string[];
  solutionIds: string[];
  /** Sum of the test cells' points: all or nothing. */
  points: number;
}

export interface ExerciseLayout {
  name: string;
  /** Every code cell, tagged. */
  cells: LayoutCell[];
  /** In order of first appearance. */
  exercises: ExerciseInfo[];
}

/** Which roles may hold which regions. */
const ALLOWED: Record<CellRole, { solution: boolean; hidden: boolean }> = {
  intro: { solution: false, hidden: false },
  statement: { solution: false, hidden: false },
  setup: { solution: false, hidden: false },
  solution: { solution: true, hidden: false },
  check: { solution: false, hidden: true },
  hidden: { solution: false, hidden: true },
  instructor: { solution: false, hidden: false },
};

/** Whether a notebook is an exercise notebook: some code cell has a solution marker. */
export function hasSolutionMarkers(nb: Notebook): boolean {
  return nb.cells.some((c) => c.cell_type === 'code' && hasMarkers(joinSource(c.source), 'solution'));
}

export function readLayout(nb: Notebook, name: string): ExerciseLayout {
  const cells: LayoutCell[] = [];
  const exercises = new Map<string, ExerciseInfo>();
  const seen = new Map<string, number>();
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const where = describeCell(name, index, cell);
    const source = joinSource(cell.source);
    const regions = findRegions(source, where);
    const meta = cellMeta(cell);
    const id = gradeId(cell);
    if (!meta || !id) {
      throw new MarkerError(`${where}: an exercise notebook's code cells need metadata.smile_lens.role (setup, solution, check, hidden) and metadata.nbgrader.grade_id`);
    }
    if (seen.has(id)) throw new MarkerError(`${where}: grade_id "${id}" is also used by cell ${seen.get(id)! + 1}`);
    seen.set(id, index);
    const allowed = ALLOWED[meta.role];
    for (const r of regions) {
      if (!allowed[r.kind]) throw new MarkerError(`${where}: line ${r.begin + 1}: a ${r.kind} region in a ${meta.role} cell (solution regions belong in solution cells, hidden tests in check or hidden cells)`);
    }
    if (meta.role === 'solution' && !regions.some((r) => r.kind === 'solution')) {
      throw new MarkerError(`${where}: a solution cell without "// BEGIN SOLUTION" … "// END SOLUTION" would hand out the answer`);
    }
    if (meta.role === 'hidden' && !regions.some((r) => r.kind === 'hidden')) {
      throw new MarkerError(`${where}: a hidden-test cell without "// BEGIN HIDDEN TESTS" … "// END HIDDEN TESTS" would be shown to students`);
    }
    const needsExercise = meta.role === 'solution' || TEST_ROLES.includes(meta.role);
    if (needsExercise && !meta.exercise) throw new MarkerError(`${where}: a ${meta.role} cell must name its exercise (metadata.smile_lens.exercise)`);
    if (meta.exercise) {
      const info = exercises.get(meta.exercise) ?? { id: meta.exercise, testIds: [], solutionIds: [], points: 0 };
      exercises.set(meta.exercise, info);
      if (meta.role === 'solution') info.solutionIds.push(id);
      if (TEST_ROLES.includes(meta.role)) {
        info.testIds.push(id);
        info.points += cellPoints(cell);
      }
    }
    cells.push({ index, cell, meta, gradeId: id, regions });
  });
  for (const ex of exercises.values()) {
    if (ex.solutionIds.length === 0) throw new MarkerError(`${name}: exercise "${ex.id}" has no solution cell`);
    if (ex.testIds.length === 0) throw new MarkerError(`${name}: exercise "${ex.id}" has no check or hidden-test cell, so nothing could fail it`);
  }
  return { name, cells, exercises: [...exercises.values()] };
}
