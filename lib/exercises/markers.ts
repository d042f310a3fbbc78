// The nbgrader markers in a code cell's source, as line comments:
//   // BEGIN SOLUTION … // END SOLUTION          (replaced by a stub for students)
//   // BEGIN HIDDEN TESTS … // END HIDDEN TESTS  (removed for students)
// Regions must be closed in the cell that opens them and cannot nest: an
// unbalanced marker would otherwise leak a solution (or a hidden test) into
// the student version, so it is an error that names the notebook and cell.

export type RegionKind = 'solution' | 'hidden';

export interface MarkedRegion {
  kind: RegionKind;
  /** 0-based line of the BEGIN marker. */
  begin: number;
  /** 0-based line of the END marker. */
  end: number;
  /** Leading whitespace of the BEGIN marker (the stub keeps it). */
  indent: string;
}

const NAMES: Record<RegionKind, string> = { solution: 'SOLUTION', hidden: 'HIDDEN TESTS' };

/** A marker line: only the comment (and whitespace) on it. */
const MARKER_LINE = /^(\s*)\/\/\s*(BEGIN|END)\s+(SOLUTION|HIDDEN TESTS)\s*$/;
/** Any mention of a marker in a line comment, to catch markers that share a line with code. */
const MARKER_ANYWHERE = /\/\/.*\b(BEGIN|END)\s+(SOLUTION|HIDDEN TESTS)\b/;

export function markerText(edge: 'BEGIN' | 'END', kind: RegionKind): string {
  return `// ${edge} ${NAMES[kind]}`;
}

export class MarkerError extends Error {}

/**
 * The marked regions of one cell's source, in order. `where` names the cell
 * in errors (e.g. "notebooks/source/07-exercises/07-exercises.ipynb: cell 5 (alpha-solution)").
 */
export function findRegions(source: string, where: string): MarkedRegion[] {
  const lines = source.split('\n');
  const regions: MarkedRegion[] = [];
  let open: { kind: RegionKind; begin: number; indent: string } | undefined;
  lines.forEach((line, i) => {
    const m = MARKER_LINE.exec(line);
    if (!m) {
      const loose = MARKER_ANYWHERE.exec(line);
      if (loose) throw new MarkerError(`${where}: line ${i + 1}: "${loose[1]} ${loose[2]}" must be alone on its line as "// ${loose[1]} ${loose[2]}"`);
      return;
    }
    const edge = m[2] as 'BEGIN' | 'END';
    const kind: RegionKind = m[3] === 'SOLUTION' ? 'solution' : 'hidden';
    if (edge === 'BEGIN') {
      if (open) {
        throw new MarkerError(
          `${where}: line ${i + 1}: "${markerText('BEGIN', kind)}" inside the ${open.kind} region opened on line ${open.begin + 1} (regions cannot nest)`,
        );
      }
      open = { kind, begin: i, indent: m[1] };
      return;
    }
    if (!open) throw new MarkerError(`${where}: line ${i + 1}: "${markerText('END', kind)}" without a "${markerText('BEGIN', kind)}" before it`);
    if (open.kind !== kind) {
      throw new MarkerError(
        `${where}: line ${i + 1}: "${markerText('END', kind)}" closes the ${open.kind} region opened on line ${open.begin + 1} (expected "${markerText('END', open.kind)}")`,
      );
    }
    regions.push({ kind, begin: open.begin, end: i, indent: open.indent });
    open = undefined;
  });
  if (open) {
    throw new MarkerError(`${where}: line ${open.begin + 1}: "${markerText('BEGIN', open.kind)}" is never closed (no "${markerText('END', open.kind)}" in this cell)`);
  }
  return regions;
}

/** Whether a source mentions any marker (cheap test before full parsing). */
export function hasMarkers(source: string, kind?: RegionKind): boolean {
  return source.split('\n').some((line) => {
    const m = MARKER_ANYWHERE.exec(line);
    return !!m && (!kind || (kind === 'solution') === (m[2] === 'SOLUTION'));
  });
}

/** The lines strictly between a region's markers. */
export function regionBody(source: string, region: MarkedRegion): string[] {
  return source.split('\n').slice(region.begin + 1, region.end);
}
