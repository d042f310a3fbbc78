// Tables for notebooks: a danfojs DataFrame, or plain records, as an HTML
// table (escaped, numbers formatted and right-aligned, long tables cut in the
// middle) plus a plain-text form for front ends without HTML.
//
// danfojs is not imported: any object with `columns`, `index` and 2-D
// `values` works, which keeps tslab from type-checking all of danfojs.
import { sendDisplayData } from '../util/kernel-display';
import { escapeHtml } from '../util/html';

export interface DataFrameLike {
  columns: string[];
  index: (string | number)[];
  values: unknown[] | unknown[][];
}

/** Plain records (any objects; interfaces without an index signature too). */
export type Records = readonly object[];

export interface TableOptions {
  /** Rows shown at most; longer tables show the first and last half (default 40). */
  maxRows?: number;
  /** Decimals for non-integer numbers (default 4). */
  decimals?: number;
  /** Show the index column (default: for data frames yes, for records no). */
  index?: boolean;
  caption?: string;
}

interface Table {
  columns: string[];
  index?: (string | number)[];
  rows: unknown[][];
}

function isDataFrame(x: unknown): x is DataFrameLike {
  return !!x && typeof x === 'object' && Array.isArray((x as DataFrameLike).columns) && 'values' in (x as object);
}

function toTable(data: DataFrameLike | Records): Table {
  if (isDataFrame(data)) {
    const values = data.values as unknown[];
    // A one-column frame (or a Series) gives a 1-D array.
    const rows = values.map((r) => (Array.isArray(r) ? r : [r]));
    return { columns: data.columns, index: data.index, rows };
  }
  const columns: string[] = [];
  for (const r of data) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  return { columns, rows: data.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])) };
}

/** A cell value as text: integers plain, other numbers to `decimals` places (tiny/huge ones in e-notation). */
export function formatCell(v: unknown, decimals = 4): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    const a = Math.abs(v);
    if (a >= 1e6 || a < Math.pow(10, -decimals)) return v.toExponential(Math.max(1, decimals - 1));
    return v.toFixed(decimals);
  }
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Which rows to show: all, or the first and last halves around a gap (null). */
function shownRows(n: number, maxRows: number): (number | null)[] {
  if (n <= maxRows) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(maxRows / 2);
  const tail = maxRows - head;
  return [...Array.from({ length: head }, (_, i) => i), null, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

function numericColumns(t: Table): boolean[] {
  return t.columns.map((_, c) => t.rows.length > 0 && t.rows.every((r) => r[c] == null || typeof r[c] === 'number'));
}

export function toHtmlTable(data: DataFrameLike | Records, options: TableOptions = {}): string {
  const t = toTable(data);
  const decimals = options.decimals ?? 4;
  const withIndex = (options.index ?? isDataFrame(data)) && !!t.index;
  const numeric = numericColumns(t);
  const td = (v: unknown, c: number) =>
    `<td style="text-align:${numeric[c] ? 'right' : 'left'}">${escapeHtml(formatCell(v, decimals))}</td>`;
  const head =
    '<thead><tr>' + (withIndex ? '<th></th>' : '') +
    t.columns.map((c, i) => `<th style="text-align:${numeric[i] ? 'right' : 'left'}">${escapeHtml(c)}</th>`).join('') +
    '</tr></thead>';
  const body = shownRows(t.rows.length, options.maxRows ?? 40)
    .map((i) => {
      if (i === null) return `<tr><td colspan="${t.columns.length + (withIndex ? 1 : 0)}" style="text-align:center">…</td></tr>`;
      const idx = withIndex ? `<th>${escapeHtml(formatCell(t.index![i], decimals))}</th>` : '';
      return `<tr>${idx}${t.rows[i].map(td).join('')}</tr>`;
    })
    .join('');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  const size = `<p style="font-size:smaller;color:#666">${t.rows.length} rows × ${t.columns.length} columns</p>`;
  return `<table class="smile-lens-table" style="border-collapse:collapse;font-variant-numeric:tabular-nums">${caption}${head}<tbody>${body}</tbody></table>${size}`;
}

/** The same table as aligned plain text. */
export function toTextTable(data: DataFrameLike | Records, options: TableOptions = {}): string {
  const t = toTable(data);
  const decimals = options.decimals ?? 4;
  const withIndex = (options.index ?? isDataFrame(data)) && !!t.index;
  const numeric = numericColumns(t);
  const shown = shownRows(t.rows.length, options.maxRows ?? 40);
  const header = [...(withIndex ? [''] : []), ...t.columns];
  const lines = shown.map((i) =>
    i === null ? header.map(() => '…') : [...(withIndex ? [formatCell(t.index![i], decimals)] : []), ...t.rows[i].map((v) => formatCell(v, decimals))],
  );
  const width = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const right = [...(withIndex ? [false] : []), ...numeric];
  const fmt = (cells: string[]) => cells.map((s, c) => (right[c] ? s.padStart(width[c]) : s.padEnd(width[c]))).join('  ').trimEnd();
  const out = [fmt(header), ...lines.map(fmt), `[${t.rows.length} rows × ${t.columns.length} columns]`];
  if (options.caption) out.unshift(options.caption);
  return out.join('\n');
}

/** Shows a table in the notebook (HTML with a plain-text fallback); prints the text form elsewhere. */
export function showTable(data: DataFrameLike | Records, options: TableOptions = {}): void {
  const text = toTextTable(data, options);
  if (!sendDisplayData({ 'text/html': toHtmlTable(data, options), 'text/plain': text })) console.log(text);
}
