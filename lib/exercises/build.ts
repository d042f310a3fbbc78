// Building the committed student versions: every top-level notebook in
// notebooks/ with solution markers gets notebooks/exercises/<same name>.
// Building is deterministic (same instructor notebook, same bytes), so "is
// the committed student version up to date?" is a byte comparison.
import * as fs from 'fs';
import * as path from 'path';
import { listNotebooks, NOTEBOOKS_DIR } from '../notebook/discover';
import { readNotebook, serialiseNotebook, writeNotebook } from '../notebook/ipynb';
import { REPO_ROOT } from '../notebook/jupyter';
import { hasSolutionMarkers } from './layout';
import { StudentVersion, studentVersion } from './student-version';

export const EXERCISES_DIR = path.join(NOTEBOOKS_DIR, 'exercises');

export interface BuiltNotebook {
  /** The instructor notebook. */
  source: string;
  /** Where its student version goes. */
  target: string;
  version: StudentVersion;
  /** The student version as written (Jupyter's layout). */
  text: string;
  /** The target is missing or differs from `text`. */
  changed: boolean;
}

/** A path relative to the repository root with forward slashes (stable across machines). */
export function repoRelative(file: string): string {
  return path.relative(REPO_ROOT, path.resolve(file)).split(path.sep).join('/');
}

/** The instructor notebooks: top-level notebooks with solution markers. */
export function instructorNotebooks(dir = NOTEBOOKS_DIR): string[] {
  return listNotebooks(dir).filter((f) => hasSolutionMarkers(readNotebook(f)));
}

export interface BuildOptions {
  notebooksDir?: string;
  /** Default: <notebooksDir>/exercises. */
  outDir?: string;
  /** Write changed student versions (default true); false only compares. */
  write?: boolean;
}

export function buildStudentVersions(options: BuildOptions = {}): BuiltNotebook[] {
  const dir = options.notebooksDir ?? NOTEBOOKS_DIR;
  const outDir = options.outDir ?? path.join(dir, 'exercises');
  return instructorNotebooks(dir).map((source) => {
    const name = repoRelative(source);
    const version = studentVersion(readNotebook(source), { name, source: name });
    const target = path.join(outDir, path.basename(source));
    const text = serialiseNotebook(version.notebook);
    const changed = !fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text;
    if (changed && options.write !== false) {
      fs.mkdirSync(outDir, { recursive: true });
      writeNotebook(target, version.notebook);
    }
    return { source, target, version, text, changed };
  });
}
