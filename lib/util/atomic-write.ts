// Files a later run trusts are written whole or not at all: a temporary file
// in the same folder, fsync'd, then renamed over the target (rename is atomic
// within a file system), so a killed process never leaves half a file.
import * as fs from 'fs';
import * as path from 'path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
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
