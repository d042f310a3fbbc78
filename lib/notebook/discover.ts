// The project's notebooks, in reading order: notebooks/*.ipynb at the top
// level, sorted by name (00-, 01-, ...). The teaching folders notebooks/source/
// and notebooks/release/ are separate (lib/exercises/build.ts).
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../run/locations';

export const NOTEBOOKS_DIR = path.join(projectRoot(), 'notebooks');

export function listNotebooks(dir = NOTEBOOKS_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ipynb') && !e.name.startsWith('.'))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Notebooks matching the given names or prefixes ("00", "00-environment", "00-environment.ipynb"); all when none. */
export function selectNotebooks(names: string[], dir = NOTEBOOKS_DIR): string[] {
  const all = listNotebooks(dir);
  if (names.length === 0) return all;
  return names.map((name) => {
    const base = path.basename(name).replace(/\.ipynb$/, '');
    const hits = all.filter((f) => path.basename(f, '.ipynb') === base || path.basename(f).startsWith(base));
    if (hits.length !== 1) {
      throw new Error(`"${name}" matches ${hits.length} notebooks in ${dir} (${all.map((f) => path.basename(f)).join(', ')})`);
    }
    return hits[0];
  });
}

/** Notebook arguments of a command: existing .ipynb paths as given, other names looked up in `dir`; all of `dir` when none. */
export function resolveNotebooks(args: string[], dir = NOTEBOOKS_DIR): string[] {
  const isFile = (a: string) => a.endsWith('.ipynb') && fs.existsSync(a);
  const files = args.filter(isFile).map((a) => path.resolve(a));
  const names = args.filter((a) => !isFile(a));
  return [...files, ...(names.length || files.length === 0 ? selectNotebooks(names, dir) : [])];
}
