// The course folders, in nbgrader's layout with notebooks/ as the course
// directory:
//   notebooks/source/<assignment>/*.ipynb   instructor notebooks (solutions, hidden tests)
//   notebooks/release/<assignment>/*.ipynb  what students get (built, committed)
// An assignment is a folder of source/ holding notebooks with solution
// markers. Building is deterministic (same source, same bytes), so "is the
// release up to date?" is a byte comparison.
import * as fs from 'fs';
import * as path from 'path';
import { listNotebooks, NOTEBOOKS_DIR } from '../notebook/discover';
import { readNotebook, serialiseNotebook, writeNotebook } from '../notebook/ipynb';
import { projectRoot } from '../run/locations';
import { hasSolutionMarkers } from './layout';
import { StudentVersion, studentVersion } from './student-version';

export const SOURCE_DIR = path.join(NOTEBOOKS_DIR, 'source');
export const RELEASE_DIR = path.join(NOTEBOOKS_DIR, 'release');

export interface BuiltNotebook {
  assignment: string;
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
  return path.relative(projectRoot(), path.resolve(file)).split(path.sep).join('/');
}

export interface SourceNotebook {
  assignment: string;
  file: string;
}

/** Every instructor notebook: <sourceDir>/<assignment>/*.ipynb with solution markers, by assignment then name. */
export function sourceNotebooks(sourceDir = SOURCE_DIR): SourceNotebook[] {
  if (!fs.existsSync(sourceDir)) return [];
  return fs
    .readdirSync(sourceDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .flatMap((assignment) => listNotebooks(path.join(sourceDir, assignment)).filter((f) => hasSolutionMarkers(readNotebook(f))).map((file) => ({ assignment, file })));
}

export interface BuildOptions {
  sourceDir?: string;
  releaseDir?: string;
  /** Write changed student versions (default true); false only compares. */
  write?: boolean;
}

export function buildRelease(options: BuildOptions = {}): BuiltNotebook[] {
  const releaseDir = options.releaseDir ?? RELEASE_DIR;
  return sourceNotebooks(options.sourceDir).map(({ assignment, file }) => {
    const version = studentVersion(readNotebook(file), { name: repoRelative(file) });
    const target = path.join(releaseDir, assignment, path.basename(file));
    const text = serialiseNotebook(version.notebook);
    const changed = !fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text;
    if (changed && options.write !== false) writeNotebook(target, version.notebook);
    return { assignment, source: file, target, version, text, changed };
  });
}

/** Notebooks in the release folder that no source notebook builds (a source renamed or removed). */
export function staleReleaseFiles(built: readonly BuiltNotebook[], releaseDir = RELEASE_DIR): string[] {
  const expected = new Set(built.map((b) => path.resolve(b.target)));
  if (!fs.existsSync(releaseDir)) return [];
  return fs
    .readdirSync(releaseDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => listNotebooks(path.join(releaseDir, e.name)))
    .filter((f) => !expected.has(path.resolve(f)));
}
