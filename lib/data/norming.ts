// The CFD's norming data (ratings and physical measures per model), read from
// a CSV export of the codebook's norming sheet. The codebook ships as .xlsx;
// the only xlsx reader at hand (SheetJS 0.17 inside danfojs) is unmaintained
// on npm with known CVEs, so smile-lens asks for "Save as CSV" instead.
import * as fs from 'fs';
import * as path from 'path';
import { guessDelimiter, parseCsv } from './csv';

export interface NormingData {
  file: string;
  /** Column names as in the sheet, without the model id column. */
  columns: string[];
  /** Model id ("AF-200") → values (numbers where the cell is numeric). */
  byModel: Map<string, Record<string, string | number>>;
}

const ID_HEADERS = ['target', 'model', 'model id', 'modelid', 'target id'];
const MODEL_ID = /^[A-Z]{2}-\d+$/;

/**
 * Reads a norming CSV. The sheet has a few title rows above its header, so
 * the header is the first row (of the first 20) with a "Target" or "Model"
 * cell; rows whose id is not a model id (notes, blanks) are left out.
 */
export function readNormingCsv(file: string): NormingData {
  const text = fs.readFileSync(file, 'utf8');
  const rows = parseCsv(text, guessDelimiter(text));
  const headerRow = rows.slice(0, 20).findIndex((r) => r.some((c) => ID_HEADERS.includes(c.trim().toLowerCase())));
  if (headerRow < 0) {
    throw new Error(
      `${file}: expected a CSV export of the CFD norming sheet with a "Target" (model id) column in its first 20 rows; none found`,
    );
  }
  const header = rows[headerRow].map((c) => c.trim());
  const idColumn = header.findIndex((c) => ID_HEADERS.includes(c.toLowerCase()));
  const columns: string[] = [];
  const keep: number[] = [];
  header.forEach((name, i) => {
    if (i !== idColumn && name !== '') {
      columns.push(name);
      keep.push(i);
    }
  });
  const byModel = new Map<string, Record<string, string | number>>();
  for (const r of rows.slice(headerRow + 1)) {
    const id = (r[idColumn] ?? '').trim().toUpperCase();
    if (!MODEL_ID.test(id)) continue;
    const record: Record<string, string | number> = {};
    keep.forEach((col, k) => {
      const raw = (r[col] ?? '').trim();
      const num = raw === '' ? NaN : Number(raw);
      record[columns[k]] = Number.isFinite(num) ? num : raw;
    });
    byModel.set(id, record);
  }
  if (byModel.size === 0) throw new Error(`${file}: found the header row but no row with a model id like "AF-200" in column "${header[idColumn]}"`);
  return { file, columns, byModel };
}

/** A norming CSV or the xlsx codebook among the files of a folder. */
export function findNormingFiles(files: string[]): { csv?: string; xlsx?: string } {
  const named = (ext: string) =>
    files.filter((f) => f.toLowerCase().endsWith(ext) && /norming|codebook/i.test(path.basename(f))).sort();
  return { csv: named('.csv')[0], xlsx: named('.xlsx')[0] };
}
