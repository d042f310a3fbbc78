// Decoded pixels on disk, so a second run does not decode 2444×1718 JPEGs
// again. An entry is <dir>/<key>.bin (raw bytes) plus <key>.json (what is in
// it); the key hashes the source files' paths, sizes and modification times
// and the parameters, so a changed file or parameter is a different entry.
// Both files are written atomically and the .json last: an entry whose .json
// exists is complete.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic-write';
import { dataRoot } from '../run/locations';

/** Bump when the decoded bytes for the same inputs change (resize kernel, layout). */
export const CACHE_FORMAT = 1;

export const DEFAULT_CACHE_DIR = path.join(dataRoot(), '.cache');
export const CACHE_DIR_ENV = 'SMILE_LENS_CACHE_DIR';

/** data/.cache, or the folder in SMILE_LENS_CACHE_DIR (tests, read-only checkouts). */
export function defaultCacheDir(): string {
  return process.env[CACHE_DIR_ENV] || DEFAULT_CACHE_DIR;
}

export interface CacheEntryMeta {
  format: number;
  key: string;
  /** Byte lengths of the consecutive sections of the .bin file. */
  sections: Record<string, number>;
  [extra: string]: unknown;
}

export function cacheKey(parts: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify({ format: CACHE_FORMAT, parts })).digest('hex').slice(0, 24);
}

export interface CacheEntry<M extends CacheEntryMeta> {
  meta: M;
  sections: Record<string, Uint8Array>;
}

/** The entry for `key`, or undefined when absent or incomplete. */
export function readCacheEntry<M extends CacheEntryMeta>(dir: string, key: string): CacheEntry<M> | undefined {
  const metaFile = path.join(dir, `${key}.json`);
  const binFile = path.join(dir, `${key}.bin`);
  if (!fs.existsSync(metaFile) || !fs.existsSync(binFile)) return undefined;
  let meta: M;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as M;
  } catch {
    return undefined; // a damaged entry is rebuilt, not fatal
  }
  if (meta.format !== CACHE_FORMAT || meta.key !== key) return undefined;
  const bytes = fs.readFileSync(binFile);
  const expected = Object.values(meta.sections).reduce((a, b) => a + b, 0);
  if (bytes.length !== expected) return undefined;
  const sections: Record<string, Uint8Array> = {};
  let offset = 0;
  for (const [name, length] of Object.entries(meta.sections)) {
    sections[name] = new Uint8Array(bytes.buffer, bytes.byteOffset + offset, length);
    offset += length;
  }
  return { meta, sections };
}

export function writeCacheEntry(dir: string, key: string, sections: Record<string, Uint8Array>, extra: Record<string, unknown>): void {
  const lengths: Record<string, number> = {};
  for (const [name, data] of Object.entries(sections)) lengths[name] = data.length;
  writeFileAtomic(path.join(dir, `${key}.bin`), Buffer.concat(Object.values(sections)));
  writeJsonAtomic(path.join(dir, `${key}.json`), { ...extra, format: CACHE_FORMAT, key, sections: lengths });
}

/**
 * Deletes the entries that `supersedes` says the new entry `key` replaces
 * (e.g. the same folder and parameters before its files changed), so the
 * cache holds one entry per data set and setting instead of growing forever.
 */
export function pruneCache(dir: string, key: string, supersedes: (meta: Record<string, unknown>) => boolean): string[] {
  const removed: string[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!name.endsWith('.json') || name === `${key}.json`) continue;
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    if (meta.key !== name.slice(0, -5) || !supersedes(meta)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    fs.rmSync(path.join(dir, `${meta.key}.bin`), { force: true });
    removed.push(String(meta.key));
  }
  return removed;
}
