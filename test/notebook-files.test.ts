// .ipynb files as Jupyter writes them, portable outputs in the committed
// notebooks, and tables as notebooks show them.
import * as assert from 'assert';
import { formatCell, toHtmlTable, toTextTable } from '../lib/notebook/dataframe-html';
import * as fs from 'fs';
import * as path from 'path';
import { NOTEBOOKS_DIR } from '../lib/notebook/discover';
import { clearOutputs, codeCell, joinSource, markdownCell, newNotebook, normaliseNotebook, readNotebook, serialiseNotebook, splitLines } from '../lib/notebook/ipynb';
import { machineTraces, portableOutputs } from '../lib/notebook/portable-outputs';

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

describe('committed notebooks are portable', () => {
  it('outputs name files relative to the project root; sources and images are left alone', () => {
    const nb = newNotebook([codeCell("console.log('/srv/repo/data/x')")]);
    nb.cells[0].outputs = [
      { output_type: 'stream', name: 'stdout', text: ['data: /srv/repo/data/cfd\n', 'root: /srv/repo\n'] },
      { output_type: 'display_data', data: { 'text/html': '<td>/srv/repo/outputs/runs/a</td>', 'image/png': 'iVBOR/srv/repo/x', 'application/vnd.plotly.v1+json': { layout: { title: { text: 'from /srv/repo/outputs' } } } }, metadata: {} },
      { output_type: 'error', ename: 'Error', evalue: 'ENOENT /srv/repo/data/y', traceback: ['at /srv/repo/lib/z.ts:1'] },
      { output_type: 'stream', name: 'stdout', text: 'a sibling: /srv/repository/x\n' },
    ];
    const before = machineTraces(nb);
    assert.strictEqual(before.length, 7, before.join('\n'));
    const out = portableOutputs(nb, '/srv/repo');
    const [stream, display, error, sibling] = out.cells[0].outputs!;
    assert.deepStrictEqual(stream.text, ['data: data/cfd\n', 'root: .\n']);
    assert.strictEqual(display.data!['text/html'], '<td>outputs/runs/a</td>');
    assert.strictEqual(display.data!['image/png'], 'iVBOR/srv/repo/x', 'base64 is not text');
    assert.deepStrictEqual(display.data!['application/vnd.plotly.v1+json'], { layout: { title: { text: 'from outputs' } } });
    assert.deepStrictEqual([error.evalue, error.traceback], ['ENOENT data/y', ['at lib/z.ts:1']]);
    assert.strictEqual(sibling.text, 'a sibling: /srv/repository/x\n', 'another folder that only starts the same is not the project');
    assert.strictEqual(joinSource(out.cells[0].source), "console.log('/srv/repo/data/x')");
    assert.deepStrictEqual(machineTraces(out), ['cell 1: /srv/repository/x (an absolute path)']);
  });

  it('finds library banners', () => {
    const nb = newNotebook([codeCell('x')]);
    nb.cells[0].outputs = [{ output_type: 'stream', name: 'stderr', text: '====\nHi, looks like you are running TensorFlow.js in Node.js. To speed things up\n' }];
    assert.match(machineTraces(nb)[0], /cell 1: "Hi, looks like you are running TensorFlow\.js.*" \(a library banner\)/);
  });

  it('no committed notebook carries an absolute path of a machine or a library banner in its outputs', () => {
    const files = fs.readdirSync(NOTEBOOKS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ipynb') && !f.includes('.ipynb_checkpoints'));
    assert.ok(files.length >= 9, files.join(', '));
    const found = files.flatMap((f) => machineTraces(readNotebook(path.join(NOTEBOOKS_DIR, f))).map((t) => `notebooks/${f}: ${t}`));
    assert.deepStrictEqual(found, [], 'run `npm run notebooks -- <notebook> --write` (it makes outputs portable), or fix what prints them');
  });
});
