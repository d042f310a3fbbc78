// Reading, writing and normalising Jupyter notebooks (.ipynb, nbformat 4.5).
//
// Committed notebooks are written the way Jupyter writes them (1-space JSON
// indentation, sources split into lines, a final newline) so that a notebook
// saved from the browser and one written here give the same diff.
import * as crypto from 'crypto';
import * as fs from 'fs';
import { writeFileAtomic } from '../util/atomic-write';

export type MultilineString = string | string[];

export interface Output {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error' | 'update_display_data';
  name?: string;
  text?: MultilineString;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  [key: string]: unknown;
}

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
  [key: string]: unknown;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** Kernel metadata for the project's TypeScript kernel (registered by `npm run setup`). */
export const TSLAB_METADATA = {
  kernelspec: { display_name: 'TypeScript (smile-lens)', language: 'typescript', name: 'tslab' },
  language_info: {
    codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
    file_extension: '.ts',
    mimetype: 'text/typescript',
    name: 'typescript',
    version: '3.7.2',
  },
};

/** A cell's (or output's) multi-line text as one string. */
export function joinSource(s: MultilineString | undefined): string {
  return Array.isArray(s) ? s.join('') : s ?? '';
}

/** Jupyter's on-disk form: one string per line, each but the last keeping its '\n'. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => l + '\n');
  const last = lines[lines.length - 1];
  lines[lines.length - 1] = last.slice(0, -1);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function markdownCell(text: string, id?: string): Cell {
  return { cell_type: 'markdown', id, metadata: {}, source: splitLines(text) };
}

export function codeCell(code: string, id?: string): Cell {
  return { cell_type: 'code', id, metadata: {}, source: splitLines(code), execution_count: null, outputs: [] };
}

export function newNotebook(cells: Cell[]): Notebook {
  return normaliseNotebook({ cells, metadata: { ...TSLAB_METADATA }, nbformat: 4, nbformat_minor: 5 });
}

export function readNotebook(file: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
  } catch (e) {
    throw new Error(`${file}: not a readable notebook (${(e as Error).message})`);
  }
  if (!nb || !Array.isArray(nb.cells) || typeof nb.nbformat !== 'number') {
    throw new Error(`${file}: not a Jupyter notebook (no cells/nbformat)`);
  }
  if (nb.nbformat !== 4) throw new Error(`${file}: nbformat ${nb.nbformat} is not supported (expected 4)`);
  return nb;
}

/** Jupyter's own layout: sorted keys, 1-space indent, trailing newline. */
export function serialiseNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(nb), null, 1) + '\n';
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, serialiseNotebook(nb));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/**
 * A cell id that is stable for the same notebook position and source, so
 * re-normalising a notebook does not churn its ids (nbformat: 1-64 chars of
 * [a-zA-Z0-9-_]).
 */
function stableId(index: number, source: string, taken: Set<string>): string {
  let salt = 0;
  for (;;) {
    const id = crypto.createHash('sha1').update(`${index}\0${salt}\0${source}`).digest('hex').slice(0, 8);
    if (!taken.has(id)) return id;
    salt += 1;
  }
}

export interface NormaliseOptions {
  /** Drop outputs and execution counts (for committing notebooks without results). */
  clearOutputs?: boolean;
}

/**
 * Brings a notebook to nbformat 4.5 with unique cell ids, line-split sources,
 * and (optionally) no outputs. Returns a new object; the input is not changed.
 */
export function normaliseNotebook(input: Notebook, options: NormaliseOptions = {}): Notebook {
  const nb: Notebook = JSON.parse(JSON.stringify(input));
  nb.nbformat = 4;
  nb.nbformat_minor = Math.max(5, nb.nbformat_minor ?? 5);
  nb.metadata = nb.metadata ?? {};
  const taken = new Set<string>();
  nb.cells = nb.cells.map((cell, i) => {
    const source = joinSource(cell.source);
    const valid = typeof cell.id === 'string' && /^[a-zA-Z0-9_-]{1,64}$/.test(cell.id) && !taken.has(cell.id);
    const id = valid ? (cell.id as string) : stableId(i, source, taken);
    taken.add(id);
    const out: Cell = { ...cell, id, source: splitLines(source), metadata: cell.metadata ?? {} };
    if (cell.cell_type === 'code') {
      out.outputs = options.clearOutputs ? [] : cell.outputs ?? [];
      out.execution_count = options.clearOutputs ? null : cell.execution_count ?? null;
      if (options.clearOutputs) {
        // Execution timing that nbclient records is an output too.
        const { execution, ...rest } = out.metadata as Record<string, unknown>;
        void execution;
        out.metadata = rest;
      }
    } else {
      delete out.outputs;
      delete out.execution_count;
    }
    return out;
  });
  return nb;
}

export function clearOutputs(nb: Notebook): Notebook {
  return normaliseNotebook(nb, { clearOutputs: true });
}

/** The code cells, with their index among all cells. */
export function codeCells(nb: Notebook): { index: number; cell: Cell }[] {
  return nb.cells.map((cell, index) => ({ index, cell })).filter((c) => c.cell.cell_type === 'code');
}
