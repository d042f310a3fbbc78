// .ipynb files as Jupyter writes them, and tables as notebooks show them.
import * as assert from 'assert';
import { formatCell, toHtmlTable, toTextTable } from '../lib/notebook/dataframe-html';
import { clearOutputs, codeCell, markdownCell, newNotebook, normaliseNotebook, serialiseNotebook, splitLines } from '../lib/notebook/ipynb';

describe('ipynb', () => {
  it('splits sources into lines the way Jupyter stores them', () => {
    assert.deepStrictEqual(splitLines('a\nb\n'), ['a\n', 'b\n']);
    assert.deepStrictEqual(splitLines('a\nb'), ['a\n', 'b']);
    assert.deepStrictEqual(splitLines(''), []);
  });

  it('gives every cell a stable, unique id and clears outputs on request', () => {
    const nb = newNotebook([markdownCell('# t'), codeCell('1 + 1'), codeCell('1 + 1')]);
    const ids = nb.cells.map((c) => c.id);
    assert.strictEqual(new Set(ids).size, 3);
    assert.ok(ids.every((id) => /^[0-9a-f]{8}$/.test(id!)));
    assert.deepStrictEqual(normaliseNotebook(nb).cells.map((c) => c.id), ids, 'normalising again keeps ids');
    nb.cells[1].outputs = [{ output_type: 'stream', name: 'stdout', text: ['2\n'] }];
    nb.cells[1].execution_count = 1;
    nb.cells[1].metadata = { execution: { 'iopub.status.busy': 't' }, tags: ['keep'] };
    const cleared = clearOutputs(nb);
    assert.deepStrictEqual(cleared.cells[1].outputs, []);
    assert.strictEqual(cleared.cells[1].execution_count, null);
    assert.deepStrictEqual(cleared.cells[1].metadata, { tags: ['keep'] });
    assert.strictEqual(nb.cells[1].execution_count, 1, 'the input is not changed');
    assert.strictEqual(cleared.cells[0].outputs, undefined, 'markdown cells have no outputs');
    const text = serialiseNotebook(cleared);
    assert.ok(text.startsWith('{\n "cells": [\n  {\n   "cell_type": "markdown",'), text.slice(0, 80));
    assert.ok(text.endsWith('"nbformat_minor": 5\n}\n'));
  });
});

describe('tables', () => {
  it('formats numbers: integers plain, decimals fixed, tiny and huge in e-notation', () => {
    assert.deepStrictEqual(
      [42, 0.123456, 1e-7, 12345678.9, NaN, null, true, 'x'].map((v) => formatCell(v)),
      ['42', '0.1235', '1.000e-7', '1.235e+7', 'NaN', '', 'true', 'x'],
    );
  });

  it('escapes HTML, right-aligns numeric columns and cuts long tables in the middle', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ name: i === 0 ? '<script>&' : `r${i}`, score: i / 4 }));
    const html = toHtmlTable(rows, { maxRows: 4, decimals: 2 });
    assert.ok(html.includes('&lt;script&gt;&amp;'));
    assert.ok(!html.includes('<script>'));
    assert.ok(html.includes('<td style="text-align:right">0.25</td>'));
    assert.ok(html.includes('>…</td>'));
    assert.ok(html.includes('r9') && !html.includes('r5'), 'first two and last two rows');
    assert.ok(html.includes('10 rows × 2 columns'));
    assert.strictEqual(toTextTable(rows.slice(1, 3), { decimals: 2 }), 'name  score\nr1     0.25\nr2     0.50\n[2 rows × 2 columns]');
  });

  it('shows a danfojs DataFrame with its index', function () {
    this.timeout(60_000); // loading danfojs takes seconds
    const dfd = require('danfojs-node') as { DataFrame: new (data: object[]) => { columns: string[]; index: number[]; values: unknown[][] } };
    const df = new dfd.DataFrame([{ seed: 1, accuracy: 0.6512 }, { seed: 2, accuracy: 0.6 }]);
    assert.strictEqual(
      toTextTable(df, { decimals: 3 }),
      '   seed  accuracy\n0     1     0.651\n1     2     0.600\n[2 rows × 2 columns]',
    );
  });
});
