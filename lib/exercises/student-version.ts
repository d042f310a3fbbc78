// The student version of an instructor notebook: each solution region
// becomes a stub that throws, hidden tests are removed (a cell left empty by
// that goes altogether), cells for instructors are left out, outputs and
// execution counts are cleared, and nothing points back to the source (the
// grader finds it by assignment, file name or the cells' grade_ids). The cells
// keep their ids and metadata, so the grader can match a student's solution
// cell with the instructor's; cells other than solutions are marked read-only
// and undeletable for the notebook UI, as nbgrader locks them.
import { Cell, clearOutputs, joinSource, Notebook, TSLAB_METADATA } from '../notebook/ipynb';
import { cellMeta } from './cell-roles';
import { readLayout } from './layout';

/** What a solution region becomes (with the BEGIN marker's indentation). */
export const STUB = "throw new Error('not implemented');";

export interface StudentVersion {
  notebook: Notebook;
  exercises: string[];
  /** Solution regions replaced by the stub. */
  stubbed: number;
  /** Hidden-test regions removed. */
  hiddenRemoved: number;
  /** Cells dropped: nothing but hidden tests was in them, or they were for instructors. */
  cellsRemoved: number;
}

export interface StudentVersionOptions {
  /** The instructor notebook's name in messages (e.g. its repository path). */
  name: string;
}

/** Replaces solution regions by the stub and drops hidden-test regions. */
function studentSource(source: string, regions: ReturnType<typeof readLayout>['cells'][number]['regions']): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let i = 0;
  for (const r of regions) {
    out.push(...lines.slice(i, r.begin));
    if (r.kind === 'solution') out.push(r.indent + STUB);
    i = r.end + 1;
  }
  out.push(...lines.slice(i));
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
  return out.join('\n');
}

export function studentVersion(instructor: Notebook, options: StudentVersionOptions): StudentVersion {
  const layout = readLayout(instructor, options.name);
  const byIndex = new Map(layout.cells.map((c) => [c.index, c]));
  let stubbed = 0;
  let hiddenRemoved = 0;
  let cellsRemoved = 0;
  const cells: Cell[] = [];
  instructor.cells.forEach((cell, index) => {
    const tagged = byIndex.get(index);
    if (cellMeta(cell)?.role === 'instructor') {
      cellsRemoved++;
      return;
    }
    const copy: Cell = JSON.parse(JSON.stringify(cell));
    if (tagged) {
      stubbed += tagged.regions.filter((r) => r.kind === 'solution').length;
      hiddenRemoved += tagged.regions.filter((r) => r.kind === 'hidden').length;
      const source = studentSource(joinSource(cell.source), tagged.regions);
      if (source.trim() === '' && tagged.regions.some((r) => r.kind === 'hidden')) {
        cellsRemoved++;
        return;
      }
      copy.source = source;
    }
    const meta = cellMeta(cell);
    // Jupyter's own flags: only solutions may be edited; none deleted (the grade_id must survive).
    if (meta) copy.metadata = { ...copy.metadata, deletable: false, editable: meta.role === 'solution' };
    cells.push(copy);
  });
  const notebook = clearOutputs({
    cells,
    metadata: { ...TSLAB_METADATA },
    nbformat: 4,
    nbformat_minor: 5,
  });
  return { notebook, exercises: layout.exercises.map((e) => e.id), stubbed, hiddenRemoved, cellsRemoved };
}
