// Are two run folders the same results? For checking that work on speed
// changed no number: every table (CSV) and metrics.json must be identical —
// the tables byte for byte, the JSON apart from timings and the folders'
// own paths — and every other result file (maps, models, histories,
// sidecars) is compared the same way and reported. Checkpoints, the report
// page and config.json (dates, versions) are not results.
import * as fs from 'fs';
import * as path from 'path';

export interface FileComparison {
  /** Relative to the run folder. */
  file: string;
  status: 'same' | 'different' | 'missing' | 'extra';
  /** A table or metrics.json: must be the same. */
  required: boolean;
  detail?: string;
}

export interface RunComparison {
  files: FileComparison[];
  /** Every required file is present in both and the same. */
  identical: boolean;
  /** Every compared file is the same. */
  allSame: boolean;
}

/** JSON keys that hold times or dates, not results. */
const TIMING_KEYS = new Set(['seconds', 'created']);

function skipped(rel: string): boolean {
  const base = path.basename(rel);
  return base === 'config.json' || base === 'report.html' || base.includes('.tmp-') || rel.split(path.sep).some((part) => part.startsWith('checkpoint-epoch-'));
}

function required(rel: string): boolean {
  return rel.endsWith('.csv') || path.basename(rel) === 'metrics.json';
}

function walk(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (skipped(rel)) continue;
    if (entry.isDirectory()) out.push(...walk(root, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** JSON with timings removed and absolute paths made relative to the run folder (or reduced to their last part). */
function normalisedJson(text: string, runDir: string): string {
  const value = JSON.parse(text) as unknown;
  return JSON.stringify(value, (key, v) => {
    if (TIMING_KEYS.has(key)) return undefined;
    if (typeof v === 'string' && path.isAbsolute(v)) {
      const rel = path.relative(runDir, v);
      return rel.startsWith('..') ? `<elsewhere>/${path.basename(v)}` : `<run>/${rel}`;
    }
    return v;
  });
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  return `first difference at line ${line}: ${JSON.stringify(a.slice(Math.max(0, i - 30), i + 50))} vs ${JSON.stringify(b.slice(Math.max(0, i - 30), i + 50))}`;
}

function compareFile(before: string, after: string, rel: string): FileComparison {
  const req = required(rel);
  const a = fs.readFileSync(path.join(before, rel));
  const b = fs.readFileSync(path.join(after, rel));
  if (rel.endsWith('.json')) {
    const na = normalisedJson(a.toString('utf8'), before);
    const nb = normalisedJson(b.toString('utf8'), after);
    return na === nb ? { file: rel, status: 'same', required: req } : { file: rel, status: 'different', required: req, detail: firstDifference(na, nb) };
  }
  if (a.equals(b)) return { file: rel, status: 'same', required: req };
  const detail = rel.endsWith('.csv') ? firstDifference(a.toString('utf8'), b.toString('utf8')) : `${a.length} vs ${b.length} bytes`;
  return { file: rel, status: 'different', required: req, detail };
}

/** Compares every result file of two run folders (the main job's, with its sweep and masked run inside). */
export function compareRuns(before: string, after: string): RunComparison {
  const a = new Set(walk(before));
  const b = new Set(walk(after));
  const files: FileComparison[] = [];
  for (const rel of [...new Set([...a, ...b])].sort()) {
    if (!b.has(rel)) files.push({ file: rel, status: 'missing', required: required(rel) });
    else if (!a.has(rel)) files.push({ file: rel, status: 'extra', required: required(rel) });
    else files.push(compareFile(before, after, rel));
  }
  return {
    files,
    identical: files.filter((f) => f.required).every((f) => f.status === 'same') && files.some((f) => f.required),
    allSame: files.every((f) => f.status === 'same'),
  };
}

/** A few lines: how many files of each kind matched, and each difference. */
export function formatComparison(c: RunComparison): string {
  const count = (req: boolean, status: FileComparison['status']) => c.files.filter((f) => f.required === req && f.status === status).length;
  const lines = [
    `tables and metrics: ${count(true, 'same')} same, ${count(true, 'different')} different, ${count(true, 'missing')} missing, ${count(true, 'extra')} extra`,
    `other results (maps, models, histories, sidecars): ${count(false, 'same')} same, ${count(false, 'different')} different, ${count(false, 'missing')} missing, ${count(false, 'extra')} extra`,
  ];
  for (const f of c.files.filter((f) => f.status !== 'same').slice(0, 40)) lines.push(`  ${f.status}${f.required ? ' (required)' : ''}: ${f.file}${f.detail ? ` — ${f.detail}` : ''}`);
  lines.push(c.identical ? (c.allSame ? 'IDENTICAL: every result file is the same' : 'IDENTICAL tables and metrics (other files differ, listed above)') : 'DIFFERENT: a table or metrics.json differs');
  return lines.join('\n');
}
