// The catalogue as a danfojs DataFrame, one row per image, with the norming
// data (when present) joined on the model id. danfojs is loaded on first use:
// it takes a second and a half, and training processes do not need it.
import type { DataFrame } from 'danfojs-node';
import type { NormingData } from './norming';

interface TableRow {
  file: string;
  path: string;
  model: string;
  race: string;
  gender: string;
  expression: string;
  label: number;
  set: string;
}

export const TABLE_COLUMNS = ['file', 'path', 'model', 'race', 'gender', 'expression', 'label', 'set'] as const;

export function catalogTable(items: readonly TableRow[], norming?: NormingData): DataFrame {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  const columns: Record<string, (string | number)[]> = {};
  for (const c of TABLE_COLUMNS) columns[c] = items.map((i) => i[c]);
  if (norming) {
    const taken = new Set(TABLE_COLUMNS.map((c) => c.toLowerCase()));
    for (const name of norming.columns) {
      const column = taken.has(name.toLowerCase()) ? `norming_${name}` : name;
      taken.add(column.toLowerCase());
      const values = items.map((i) => norming.byModel.get(i.model)?.[name] ?? NaN);
      // danfojs wants one type per column: a column with any text is text.
      columns[column] = values.some((v) => typeof v === 'string' && v !== '') ? values.map((v) => (Number.isNaN(v) ? '' : String(v))) : values;
    }
  }
  if (items.length === 0) return new dfd.DataFrame([], { columns: Object.keys(columns) });
  return new dfd.DataFrame(columns);
}
