// Files a later run trusts are written whole or not at all: a temporary file
// in the same folder, fsync'd, then renamed over the target (rename is atomic
// within a file system), so a killed process never leaves half a file.
import * as fs from 'fs';
import * as path from 'path';
import { processAlive } from './processes';

/** Marks a temporary file: <file>.tmp-<pid>-<random>. */
const TEMPORARY = '.tmp-';

/** `sync: false` skips the fsync: the file is still whole or absent if the process dies, but not after a power cut. */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { sync?: boolean } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}${TEMPORARY}${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    if (options.sync !== false) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * Removes the temporary files that processes killed while writing left in
 * `dir` (and, with `recursive`, below it); a live process's are kept.
 * Returns how many were removed.
 */
export function removeDeadTemporaries(dir: string, recursive = false): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (recursive) removed += removeDeadTemporaries(path.join(dir, entry.name), true);
      continue;
    }
    const at = entry.name.lastIndexOf(TEMPORARY);
    if (at <= 0) continue;
    const pid = Number(entry.name.slice(at + TEMPORARY.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    fs.rmSync(path.join(dir, entry.name), { force: true });
    removed++;
  }
  return removed;
}
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Reads JSON, naming the file and the problem when it is missing or malformed. */
export function readJson<T>(file: string, what = 'JSON'): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${file}: expected ${what}, but it is not valid JSON (${(e as Error).message})`);
  }
}
